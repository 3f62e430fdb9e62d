using System.Collections.Concurrent;
using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Platform.Bench;
using Platform.Membership.Contracts;
using RabbitMQ.Client;
using Platform.Hosting;
using Spectre.Console;
using static System.FormattableString;

// Resident memory (VmRSS) of each service under a steady mixed load (reads that answer 200, bad input that answers
// 4xx), sampled every second, once per mode in the same run: "shipped" runs the build's own runtimeconfig, the other
// modes add runtime settings to it (Modes, at the end). See README.md.
var minutes = BenchCommandLine.Number("--minutes", 2, "Minutes of load per service and GC mode (10 for the soak).");
var clients = BenchCommandLine.Number("--clients", 8, "Concurrent HTTP clients driving the load.");
var only = new Option<string>("--services") { Description = "Comma-separated: membership,talent-pipeline,events,webhooks.", DefaultValueFactory = _ => "membership,talent-pipeline,events,webhooks" };
var modesOption = new Option<string>("--modes")
{
    Description = "Comma-separated modes: " + string.Join(", ", Modes.Settings.Keys) + " (see README.md).",
    DefaultValueFactory = _ => "server,shipped",
};
var parsed = BenchCommandLine.Read(new RootCommand("Service RSS under load per GC mode, with growth over the run.") { minutes, clients, only, modesOption }, args, out var exit);
if (parsed is null) return exit;
var duration = TimeSpan.FromMinutes(parsed.GetValue(minutes));
var clientCount = parsed.GetValue(clients);
var wanted = parsed.GetValue(only)!.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
var modes = parsed.GetValue(modesOption)!.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

// Each service's load: reads that must answer 200 (with content, seeded through the service's own API first; the
// member directory the other services keep is published on the broker as membership would), and bad input that must
// answer 4xx. See README.md.
var services = new (string Name, ServiceSpec Spec, Func<ServiceProcess, Uri, Task<Workload>> Seed, Dictionary<string, string> Settings)[]
{
    ("membership", ServiceSpec.Membership, Seeding.MembershipAsync, []),
    ("talent-pipeline", ServiceSpec.TalentPipeline, Seeding.TalentPipelineAsync, []),
    ("events", ServiceSpec.Events, Seeding.EventsAsync, []),
    // Endpoints on loopback (never called: nothing is published during the load) are allowed only with this setting.
    ("webhooks", ServiceSpec.Webhooks, Seeding.WebhooksAsync, new() { ["Webhooks__AllowPrivateTargets"] = "true" }),
};
var unknown = wanted.Except(services.Select(s => s.Name)).Concat(modes.Except(Modes.Settings.Keys)).ToList();
if (unknown.Count > 0)
{
    Console.Error.WriteLine($"Unknown service(s) or mode(s): {string.Join(", ", unknown)}.");
    return 2;
}
var failures = new List<string>();

var folder = Directory.CreateTempSubdirectory("platform-bench-memory-").FullName;
var output = new StringBuilder();
void Write(string line, bool isError) { lock (output) output.AppendLine(line); }
var results = new List<object>();
var table = BenchCommandLine.Results($"RSS in MiB, {duration.TotalMinutes:0.#} min of load at {clientCount} clients", "GC", "after start", "steady (median)", "max", "growth first→last fifth", "req/s", "unexpected", "load avg");
try
{
    BenchCommandLine.Phase("Starting PostgreSQL (durable) and RabbitMQ ...");
    await using var postgres = await PostgresServer.StartAsync(new PostgresOptions { DataDirectory = Path.Combine(folder, "postgres"), Output = Write });
    await using var rabbit = await RabbitMqServer.StartAsync(new RabbitMqOptions { DataDirectory = Path.Combine(folder, "rabbitmq"), NodeName = $"benchmem{Environment.ProcessId}", Output = Write });
    foreach (var service in services.Where(s => wanted.Contains(s.Name)))
    {
        foreach (var mode in modes)
        {
            var database = $"{service.Spec.ConnectionName}_{mode}";
            await postgres.EnsureDatabaseAsync(database);
            var settings = new Dictionary<string, string>(service.Settings);
            foreach (var (name, value) in Modes.Settings[mode]) settings[name] = value;
            BenchCommandLine.Phase($"{service.Name}, GC {mode}: starting, seeding, then {duration.TotalMinutes:0.#} min of load ...");
            await using var process = await ServiceProcess.StartAsync(service.Spec, "Release", postgres.ConnectionString(database), rabbit.AmqpUri, settings);
            var workload = await service.Seed(process, rabbit.AmqpUri);
            await workload.CheckAsync(process);
            Console.WriteLine($"  seeded: {workload.Seeded}");
            await Task.Delay(TimeSpan.FromSeconds(3));   // past start-up and seeding work (migrations, bus start) that is not load
            var afterStart = Rss(process.ProcessId);
            var load = await LoadAsync(process, workload, clientCount, duration);
            var (samples, requests, unexpected) = (load.Samples, load.Requests, load.Unexpected);
            foreach (var (answer, count) in load.Answers.OrderBy(a => a.Key, StringComparer.Ordinal)) Console.WriteLine(Invariant($"  {answer}: {count}"));
            foreach (var (route, count) in load.UnexpectedByRoute.OrderBy(a => a.Key, StringComparer.Ordinal))
            {
                Console.WriteLine(Invariant($"  UNEXPECTED {route}: {count}"));
                failures.Add(Invariant($"{service.Name} GC {mode}: {route} answered unexpectedly {count} times"));
            }
            var fifth = Math.Max(1, samples.Count / 5);
            var growth = Stats.Median(samples[^fifth..]) - Stats.Median(samples[..fifth]);
            var steady = Stats.Median(samples[(samples.Count / 2)..]);
            var rate = requests / duration.TotalSeconds;
            // Warm-up (JIT, pools, caches) lands in the first fifth; a leak keeps growing from the middle fifth to the last.
            var lateGrowth = Stats.Median(samples[^fifth..]) - Stats.Median(samples[(2 * fifth)..(3 * fifth)]);
            var anonymous = load.AnonymousSamples;
            var anonymousGrowth = Stats.Median(anonymous[^fifth..]) - Stats.Median(anonymous[..fifth]);
            var loadAverage = (string[])LoadAverage();
            table.AddRow(service.Name, mode, Invariant($"{afterStart:0}"), Invariant($"{steady:0}"), Invariant($"{samples.Max():0}"), Invariant($"{growth:+0;-0;0}"), Invariant($"{rate:N0}"),
                Invariant($"{unexpected}"), string.Join(' ', loadAverage));
            Console.WriteLine(Invariant($"{service.Name} GC {mode}: after start {afterStart:0} MiB, steady {steady:0} MiB, max {samples.Max():0} MiB, growth {growth:+0;-0;0} MiB (middle→last fifth {lateGrowth:+0;-0;0}, anonymous {anonymousGrowth:+0;-0;0} MiB), {rate:N0} req/s, {unexpected} unexpected answers, load {string.Join(' ', loadAverage)}"));
            results.Add(new
            {
                service = service.Name, gc = mode, afterStartMiB = afterStart, steadyMiB = steady, maxMiB = samples.Max(), growthMiB = growth, requestsPerSecond = rate,
                lateGrowthMiB = lateGrowth, anonymousSteadyMiB = Stats.Median(anonymous[(anonymous.Count / 2)..]), anonymousGrowthMiB = anonymousGrowth,
                unexpectedAnswers = unexpected, unexpectedByRoute = load.UnexpectedByRoute, answers = load.Answers, loadAverageAtEnd = loadAverage, seeded = workload.Seeded,
                reads = workload.Reads.Select(r => r.Path).ToArray(), badPosts = workload.BadPosts.Select(b => b.Path).ToArray(), samplesMiB = samples, anonymousSamplesMiB = anonymous,
            });
        }
    }
    AnsiConsole.Write(table);
    await BenchResults.WriteAsync("memory", new
    {
        bench = "memory",
        measuredAt = DateTimeOffset.UtcNow,
        machine = BenchResults.Machine(),
        minutesPerService = duration.TotalMinutes,
        clients = clientCount,
        goal = "steady <= 200 MiB per service under load, no growth over a 10-minute soak",
        failures,
        results,
    });
    foreach (var failure in failures) Console.Error.WriteLine("FAILED: " + failure);
    return failures.Count == 0 ? 0 : 3;
}
catch (Exception exception)
{
    Console.Error.WriteLine(exception);
    lock (output) Console.Error.WriteLine(output.ToString()[^Math.Min(output.Length, 4000)..]);
    return 1;
}
finally
{
    try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
}

// Samples RSS every second while the clients loop over the reads and the bad posts (three reads for one bad post);
// every read must answer 200 and every bad post 4xx, anything else (a transport error included) is counted per route.
static async Task<LoadResult> LoadAsync(ServiceProcess service, Workload workload, int clients, TimeSpan duration)
{
    using var stop = new CancellationTokenSource(duration);
    long requests = 0, unexpected = 0;
    var answers = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
    var unexpectedByRoute = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
    var workers = Enumerable.Range(0, clients).Select(async client =>
    {
        using var http = service.Client();
        var i = client;
        var (reads, bad) = (0, 0);
        while (!stop.IsCancellationRequested)
        {
            var isBad = i % 4 == 3;
            var route = isBad ? "POST " + workload.BadPosts[bad++ % workload.BadPosts.Length].Path : "GET " + workload.Reads[reads++ % workload.Reads.Length].Path;
            string answer;
            bool expected;
            try
            {
                if (isBad)
                {
                    var post = workload.BadPosts[(bad - 1) % workload.BadPosts.Length];
                    using var response = await http.PostAsync(new Uri(post.Path, UriKind.Relative), new StringContent(post.Body, Encoding.UTF8, "application/json"), stop.Token);
                    expected = (int)response.StatusCode is >= 400 and < 500;
                    answer = Invariant($"{(int)response.StatusCode}");
                }
                else
                {
                    using var response = await http.GetAsync(new Uri(workload.Reads[(reads - 1) % workload.Reads.Length].Path, UriKind.Relative), stop.Token);
                    expected = response.StatusCode == HttpStatusCode.OK;
                    answer = Invariant($"{(int)response.StatusCode}");
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                break;
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
            {
                expected = false;
                answer = exception.GetType().Name;
            }
            answers.AddOrUpdate($"{route} {answer}", 1, (_, n) => n + 1);
            Interlocked.Increment(ref requests);
            if (!expected)
            {
                Interlocked.Increment(ref unexpected);
                unexpectedByRoute.AddOrUpdate($"{route} {answer}", 1, (_, n) => n + 1);
            }
            i++;
        }
    }).ToList();
    var samples = new List<double>();
    var anonymous = new List<double>();
    using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
    while (!stop.IsCancellationRequested && await timer.WaitForNextTickAsync(CancellationToken.None))
    {
        samples.Add(Rss(service.ProcessId));
        anonymous.Add(Rss(service.ProcessId, "RssAnon:"));
    }
    await Task.WhenAll(workers);
    return new LoadResult(samples, anonymous, requests, unexpected, new Dictionary<string, int>(answers), new Dictionary<string, int>(unexpectedByRoute));
}

// VmRSS of the process, or another line of /proc/<pid>/status (RssAnon: heap and other private memory, the part a
// managed leak grows; RssFile: mapped files such as the runtime's and the app's dlls), in MiB (Linux).
static double Rss(int pid, string field = "VmRSS:")
{
    var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith(field, StringComparison.Ordinal));
    return double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
}

static object LoadAverage() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[..3] : Array.Empty<string>();

internal sealed record LoadResult(List<double> Samples, List<double> AnonymousSamples, long Requests, long Unexpected, Dictionary<string, int> Answers, Dictionary<string, int> UnexpectedByRoute);

/// <summary>A read of the load: must answer 200; <paramref name="HasItems"/> when its list (or array) must not be empty.</summary>
internal sealed record Read(string Path, bool HasItems = true);

/// <summary>Bad input of the load: must answer 4xx.</summary>
internal sealed record BadPost(string Path, string Body);

internal sealed record Workload(Read[] Reads, BadPost[] BadPosts, string Seeded)
{
    /// <summary>Before the load: every read answers 200, and the lists the seeding filled are not empty.</summary>
    public async Task CheckAsync(ServiceProcess service)
    {
        using var http = service.Client();
        foreach (var read in Reads)
        {
            using var response = await http.GetAsync(new Uri(read.Path, UriKind.Relative));
            var text = await response.Content.ReadAsStringAsync();
            if (response.StatusCode != HttpStatusCode.OK) throw new InvalidOperationException($"GET {read.Path} answered {(int)response.StatusCode} after seeding: {text}");
            if (!read.HasItems) continue;
            var root = JsonDocument.Parse(text).RootElement;
            if (root.ValueKind != JsonValueKind.Array && !root.TryGetProperty("items", out _)) throw new InvalidOperationException($"GET {read.Path} answered no list: {text}");
            var items = root.ValueKind == JsonValueKind.Array ? root : root.GetProperty("items");
            if (items.GetArrayLength() == 0) throw new InvalidOperationException($"GET {read.Path} answered an empty list after seeding: {text}");
        }
    }
}

/// <summary>
/// What each service's reads need, created through the service's own API as a partner or the operator would. The
/// member directory talent-pipeline, events and webhooks keep comes from membership's events; the bench publishes them
/// on the broker as membership would (the service's queues are bound once it is ready).
/// </summary>
internal static class Seeding
{
    private const string Region = "Shandong, Jinan";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private static readonly BadPost HugeBody = new("", new string('x', 20_000));

    public static async Task<Workload> MembershipAsync(ServiceProcess service, Uri amqp)
    {
        using var http = service.Client();
        var organizations = new List<Guid>();
        foreach (var (name, kind) in Organizations)
            organizations.Add(Id(await PostAsync(http, "/api/v1/organizations", new { name, kind, region = Region, isIllustrative = true })));
        var consortium = Id(await PostAsync(http, "/api/v1/consortia", new
        {
            name = "Bench Industry-Education Consortium", kind = "industryEducationConsortium", region = Region,
            sectors = new[] { "intelligent manufacturing" }, leadOrganizationIds = new[] { organizations[0] },
        }));
        var memberships = new List<Guid>();
        foreach (var organization in organizations)
        {
            var membership = Id(await PostAsync(http, $"/api/v1/consortia/{consortium}/memberships", new { organizationId = organization }));
            await PostAsync(http, $"/api/v1/consortia/{consortium}/memberships/{membership}/approve", new { reason = "Bench: approved by the council" });
            memberships.Add(membership);
        }
        await PostAsync(http, $"/api/v1/organizations/{organizations[0]}/representatives", new { name = "Li Wei", title = "Dean", email = "li.wei@example.cn" });
        return new Workload(
            [
                new($"/api/v1/consortia"),
                new($"/api/v1/consortia/{consortium}", HasItems: false),
                new($"/api/v1/consortia/{consortium}/memberships"),
                new($"/api/v1/consortia/{consortium}/memberships?status=active&kind=enterprise"),
                new($"/api/v1/organizations?region={Uri.EscapeDataString(Region)}"),
                new($"/api/v1/consortia/{consortium}/memberships/{memberships[0]}/history", HasItems: false),
                new($"/api/v1/organizations/{organizations[0]}/representatives"),
            ],
            [
                new("/api/v1/organizations", """{"name":"","kind":"nonsense","region":""}"""),
                new("/api/v1/organizations", """{"name":"Bad code","kind":"enterprise","region":"Jinan","unifiedSocialCreditCode":"123"}"""),
                new("/api/v1/consortia", "{not json"),
                new($"/api/v1/consortia/{consortium}/memberships", """{"organizationId":"00000000-0000-0000-0000-000000000000"}"""),
                HugeBody with { Path = "/api/v1/organizations" },
            ],
            $"{organizations.Count} organizations, 1 consortium with {memberships.Count} active members, 1 representative");
    }

    public static async Task<Workload> TalentPipelineAsync(ServiceProcess service, Uri amqp)
    {
        var world = await PublishDirectoryAsync(amqp);
        var (college, enterprise) = (world.Organizations[0], world.Organizations[3]);
        using var http = service.Client();
        // Accepted once the service has the parties as active members (from the broker).
        var program = Id(await PostAsync(http, "/api/v1/programs", new
        {
            consortiumId = world.ConsortiumId, kind = "orderClass", title = "Bench CNC order class", collegeIds = new[] { college }, enterpriseIds = new[] { enterprise },
            occupation = "CNC machining", seats = 40,
        }, retryUntil: TimeSpan.FromSeconds(60)));
        await PostAsync(http, $"/api/v1/programs/{program}/launch", new { });
        var demand = Id(await PostAsync(http, "/api/v1/demands", new
        {
            consortiumId = world.ConsortiumId, enterpriseId = enterprise, occupation = "CNC machining", headcount = 12, region = Region,
            neededBy = "2027-07-01", skills = new[] { "CNC programming", "metrology" },
        }));
        await PostAsync(http, "/api/v1/cohorts", new
        {
            consortiumId = world.ConsortiumId, collegeId = college, major = "Numerical control technology", occupation = "CNC machining", graduationYear = 2027, headcount = 40,
        });
        string[] stages = ["enrolled", "internshipStarted", "internshipCompleted", "offerMade", "offerAccepted", "employed"];
        var events = Enumerable.Range(0, 30).SelectMany(t => stages.Take(1 + t % stages.Length).Select((type, step) => new
        {
            eventId = $"bench-{t}-{step}", collegeId = college, programId = program, traineeRef = $"bench-t{t}", type,
            occurredAt = new DateTimeOffset(2025, 9, 1, 8, 0, 0, TimeSpan.FromHours(8)).AddDays(step * 30 + t).ToString("yyyy-MM-dd'T'HH:mm:ssK", CultureInfo.InvariantCulture),
            enterpriseId = step >= 1 ? enterprise : (Guid?)null,
        })).ToList();
        var answer = await PostAsync(http, "/api/v1/placement-events", new { events });
        return new Workload(
            [
                new($"/api/v1/programs?consortiumId={world.ConsortiumId}"),
                new($"/api/v1/kpis/funnel?consortiumId={world.ConsortiumId}", HasItems: false),
                new($"/api/v1/demands?consortiumId={world.ConsortiumId}"),
                new($"/api/v1/demands/{demand}/matches"),
                new($"/api/v1/cohorts?consortiumId={world.ConsortiumId}"),
                new($"/api/v1/trainees/{college}/bench-t5", HasItems: false),
            ],
            [
                // Not {"events":[{"type":"nonsense"}]} nor {"events":[null]}: a batch is answered 200 with each event accepted,
                // duplicate or rejected (docs/API.md); only the batch's own shape is refused with 400.
                new("/api/v1/placement-events", """{"events":[]}"""),
                new("/api/v1/placement-events", """{"events":"nonsense"}"""),
                new("/api/v1/programs", "{not json"),
                HugeBody with { Path = "/api/v1/placement-events" },
                new("/api/v1/demands", $$"""{"consortiumId":"{{world.ConsortiumId}}","enterpriseId":"{{enterprise}}","occupation":"","headcount":0,"region":"","neededBy":"1800-01-01"}"""),
            ],
            $"directory on the broker (1 consortium, {world.Organizations.Length} members), 1 launched program, 1 demand, 1 cohort, {events.Count} placement events ({Summary(answer)})");
    }

    public static async Task<Workload> EventsAsync(ServiceProcess service, Uri amqp)
    {
        var world = await PublishDirectoryAsync(amqp);
        using var http = service.Client();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            using var members = await http.GetAsync(new Uri($"/api/v1/members?consortiumId={world.ConsortiumId}&limit=200", UriKind.Relative));
            if (members.StatusCode == HttpStatusCode.OK
                && JsonDocument.Parse(await members.Content.ReadAsStringAsync()).RootElement.GetProperty("items").GetArrayLength() == world.Organizations.Length) break;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"The events service did not learn the directory: {(int)members.StatusCode}\n{service.Tail()}");
            await Task.Delay(250);
        }
        var (organizer, partner) = (world.Organizations[0], world.Organizations[3]);
        var consortiumEvent = Id(await PostAsync(http, "/api/v1/events", new
        {
            kind = "signingCeremony", title = "Bench signing ceremony", consortiumId = world.ConsortiumId, organizerIds = new[] { organizer }, venue = "Hall 1",
            startsAt = "2026-10-15T09:00:00", endsAt = "2026-10-15T12:00:00", capacity = 100,
        }));
        await PostAsync(http, $"/api/v1/events/{consortiumEvent}/schedule", null);
        await PostAsync(http, $"/api/v1/events/{consortiumEvent}/open-registration", null);
        for (var i = 0; i < 10; i++)
            await PostAsync(http, $"/api/v1/events/{consortiumEvent}/registrations", new { personName = $"Guest {i}", organizationId = world.Organizations[i % world.Organizations.Length], email = $"guest{i}@example.cn" });
        await PostAsync(http, $"/api/v1/events/{consortiumEvent}/close-registration", null);
        await PostAsync(http, $"/api/v1/events/{consortiumEvent}/hold", null);
        await PostAsync(http, $"/api/v1/events/{consortiumEvent}/outcomes/agreements", new { parties = new[] { organizer, partner }, kind = "orderClass", title = "CNC order class agreement" });
        return new Workload(
            [
                new($"/api/v1/events?consortiumId={world.ConsortiumId}"),
                new($"/api/v1/members?consortiumId={world.ConsortiumId}"),
                new($"/api/v1/agreements?consortiumId={world.ConsortiumId}"),
                new($"/api/v1/feed?consortiumId={world.ConsortiumId}"),
                new($"/api/v1/events/{consortiumEvent}/registrations"),
                new($"/api/v1/events/{consortiumEvent}", HasItems: false),
            ],
            [
                new("/api/v1/events", """{"title":"","startsAt":"yesterday"}"""),
                new("/api/v1/events", "{not json"),
                HugeBody with { Path = "/api/v1/events" },
                new($"/api/v1/events/{consortiumEvent}/registrations", $$"""{"personName":"","organizationId":"{{organizer}}","email":"not an address"}"""),
            ],
            $"directory on the broker (1 consortium, {world.Organizations.Length} members), 1 held signing ceremony with 10 registrations and 1 agreement");
    }

    public static async Task<Workload> WebhooksAsync(ServiceProcess service, Uri amqp)
    {
        var world = await PublishDirectoryAsync(amqp);
        var organization = world.Organizations[0];
        using var http = service.Client();
        var endpoints = new List<Guid>();
        for (var i = 0; i < 3; i++)
        {
            // Accepted once the service knows the organization (from the broker). Port 9 (discard): never called.
            endpoints.Add(Id(await PostAsync(http, "/api/v1/webhook-endpoints", new
            {
                organizationId = organization, url = $"http://127.0.0.1:9/hook/{i}", eventTypes = new[] { "membership.activated", "program.launched" }, description = $"Bench endpoint {i}",
            }, retryUntil: TimeSpan.FromSeconds(60))));
        }
        return new Workload(
            [
                new($"/api/v1/webhook-endpoints?organizationId={organization}"),
                new("/api/v1/webhook-endpoints"),
                new($"/api/v1/webhook-endpoints/{endpoints[0]}", HasItems: false),
                new($"/api/v1/webhook-endpoints/{endpoints[1]}/deliveries", HasItems: false),
            ],
            [
                new("/api/v1/webhook-endpoints", $$"""{"organizationId":"{{organization}}","url":"ftp://nowhere","eventTypes":["nonsense"]}"""),
                new("/api/v1/webhook-endpoints", "{not json"),
                HugeBody with { Path = "/api/v1/webhook-endpoints" },
            ],
            $"directory on the broker (1 consortium, {world.Organizations.Length} members), {endpoints.Count} endpoints of one member");
    }

    private static readonly (string Name, string Kind)[] Organizations =
    [
        ("Bench Technician College (illustrative)", "technicianCollege"), ("Bench Vocational College (illustrative)", "vocationalCollege"),
        ("Bench University of Applied Technology (illustrative)", "university"), ("Bench CNC Machinery Co. (illustrative)", "enterprise"),
        ("Bench Auto Parts Co. (illustrative)", "enterprise"), ("Bench Logistics Group (illustrative)", "enterprise"),
    ];

    /// <summary>The consortium and its active members as membership announces them; waits for the broker's confirms.</summary>
    private static async Task<World> PublishDirectoryAsync(Uri amqp)
    {
        var world = new World(Guid.CreateVersion7(), [.. Organizations.Select(_ => Guid.CreateVersion7())]);
        var at = DateTimeOffset.UtcNow;
        var connection = await new ConnectionFactory { Uri = amqp }.CreateConnectionAsync();
        await using (connection)
        {
            var channel = await connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
            await using (channel)
            {
                // A service that consumes none of one type has not declared its exchange; publishing there would close the channel.
                foreach (var exchange in new[] { BrokerMessages.ExchangeOf<ConsortiumEstablished>(), BrokerMessages.ExchangeOf<OrganizationRegistered>(), BrokerMessages.ExchangeOf<MembershipActivated>() })
                    await channel.ExchangeDeclareAsync(exchange, ExchangeType.Fanout, durable: true);
                await BrokerMessages.PublishAsync(channel, new ConsortiumEstablished
                {
                    ConsortiumId = world.ConsortiumId, Name = "Bench Industry-Education Consortium", Kind = "industryEducationConsortium", Region = Region,
                    Sectors = ["intelligent manufacturing"], LeadOrganizationIds = [world.Organizations[0]], TimeZone = "Asia/Shanghai", OccurredAt = at,
                });
                for (var i = 0; i < Organizations.Length; i++)
                {
                    var (name, kind) = Organizations[i];
                    await BrokerMessages.PublishAsync(channel, new OrganizationRegistered { OrganizationId = world.Organizations[i], Name = name, Kind = kind, Region = Region, OccurredAt = at });
                    await BrokerMessages.PublishAsync(channel, new MembershipActivated
                    {
                        MembershipId = Guid.CreateVersion7(), ConsortiumId = world.ConsortiumId, OrganizationId = world.Organizations[i], OrganizationName = name,
                        OrganizationKind = kind, OccurredAt = at, Version = 1,
                    });
                }
            }
        }
        return world;
    }

    /// <summary>POSTs as JSON (no body when null); a 4xx is retried until <paramref name="retryUntil"/> (for state that arrives over the broker).</summary>
    private static async Task<JsonElement> PostAsync(HttpClient http, string path, object? body, TimeSpan? retryUntil = null)
    {
        var deadline = DateTime.UtcNow + (retryUntil ?? TimeSpan.Zero);
        while (true)
        {
            using var response = body is null ? await http.PostAsync(new Uri(path, UriKind.Relative), null) : await http.PostAsJsonAsync(path, body, Json);
            var text = await response.Content.ReadAsStringAsync();
            if (response.IsSuccessStatusCode) return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
            if ((int)response.StatusCode >= 500 || DateTime.UtcNow >= deadline)
                throw new InvalidOperationException($"Seeding: POST {path} answered {(int)response.StatusCode}: {text}");
            await Task.Delay(250);
        }
    }

    private static Guid Id(JsonElement created) => created.GetProperty("id").GetGuid();

    private static string Summary(JsonElement answer) =>
        answer.ValueKind == JsonValueKind.Object && answer.TryGetProperty("accepted", out var accepted) ? $"{accepted} accepted" : answer.ToString()[..Math.Min(200, answer.ToString().Length)];

    private sealed record World(Guid ConsortiumId, Guid[] Organizations);
}

/// <summary>Runtime settings per mode, on top of the build's own runtimeconfig ("shipped").</summary>
internal static class Modes
{
    public static readonly IReadOnlyDictionary<string, Dictionary<string, string>> Settings = new Dictionary<string, Dictionary<string, string>>
    {
        ["shipped"] = [],
        // What the Web SDK gave every service before Directory.Build.props chose workstation GC.
        ["server"] = new() { ["DOTNET_gcServer"] = "1" },
        // Code mapped once instead of through the double mapper.
        ["wx-off"] = new() { ["DOTNET_EnableWriteXorExecute"] = "0" },
        // Tiered PGO back on (the runtime's default; Directory.Build.props turns it off): an instrumented tier between tier 0 and tier 1.
        ["pgo-on"] = new() { ["DOTNET_TieredPGO"] = "1" },
        // Every method compiled once, fully optimised (no tier-0 copies, slower start).
        ["tiering-off"] = new() { ["DOTNET_TieredCompilation"] = "0" },
        // Methods without precompiled code (ours, EF Core, Npgsql, MassTransit) JIT'd fully optimised at once instead of
        // tier 0 first; the framework's precompiled code still tiers up.
        ["quickjit-off"] = new() { ["DOTNET_TC_QuickJit"] = "0" },
        // Blocking gen-2 collections instead of background ones (no background GC thread and its mark state).
        ["gc-nonconcurrent"] = new() { ["DOTNET_gcConcurrent"] = "0" },
        // GC heap kept compact: gen-2 compacted more eagerly (0-9).
        ["conserve"] = new() { ["DOTNET_GCConserveMemory"] = "5" },
        // A 4 MiB gen-0 budget (hex) instead of the one the GC derives from the L3 cache (~16 MiB seen here): more, smaller gen-0 collections.
        ["gen0-4m"] = new() { ["DOTNET_GCgen0size"] = "400000" },
        // The segments GC the runtime ships beside the default regions GC (libclrgc.so; runtimeconfig System.GC.Name).
        ["segments"] = new() { ["DOTNET_GCName"] = "libclrgc.so" },
        // ICU loaded, as events shipped until it went invariant like the other services.
        ["icu"] = new() { ["DOTNET_SYSTEM_GLOBALIZATION_INVARIANT"] = "0" },
        // A 256 MiB (hex) cap on the GC heap: the GC sizes its budgets and bookkeeping to it.
        ["hard-limit"] = new() { ["DOTNET_GCHeapHardLimit"] = "10000000" },
        // Diagnosis, not a setting to ship: every method the JIT compiles, with its tier, to /tmp/jit-<pid of the bench>.txt.
        ["jit-log"] = new() { ["DOTNET_JitDisasmSummary"] = "1", ["DOTNET_JitStdOutFile"] = $"/tmp/jit-{Environment.ProcessId}.txt" },
    };
}
