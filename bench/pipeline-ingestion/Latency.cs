using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Platform.Membership.Contracts;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using Spectre.Console;

namespace Platform.Bench.PipelineIngestion;

/// <summary>
/// Makes the bench's consortium known to the events service as membership would: ConsortiumEstablished and one
/// MembershipActivated per organization, published on the shared broker; returns once the feed tells them.
/// </summary>
internal static class Announcement
{
    /// <summary>Long before the latency runs' placement days, so their entries are the newest of the feed.</summary>
    private static readonly DateTimeOffset At = new(2025, 1, 6, 9, 0, 0, TimeSpan.FromHours(8));

    public static async Task PublishAsync(Uri amqp, World world, ServiceProcess events)
    {
        var connection = await new ConnectionFactory { Uri = amqp }.CreateConnectionAsync();
        await using (connection)
        {
            var channel = await connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
            await using (channel)
            {
                await BrokerMessages.PublishAsync(channel, new ConsortiumEstablished
                {
                    ConsortiumId = world.ConsortiumId, Name = "Bench Education Group", Kind = "vocationalEducationGroup", Region = "Jining, Shandong",
                    Sectors = ["intelligent manufacturing"], LeadOrganizationIds = [world.Parties[0].College], TimeZone = LatencyRun.Zone, OccurredAt = At,
                });
                for (var i = 0; i < world.Parties.Count; i++)
                {
                    var (college, enterprise, _) = world.Parties[i];
                    foreach (var (id, name, kind) in new[] { (college, World.CollegeName(i), "vocationalCollege"), (enterprise, World.EnterpriseName(i), "enterprise") })
                    {
                        await BrokerMessages.PublishAsync(channel, new MembershipActivated
                        {
                            MembershipId = Guid.CreateVersion7(), ConsortiumId = world.ConsortiumId, OrganizationId = id,
                            OrganizationName = name, OrganizationKind = kind, OccurredAt = At,
                        });
                    }
                }
            }
        }

        var expected = 1 + 2 * world.Parties.Count;
        using var http = events.Client();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            // 404 until the consortium is known to the events service.
            using var answer = await http.GetAsync(new Uri($"/api/v1/feed?consortiumId={world.ConsortiumId}&limit=100", UriKind.Relative));
            var feed = answer.StatusCode == System.Net.HttpStatusCode.NotFound ? (JsonElement?)null : await answer.EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonElement>();
            if (feed?.GetProperty("items").GetArrayLength() >= expected) return;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"The events service did not tell the consortium and its members: {(int)answer.StatusCode} {feed}");
            await Task.Delay(200);
        }
    }
}

/// <summary>p50 and p99 of one latency figure in one run, in milliseconds.</summary>
internal sealed record Percentiles(double P50, double P99)
{
    public static Percentiles Of(List<double> values) => new(Stats.Percentile(values, 0.50), Stats.Percentile(values, 0.99));

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"p50 {P50,7:0.0} ms   p99 {P99,7:0.0} ms");
}

internal sealed record LatencyResult(Percentiles SentToQueue, Percentiles AnsweredToQueue, Percentiles SentToFeed, Percentiles AnsweredToFeed,
    Percentiles QueueToFeed, bool Exact, bool AllVisible)
{
    public static void AddRow(Table table, string label, List<Percentiles> runs) => table.AddRow(label,
        Stats.Median([.. runs.Select(r => r.P50)]).ToString("0.0", CultureInfo.InvariantCulture),
        Stats.Median([.. runs.Select(r => r.P99)]).ToString("0.0", CultureInfo.InvariantCulture));
}

/// <summary>
/// Batches sent on a fixed schedule (rate/10 events every 100 ms, round robin over the clients' programs) while
/// (1) a plain queue bound to PlacementRecorded's exchange receives the events, per event, and (2) the events
/// service's feed is polled through its public API: a batch is visible once its program's <c>placementMilestones</c>
/// entry of the run's day counts every event sent to that program up to and including the batch. A program's batches
/// are sent 400 ms apart (4 clients), so the count identifies the batch unless a batch overtakes an earlier one.
/// </summary>
internal static class LatencyRun
{
    public const string Zone = "Asia/Shanghai";

    public static async Task<LatencyResult> RunAsync(ServiceProcess service, ServiceProcess events, World world, Uri amqp, BenchOptions options, int run, int seconds)
    {
        // Every event of a run happens at one instant of its own day: per program one feed line (the hottest row
        // the feed has: every event of the program updates it), and the newest lines of the feed.
        var at = new DateTimeOffset(2025, 6, 1, 10, 0, 0, TimeSpan.FromHours(8)).AddDays(run);
        var day = at.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var programs = world.Parties.Count;
        var perTick = Math.Max(1, options.Rate / 10);
        var ticks = seconds * 10;
        var perProgram = (ticks + programs - 1) / programs;

        var arrivals = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);
        var connection = await new ConnectionFactory { Uri = amqp }.CreateConnectionAsync();
        await using var _ = connection;
        var channel = await connection.CreateChannelAsync();
        await using var __ = channel;
        const string exchange = "Platform.TalentPipeline.Contracts:PlacementRecorded";
        await channel.ExchangeDeclareAsync(exchange, ExchangeType.Fanout, durable: true, autoDelete: false);
        var queue = (await channel.QueueDeclareAsync($"bench-placement-recorded-{run}", durable: false, exclusive: true, autoDelete: true)).QueueName;
        await channel.QueueBindAsync(queue, exchange, "");
        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += (_, delivery) =>
        {
            var now = Stopwatch.GetTimestamp();
            using var envelope = JsonDocument.Parse(delivery.Body);
            arrivals[envelope.RootElement.GetProperty("message").GetProperty("eventId").GetString()!] = now;
            return Task.CompletedTask;
        };
        await channel.BasicConsumeAsync(queue, autoAck: true, consumer);

        // Per program and batch (k-th batch of that program): when it was sent, answered, and first seen in the feed.
        var sentAt = new long[programs, perProgram];
        var answeredAt = new long[programs, perProgram];
        var visibleAt = new long[programs, perProgram];
        var eventIds = new string[programs, perProgram][];
        var batchesSent = new int[programs];
        var tallies = new int[programs];
        var eventSent = new ConcurrentDictionary<string, (long Sent, long Answered)>(StringComparer.Ordinal);
        using var polling = new CancellationTokenSource();
        var poller = PollFeedAsync(events, service, world, day, perTick, visibleAt, tallies, options.PollMilliseconds, polling.Token);

        using var http = service.Client();
        var pending = new List<Task>();
        var start = Stopwatch.GetTimestamp();
        for (var tick = 0; tick < ticks; tick++)
        {
            var due = start + (long)(tick * 0.1 * Stopwatch.Frequency);
            var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
            if (wait > TimeSpan.Zero) await Task.Delay(wait);
            var program = tick % programs;
            var k = tick / programs;
            var (college, _, programId) = world.Parties[program];
            var batch = Enumerable.Range(0, perTick)
                .Select(i => new LoadEvent($"l{run}-t{tick}-{i}", college, programId, $"l{run}-t{tick}-{i}", "enrolled", at, null)).ToList();
            batchesSent[program] = k + 1;
            eventIds[program, k] = [.. batch.Select(e => e.EventId)];
            pending.Add(SendAsync(http, batch, program, k, sentAt, answeredAt, eventSent));
        }
        await Task.WhenAll(pending);
        var lastSent = Stopwatch.GetTimestamp();

        var expected = eventSent.Count;
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while ((arrivals.Count < expected || !AllVisible()) && DateTime.UtcNow < deadline) await Task.Delay(50);
        bool AllVisible()
        {
            for (var p = 0; p < programs; p++)
                if (batchesSent[p] > 0 && Volatile.Read(ref visibleAt[p, batchesSent[p] - 1]) == 0) return false;
            return true;
        }
        // A little longer, so a duplicate counted twice would show up in the tallies.
        await Task.Delay(1000);
        await polling.CancelAsync();
        await poller;

        var fromSend = new List<double>();
        var fromAnswer = new List<double>();
        foreach (var (eventId, times) in eventSent)
        {
            if (!arrivals.TryGetValue(eventId, out var arrived)) continue;
            fromSend.Add(Stopwatch.GetElapsedTime(times.Sent, arrived).TotalMilliseconds);
            fromAnswer.Add(Math.Max(0, Stopwatch.GetElapsedTime(times.Answered, arrived).TotalMilliseconds));
        }
        var feedFromSend = new List<double>();
        var feedFromAnswer = new List<double>();
        var feedFromQueue = new List<double>();
        long lastVisible = 0;
        for (var p = 0; p < programs; p++)
        {
            for (var k = 0; k < batchesSent[p]; k++)
            {
                if (visibleAt[p, k] == 0) continue;
                lastVisible = Math.Max(lastVisible, visibleAt[p, k]);
                feedFromSend.Add(Stopwatch.GetElapsedTime(sentAt[p, k], visibleAt[p, k]).TotalMilliseconds);
                // The poll that saw it may have been answered just before the client read its own response.
                feedFromAnswer.Add(Math.Max(0, Stopwatch.GetElapsedTime(answeredAt[p, k], visibleAt[p, k]).TotalMilliseconds));
                // What the events service adds: from the request's last event reaching the (bench's own) bound queue.
                var onQueue = eventIds[p, k].Select(id => arrivals.TryGetValue(id, out var at) ? at : 0).Max();
                if (onQueue > 0) feedFromQueue.Add(Math.Max(0, Stopwatch.GetElapsedTime(onQueue, visibleAt[p, k]).TotalMilliseconds));
            }
        }
        var batches = batchesSent.Sum();
        var counted = tallies.Sum();
        var exact = Enumerable.Range(0, programs).All(p => tallies[p] == batchesSent[p] * perTick);
        var result = new LatencyResult(Percentiles.Of(fromSend), Percentiles.Of(fromAnswer), Percentiles.Of(feedFromSend), Percentiles.Of(feedFromAnswer),
            Percentiles.Of(feedFromQueue), exact, feedFromSend.Count == batches);
        var label = run == 0 ? "warm-up" : $"run {run}";
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"latency {label} at {options.Rate} events/s ({perTick} per request every 100 ms, {seconds} s): {fromSend.Count} of {expected} events on the bound queue, "
            + $"{feedFromSend.Count} of {batches} batches visible in the feed (last {(lastVisible == 0 ? double.NaN : Stopwatch.GetElapsedTime(lastSent, lastVisible).TotalSeconds):0.00} s after the last answer), "
            + $"feed tallies {counted} of {expected} accepted{(exact ? "" : "  ** NOT EXACT **")}"));
        Console.WriteLine($"  request sent -> PlacementRecorded on the queue   {result.SentToQueue}   (per event)");
        Console.WriteLine($"  response (committed) -> on the queue             {result.AnsweredToQueue}");
        Console.WriteLine($"  request sent -> visible in the events feed       {result.SentToFeed}   (per request of {perTick})");
        Console.WriteLine($"  response (accepted) -> visible in the feed       {result.AnsweredToFeed}");
        Console.WriteLine($"  last event on the queue -> visible in the feed   {result.QueueToFeed}   (the events service's share)");
        return result;
    }

    private static async Task SendAsync(HttpClient http, List<LoadEvent> batch, int program, int k, long[,] sentAt, long[,] answeredAt,
        ConcurrentDictionary<string, (long, long)> eventSent)
    {
        var sent = Stopwatch.GetTimestamp();
        sentAt[program, k] = sent;
        using var response = await http.PostAsJsonAsync("/api/v1/placement-events", Load.Body(batch));
        var answered = Stopwatch.GetTimestamp();
        answeredAt[program, k] = answered;
        var report = await response.Content.ReadFromJsonAsync<JsonElement>();
        if (!response.IsSuccessStatusCode || report.GetProperty("accepted").GetInt32() != batch.Count)
            throw new InvalidOperationException($"Latency batch not fully accepted: {report}");
        foreach (var e in batch) eventSent[e.EventId] = (sent, answered);
    }

    /// <summary>
    /// Reads the newest feed entries every <paramref name="intervalMs"/> ms (the run's day lines are the newest) and
    /// stamps each batch whose program's tally has reached it. The stamp is when the answer arrived.
    /// </summary>
    private static async Task PollFeedAsync(ServiceProcess events, ServiceProcess service, World world, string day, int perTick, long[,] visibleAt, int[] tallies,
        int intervalMs, CancellationToken cancellationToken)
    {
        using var http = events.Client();
        // Absolute: the feed resolves a program's link to talent-pipeline's public address (set when events started).
        var links = world.Parties.Select(p => new Uri(service.BaseAddress, $"/api/v1/programs/{p.Program}").ToString()).ToList();
        var suffix = $" on {day}";
        var seen = new int[tallies.Length];
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(intervalMs));
        try
        {
            do
            {
                using var response = await http.GetAsync(new Uri($"/api/v1/feed?consortiumId={world.ConsortiumId}&limit={world.Parties.Count + 2}", UriKind.Relative), cancellationToken);
                var now = Stopwatch.GetTimestamp();
                response.EnsureSuccessStatusCode();
                var page = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
                foreach (var entry in page.GetProperty("items").EnumerateArray())
                {
                    if (entry.GetProperty("kind").GetString() != "placementMilestones" || !entry.GetProperty("title").GetString()!.EndsWith(suffix, StringComparison.Ordinal)) continue;
                    var link = entry.TryGetProperty("link", out var l) && l.ValueKind == JsonValueKind.String ? l.GetString()! : "";
                    var program = links.IndexOf(link);
                    if (program < 0) continue;
                    var total = entry.GetProperty("tally").EnumerateObject().Sum(t => t.Value.GetInt32());
                    tallies[program] = total;
                    for (var k = seen[program]; k < Math.Min(total / perTick, visibleAt.GetLength(1)); k++) Volatile.Write(ref visibleAt[program, k], now);
                    seen[program] = Math.Max(seen[program], Math.Min(total / perTick, visibleAt.GetLength(1)));
                }
            }
            while (await timer.WaitForNextTickAsync(cancellationToken));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }
}
