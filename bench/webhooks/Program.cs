using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Platform.Bench;
using Platform.Bench.Webhooks;
using Platform.Events.Contracts;
using Platform.Hosting;
using Platform.Membership.Contracts;
using Platform.TalentPipeline.Contracts;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using Spectre.Console;
using static System.FormattableString;

// Webhook deliveries through the webhooks service (a process, as the AppHost runs it) to a fast local receiver with
// 100 endpoints: (1) throughput of consortium-wide events (each fans out to every endpoint) next to plain HTTP POSTs of
// the same bodies to the same receiver; (2) latency from the source's publish to the receiver at a steady rate of
// single-audience events (placement.flagged to one college each) next to the broker hop alone. See README.md.
var options = BenchOptions.Read(args, out var commandLineExit);
if (options is null) return commandLineExit;
var folder = Directory.CreateTempSubdirectory("platform-bench-webhooks-").FullName;
var serverOutput = new ServerOutput();
ServiceProcess? service = null;
var exitCode = 0;
try
{
    BenchCommandLine.Phase("Starting PostgreSQL (durable) and RabbitMQ ...");
    await using var postgres = await PostgresServer.StartAsync(new PostgresOptions { DataDirectory = Path.Combine(folder, "postgres"), Output = serverOutput.Write });
    await using var rabbit = await RabbitMqServer.StartAsync(new RabbitMqOptions { DataDirectory = Path.Combine(folder, "rabbitmq"), NodeName = $"benchwh{Environment.ProcessId}", Output = serverOutput.Write });
    await postgres.EnsureDatabaseAsync("webhooksdb");
    await using var receiver = await Receiver.StartAsync();

    BenchCommandLine.Phase($"Starting the webhooks service ({options.Configuration}) as a process ...");
    service = await ServiceProcess.StartAsync(ServiceSpec.Webhooks, options.Configuration, postgres.ConnectionString("webhooksdb"), rabbit.AmqpUri,
        new Dictionary<string, string> { ["Webhooks__AllowPrivateTargets"] = "true" }); // the receiver is on loopback
    var connection = await new ConnectionFactory { Uri = rabbit.AmqpUri }.CreateConnectionAsync();
    await using var _ = connection;
    var channel = await connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
    await using var __ = channel;

    var world = await World.SeedAsync(service, channel, receiver, options.Endpoints);
    Console.WriteLine($"{options.Endpoints} endpoints of {options.Endpoints} member colleges, all subscribed to *");

    // 1. Throughput: consortium-wide events, each delivered to every endpoint.
    Console.WriteLine();
    Console.WriteLine($"Throughput: {options.Burst} event.scheduled per run x {options.Endpoints} endpoints = {options.Burst * options.Endpoints:N0} deliveries, {options.Runs} runs after a warm-up");
    Console.WriteLine("run   deliveries/s   plain HTTP POSTs/s   ratio");
    await Throughput.RunAsync(channel, receiver, world, options.Burst / 4); // warm-up: JIT, pools
    await Throughput.PlainHttpAsync(receiver, world, options.Burst / 4);
    var ours = new List<double>();
    var plain = new List<double>();
    var throughputTable = BenchCommandLine.Results($"Throughput ({options.Endpoints} endpoints)", "deliveries/s", "plain HTTP POSTs/s", "ratio");
    for (var run = 1; run <= options.Runs; run++)
    {
        var rate = await Throughput.RunAsync(channel, receiver, world, options.Burst);
        var baseline = await Throughput.PlainHttpAsync(receiver, world, options.Burst);
        ours.Add(rate);
        plain.Add(baseline);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{run,3}   {rate,12:N0}   {baseline,18:N0}   {rate / baseline,5:P1}"));
        throughputTable.AddRow(Invariant($"{run}"), Invariant($"{rate:N0}"), Invariant($"{baseline:N0}"), Invariant($"{rate / baseline:P1}"));
    }
    throughputTable.AddMedian(Invariant($"{Stats.Median(ours):N0}"), Invariant($"{Stats.Median(plain):N0}"), Invariant($"{Stats.Median(ours) / Stats.Median(plain):P1}"));

    // 2. Latency at a steady rate: each event to one endpoint.
    Console.WriteLine();
    Console.WriteLine($"Latency: {options.Rate} placement.flagged/s for {options.Seconds} s per run (each to one college's endpoint), {options.Runs} runs");
    Console.WriteLine("run   publish → receiver              publish → plain queue (broker hop)");
    await Latency.RunAsync(connection, channel, receiver, world, options.Rate, seconds: 3, run: 0); // warm-up
    var latencies = new List<LatencyResult>();
    var latencyTable = BenchCommandLine.Results($"Latency at {options.Rate} events/s, ms (goal p99 <= 500)",
        "to receiver p50", "to receiver p99", "broker hop p50", "broker hop p99", "never delivered");
    for (var run = 1; run <= options.Runs; run++)
    {
        var result = await Latency.RunAsync(connection, channel, receiver, world, options.Rate, options.Seconds, run);
        latencies.Add(result);
        Console.WriteLine($"{run,3}   {result.ToReceiver}   {result.ToQueue}");
        latencyTable.AddRow(Invariant($"{run}"), Invariant($"{result.ToReceiver.P50:0.0}"), Invariant($"{result.ToReceiver.P99:0.0}"),
            Invariant($"{result.ToQueue.P50:0.0}"), Invariant($"{result.ToQueue.P99:0.0}"), Invariant($"{result.Missing}"));
    }
    var p50 = Stats.Median([.. latencies.Select(l => l.ToReceiver.P50)]);
    var p99 = Stats.Median([.. latencies.Select(l => l.ToReceiver.P99)]);
    var hop50 = Stats.Median([.. latencies.Select(l => l.ToQueue.P50)]);
    var hop99 = Stats.Median([.. latencies.Select(l => l.ToQueue.P99)]);
    var lost = latencies.Sum(l => l.Missing);
    latencyTable.AddMedian(Invariant($"{p50:0.0}"), Invariant($"{p99:0.0}"), Invariant($"{hop50:0.0}"), Invariant($"{hop99:0.0}"), Invariant($"{lost}"));

    Console.WriteLine();
    AnsiConsole.Write(throughputTable);
    AnsiConsole.Write(latencyTable);
    Console.WriteLine($"exactness: duplicates at the receiver {receiver.Duplicates}, latency events never delivered {lost}");
    if (receiver.Duplicates > 0 || lost > 0) exitCode = 2;

    await BenchResults.WriteAsync("webhooks", new
    {
        bench = "webhooks",
        measuredAt = DateTimeOffset.UtcNow,
        machine = BenchResults.Machine(),
        endpoints = options.Endpoints,
        throughput = new { burstEvents = options.Burst, runs = ours, plainHttpRuns = plain, median = Stats.Median(ours), plainHttpMedian = Stats.Median(plain), ratio = Stats.Median(ours) / Stats.Median(plain) },
        latency = new
        {
            eventsPerSecond = options.Rate, seconds = options.Seconds,
            runs = latencies.Select(l => new { receiverP50 = l.ToReceiver.P50, receiverP99 = l.ToReceiver.P99, queueP50 = l.ToQueue.P50, queueP99 = l.ToQueue.P99 }),
            receiverP50 = p50, receiverP99 = p99, queueP50 = hop50, queueP99 = hop99, goalP99 = 500,
        },
        exact = exitCode == 0,
    });
}
catch (Exception exception)
{
    Console.Error.WriteLine(exception);
    if (service is not null) Console.Error.WriteLine("webhooks service output:\n" + service.Tail());
    Console.Error.WriteLine("servers' output:\n" + serverOutput.Tail());
    exitCode = 1;
}
finally
{
    if (service is not null) await service.DisposeAsync();
    try { Directory.Delete(folder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
}
return exitCode;

internal sealed record BenchOptions(int Runs, int Endpoints, int Burst, int Rate, int Seconds, string Configuration)
{
    /// <summary>The command line; null when there is nothing to run (help shown: exit 0; a wrong one: exit 2).</summary>
    public static BenchOptions? Read(string[] args, out int exitCode)
    {
        var runs = BenchCommandLine.Number("--runs", 5, "Measured runs of each part, after a warm-up.");
        var endpoints = BenchCommandLine.Number("--endpoints", 100, "Member colleges, each with one endpoint on the receiver subscribed to everything.");
        var burst = BenchCommandLine.Number("--burst", 100, "event.scheduled per throughput run; each is delivered to every endpoint.");
        var rate = BenchCommandLine.Number("--rate", 200, "placement.flagged per second in the latency runs, each to one college's endpoint.");
        var seconds = BenchCommandLine.Number("--seconds", 10, "Length of each latency run, in seconds.");
        var command = new RootCommand("""
            Webhook deliveries through the webhooks service to a local receiver: throughput next to plain HTTP POSTs, and
            publish -> receiver latency at a steady rate next to the broker hop. Writes bench/results/webhooks.json.
            """) { runs, endpoints, burst, rate, seconds };
        var parsed = BenchCommandLine.Read(command, args, out exitCode);
#if DEBUG
        const string configuration = "Debug";
#else
        const string configuration = "Release";
#endif
        return parsed is null ? null
            : new BenchOptions(parsed.GetValue(runs), parsed.GetValue(endpoints), parsed.GetValue(burst), parsed.GetValue(rate), parsed.GetValue(seconds), configuration);
    }
}

/// <summary>One consortium whose members are <c>n</c> colleges, each with an endpoint on the receiver subscribed to everything.</summary>
internal sealed record World(Guid ConsortiumId, IReadOnlyList<Guid> Colleges, IReadOnlyList<string> Urls)
{
    public static async Task<World> SeedAsync(ServiceProcess service, IChannel channel, Receiver receiver, int count)
    {
        var consortiumId = Guid.CreateVersion7();
        var colleges = Enumerable.Range(0, count).Select(_ => Guid.CreateVersion7()).ToList();
        var at = DateTimeOffset.UtcNow;
        for (var i = 0; i < count; i++)
        {
            var name = $"Bench Vocational College {i + 1:000}";
            await BrokerMessages.PublishAsync(channel, new OrganizationRegistered
            {
                OrganizationId = colleges[i], Name = name, Kind = "vocationalCollege", Region = "Jinan, Shandong", OccurredAt = at,
            });
            await BrokerMessages.PublishAsync(channel, new MembershipActivated
            {
                MembershipId = Guid.CreateVersion7(), ConsortiumId = consortiumId, OrganizationId = colleges[i], OrganizationName = name,
                OrganizationKind = "vocationalCollege", OccurredAt = at, Version = 1,
            });
        }

        using var http = service.Client();
        var urls = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var url = new Uri(receiver.BaseAddress, $"/hook/{i}").ToString();
            using var registered = await http.PostAsJsonAsync("/api/v1/webhook-endpoints", new { organizationId = colleges[i], url, eventTypes = new[] { "*" } });
            if (!registered.IsSuccessStatusCode) throw new InvalidOperationException($"Registering endpoint {i}: {(int)registered.StatusCode} {await registered.Content.ReadAsStringAsync()}");
            urls.Add(url);
        }

        // Ready once an event reaches every endpoint: the service knows every member by then.
        var world = new World(consortiumId, colleges, urls);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var before = receiver.Received;
            await Throughput.PublishScheduledAsync(channel, world, 1);
            var settle = DateTime.UtcNow.AddSeconds(5);
            while (receiver.Received - before < count && DateTime.UtcNow < settle) await Task.Delay(50);
            if (receiver.Received - before >= count) return world;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"An event reached only {receiver.Received - before} of {count} endpoints:\n{service.Tail()}");
        }
    }
}

internal static class Throughput
{
    /// <summary>Deliveries per second: from the first publish until the receiver has every delivery of the burst.</summary>
    public static async Task<double> RunAsync(IChannel channel, Receiver receiver, World world, int events)
    {
        var expected = receiver.Received + (long)events * world.Colleges.Count;
        var clock = Stopwatch.StartNew();
        await PublishScheduledAsync(channel, world, events);
        var deadline = DateTime.UtcNow.AddMinutes(5);
        while (receiver.Received < expected)
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{expected - receiver.Received} deliveries missing after 5 minutes.");
            await Task.Delay(5);
        }
        return (double)events * world.Colleges.Count / clock.Elapsed.TotalSeconds;
    }

    public static Task PublishScheduledAsync(IChannel channel, World world, int events) =>
        Task.WhenAll(Enumerable.Range(0, events).Select(i => BrokerMessages.PublishAsync(channel, new ConsortiumEventScheduled
        {
            EventId = Guid.CreateVersion7(), ConsortiumId = world.ConsortiumId, Kind = "seminar", Title = $"Bench seminar {i}", Venue = "Jinan",
            StartsAt = DateTimeOffset.UtcNow.AddDays(30), EndsAt = DateTimeOffset.UtcNow.AddDays(30).AddHours(2), OrganizerIds = [world.Colleges[0]],
            OccurredAt = DateTimeOffset.UtcNow,
        })));

    /// <summary>
    /// The baseline: the same number of POSTs of a same-size JSON body to the same receiver paths, 4 at a time per
    /// endpoint (the dispatcher's default per-endpoint limit), with nothing in between (no broker, database, signing).
    /// Counted by the receiver like deliveries (unique webhook-ids).
    /// </summary>
    public static async Task<double> PlainHttpAsync(Receiver receiver, World world, int events)
    {
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 4 * world.Urls.Count });
        var body = JsonSerializer.Serialize(new
        {
            type = "event.scheduled", timestamp = DateTimeOffset.UtcNow,
            data = new { eventId = Guid.Empty, consortiumId = world.ConsortiumId, kind = "seminar", title = "Bench seminar 0", venue = "Jinan", startsAt = DateTimeOffset.UtcNow, endsAt = DateTimeOffset.UtcNow, organizerIds = new[] { world.Colleges[0] } },
        });
        var expected = receiver.Received + (long)events * world.Urls.Count;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(world.Urls.SelectMany(url => Enumerable.Range(0, 4).Select(async lane =>
        {
            for (var i = lane; i < events; i += 4)
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
                request.Headers.Add("webhook-id", $"plain_{Guid.CreateVersion7():N}");
                using var response = await http.SendAsync(request);
                response.EnsureSuccessStatusCode();
            }
        })));
        if (receiver.Received < expected) throw new InvalidOperationException("The receiver did not count every plain POST.");
        return (double)events * world.Urls.Count / clock.Elapsed.TotalSeconds;
    }
}

internal sealed record Percentiles(double P50, double P99)
{
    public static Percentiles Of(List<double> values) => new(Stats.Percentile(values, 0.50), Stats.Percentile(values, 0.99));

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"p50 {P50,7:0.0} ms   p99 {P99,7:0.0} ms");
}

internal sealed record LatencyResult(Percentiles ToReceiver, Percentiles ToQueue, int Missing);

internal static class Latency
{
    /// <summary>
    /// <paramref name="rate"/> flagged placements per second (a tenth every 100 ms), round robin over the colleges; for
    /// each, the time from just before its publish to its arrival at the receiver, and at a plain queue bound to the
    /// same exchange (the broker hop every consumer pays).
    /// </summary>
    public static async Task<LatencyResult> RunAsync(IConnection connection, IChannel channel, Receiver receiver, World world, int rate, int seconds, int run)
    {
        var queueArrivals = new Dictionary<string, long>(StringComparer.Ordinal);
        var queueChannel = await connection.CreateChannelAsync();
        await using var _ = queueChannel;
        var exchange = BrokerMessages.ExchangeOf<PlacementRecorded>();
        await queueChannel.ExchangeDeclareAsync(exchange, ExchangeType.Fanout, durable: true, autoDelete: false);
        var queue = (await queueChannel.QueueDeclareAsync($"bench-webhooks-hop-{run}", durable: false, exclusive: true, autoDelete: true)).QueueName;
        await queueChannel.QueueBindAsync(queue, exchange, "");
        var consumer = new AsyncEventingBasicConsumer(queueChannel);
        consumer.ReceivedAsync += (_, delivery) =>
        {
            var now = Stopwatch.GetTimestamp();
            using var envelope = JsonDocument.Parse(delivery.Body);
            lock (queueArrivals) queueArrivals[envelope.RootElement.GetProperty("message").GetProperty("eventId").GetString()!] = now;
            return Task.CompletedTask;
        };
        await queueChannel.BasicConsumeAsync(queue, autoAck: true, consumer);

        var sent = new Dictionary<string, long>(StringComparer.Ordinal);
        var publishes = new List<Task>();
        var perTick = Math.Max(1, rate / 10);
        var start = Stopwatch.GetTimestamp();
        for (var tick = 0; tick < seconds * 10; tick++)
        {
            var due = start + tick * Stopwatch.Frequency / 10;
            var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
            if (wait > TimeSpan.Zero) await Task.Delay(wait);
            for (var i = 0; i < perTick; i++)
            {
                var n = tick * perTick + i;
                var eventId = $"bench-{run}-{n}";
                var college = world.Colleges[n % world.Colleges.Count];
                sent[eventId] = Stopwatch.GetTimestamp();
                publishes.Add(BrokerMessages.PublishAsync(channel, new PlacementRecorded
                {
                    EventId = eventId, CollegeId = college, ProgramId = world.ConsortiumId, ConsortiumId = world.ConsortiumId, ProgramTitle = "Bench order class",
                    TraineeRef = $"T{n:000000}", Type = "employed", OccurredAt = DateTimeOffset.UtcNow, Stage = "employed", Flagged = true,
                    AcceptedAt = DateTimeOffset.UtcNow,
                }));
            }
        }
        await Task.WhenAll(publishes);

        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (sent.Keys.Any(id => !receiver.TryGetArrival(id, out var _)) && DateTime.UtcNow < deadline) await Task.Delay(50);
        var toReceiver = new List<double>();
        var toQueue = new List<double>();
        var missing = 0;
        foreach (var (id, at) in sent)
        {
            if (receiver.TryGetArrival(id, out var arrived)) toReceiver.Add(Stopwatch.GetElapsedTime(at, arrived).TotalMilliseconds);
            else missing++;
            lock (queueArrivals)
                if (queueArrivals.TryGetValue(id, out var queued)) toQueue.Add(Stopwatch.GetElapsedTime(at, queued).TotalMilliseconds);
        }
        return new LatencyResult(Percentiles.Of(toReceiver), Percentiles.Of(toQueue), missing);
    }
}
