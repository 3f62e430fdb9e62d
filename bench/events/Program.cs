using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using Platform.Bench;
using Platform.Hosting;
using Spectre.Console;
using static System.FormattableString;

// Events service under load, over real HTTP against its own process, PostgreSQL and RabbitMQ:
//  1. registrations/s with 50 concurrent clients against one event of 1,000 seats (and the counts exactly right after);
//  2. feed page p99 with 100 concurrent readers over 100,000 entries;
// each next to /health/live p99 at the same concurrency, measured in the same run. Median of several runs. See README.md.
var runsArgument = new Argument<int>("runs")
{
    Description = "Measured runs after a warm-up.",
    Arity = ArgumentArity.ZeroOrOne,
    DefaultValueFactory = _ => 5,
    CustomParser = result => BenchCommandLine.WholeNumber(result, "runs"),
};
var warmUpOption = BenchCommandLine.Number("--warm-up", 12, "Warm-up rounds (registrations, feed, health) before the measured runs.");
var command = new RootCommand("""
    Events service under load over real HTTP: registrations/s with 50 clients against one event of 1,000 seats, and feed
    page p99 with 100 readers over 100,000 entries, each next to /health/live p99 at the same concurrency.
    """) { runsArgument, warmUpOption };
var parsed = BenchCommandLine.Read(command, args, out var commandLineExit);
if (parsed is null) return commandLineExit;
var runs = parsed.GetValue(runsArgument);
var warmUpRounds = parsed.GetValue(warmUpOption);
const int RegistrationClients = 50, Seats = 1_000, Registrations = 1_500;
const int FeedReaders = 100, FeedEntries = 100_000, PagesPerReader = 20;
const string OperatorKey = "bench-operator-key-6c1f";

var folder = Directory.CreateTempSubdirectory("platform-bench-events-").FullName;
var output = new ServerOutput();
ChildProcess? service = null;
try
{
    BenchCommandLine.Phase("Starting PostgreSQL (durable), RabbitMQ and the events service ...");
    await using var postgres = await PostgresServer.StartAsync(new PostgresOptions { DataDirectory = Path.Combine(folder, "postgres"), Output = output.Write });
    await using var rabbit = await RabbitMqServer.StartAsync(new RabbitMqOptions { DataDirectory = Path.Combine(folder, "rabbitmq"), NodeName = $"benchevents{Environment.ProcessId}", Output = output.Write });
    await postgres.EnsureDatabaseAsync("eventsdb");
    var database = postgres.ConnectionString("eventsdb");
    var port = FreePort.Next();
    var baseUri = new Uri($"http://127.0.0.1:{port}/");
    service = ChildProcess.Start(new ChildProcessSpec("dotnet", [ServiceAssembly()])
    {
        Environment = new Dictionary<string, string?>
        {
            ["ASPNETCORE_URLS"] = baseUri.ToString().TrimEnd('/'),
            ["ConnectionStrings__eventsdb"] = database,
            ["ConnectionStrings__messaging"] = rabbit.AmqpUri.ToString(),
            ["Platform__OperatorKey"] = OperatorKey,
            // The bench measures the service, not the per-key limiter (50/s, burst 100 by default).
            ["Platform__RateLimit__PermitsPerSecond"] = "1000000",
            ["Platform__RateLimit__Burst"] = "1000000",
            ["Logging__LogLevel__Default"] = "Warning",
        },
    }, output.Write);

    using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 200, PooledConnectionLifetime = TimeSpan.FromMinutes(10) })
    {
        BaseAddress = baseUri,
        Timeout = TimeSpan.FromSeconds(60),
    };
    http.DefaultRequestHeaders.Add("X-Api-Key", OperatorKey);
    await WaitReadyAsync(http);

    var (consortiumId, organizerId) = await SeedDirectoryAsync(database);
    BenchCommandLine.Phase($"Seeding {FeedEntries:N0} feed entries ...");
    await SeedFeedAsync(database, consortiumId, FeedEntries);

    Console.WriteLine($"{runs} runs after {warmUpRounds} warm-up rounds. Registrations: {RegistrationClients} clients, {Registrations:N0} people for {Seats:N0} seats. Feed: {FeedReaders} readers x {PagesPerReader} pages of 50.");
    // Twelve rounds by default: after fewer the service was still compiling its hot paths to optimized code while
    // being measured, and runs kept getting faster (README.md).
    for (var round = 0; round < warmUpRounds; round++)
    {
        await RegistrationRunAsync(http, consortiumId, organizerId);
        await FeedRunAsync(http, consortiumId);
        await HealthRunAsync(http, RegistrationClients, Registrations);
    }

    var rates = new List<double>();
    var registrationP99 = new List<double>();
    var feedP99 = new List<double>();
    var healthAt50 = new List<double>();
    var healthAt100 = new List<double>();
    var table = BenchCommandLine.Results("Events service", "registrations/s", "reg p99 ms", "live p99 ms @50", "feed p99 ms", "feed p50 ms", "live p99 ms @100");
    Console.WriteLine();
    Console.WriteLine("run  registrations/s  reg p99 ms  live p99 ms @50 | feed p99 ms  feed p50 ms  live p99 ms @100");
    for (var run = 1; run <= runs; run++)
    {
        var registration = await RegistrationRunAsync(http, consortiumId, organizerId);
        var live50 = await HealthRunAsync(http, RegistrationClients, Registrations);
        var feed = await FeedRunAsync(http, consortiumId);
        var live100 = await HealthRunAsync(http, FeedReaders, FeedReaders * PagesPerReader);
        rates.Add(registration.Rate);
        registrationP99.Add(registration.P99);
        healthAt50.Add(live50.P99);
        feedP99.Add(feed.P99);
        healthAt100.Add(live100.P99);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{run,3}  {registration.Rate,15:N0}  {registration.P99,10:N1}  {live50.P99,14:N1} | {feed.P99,11:N1}  {feed.P50,11:N1}  {live100.P99,15:N1}"));
        table.AddRow(Invariant($"{run}"), Invariant($"{registration.Rate:N0}"), Invariant($"{registration.P99:N1}"), Invariant($"{live50.P99:N1}"),
            Invariant($"{feed.P99:N1}"), Invariant($"{feed.P50:N1}"), Invariant($"{live100.P99:N1}"));
    }
    table.AddMedian(Invariant($"{Median(rates):N0}"), Invariant($"{Median(registrationP99):N1}"), Invariant($"{Median(healthAt50):N1}"),
        Invariant($"{Median(feedP99):N1}"), "", Invariant($"{Median(healthAt100):N1}"));
    Console.WriteLine();
    AnsiConsole.Write(table);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"median  registrations {Median(rates):N0}/s (p99 {Median(registrationP99):N1} ms; /health/live p99 at 50 clients {Median(healthAt50):N1} ms, ratio {Median(registrationP99) / Median(healthAt50):N1}x)"));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"        feed page p99 {Median(feedP99):N1} ms over {FeedEntries:N0} entries (/health/live p99 at 100 readers {Median(healthAt100):N1} ms, ratio {Median(feedP99) / Median(healthAt100):N1}x)"));
    await BenchResults.WriteAsync("events", new
    {
        bench = "events",
        measuredAt = DateTimeOffset.UtcNow,
        machine = BenchResults.Machine(),
        runs,
        warmUpRounds,
        registrations = new
        {
            clients = RegistrationClients, seats = Seats, people = Registrations, countsExact = true,
            rateMedian = Median(rates), rateRuns = rates, p99Median = Median(registrationP99), baselineP99Median = Median(healthAt50),
            goal = ">= 2,000/s, counts exact",
        },
        feed = new
        {
            readers = FeedReaders, entries = FeedEntries, pagesPerReader = PagesPerReader,
            p99Median = Median(feedP99), p99Runs = feedP99, baselineP99Median = Median(healthAt100), baselineP99Runs = healthAt100,
            ratioToBaseline = Median(feedP99) / Median(healthAt100),
            goal = "feed page p99 <= 3x /health/live p99 at the same concurrency",
        },
    });
    return 0;
}
catch (Exception exception)
{
    Console.Error.WriteLine(exception);
    Console.Error.WriteLine(output.Tail());
    return 1;
}
finally
{
    if (service is not null) await service.DisposeAsync();
    try
    {
        Directory.Delete(folder, recursive: true);
    }
    catch (IOException)
    {
    }
}

// One event of 1,000 seats; 50 clients register 1,500 people as fast as they can. Afterwards the event must say
// exactly 1,000 registered and 500 waitlisted, else the run fails.
static async Task<Measured> RegistrationRunAsync(HttpClient http, Guid consortiumId, Guid organizerId)
{
    using var created = await http.PostAsJsonAsync("/api/v1/events", new
    {
        kind = "jobFair", title = "Bench job fair", consortiumId, organizerIds = new[] { organizerId }, venue = "Hall 1",
        startsAt = "2025-05-01T09:00:00", endsAt = "2025-05-01T17:00:00", capacity = Seats,
    });
    created.EnsureSuccessStatusCode();
    var eventId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    foreach (var action in new[] { "schedule", "open-registration" })
        (await http.PostAsync(new Uri($"/api/v1/events/{eventId}/{action}", UriKind.Relative), null)).EnsureSuccessStatusCode();

    var next = -1;
    var measured = await MeasureAsync(RegistrationClients, async latencies =>
    {
        int i;
        while ((i = Interlocked.Increment(ref next)) < Registrations)
        {
            var started = Stopwatch.GetTimestamp();
            using var response = await http.PostAsJsonAsync($"/api/v1/events/{eventId}/registrations",
                new { personName = $"Job seeker {i}", organizationId = organizerId, email = $"seeker{i}@example.cn" });
            if (response.StatusCode != HttpStatusCode.Created) throw new InvalidOperationException($"Registration answered {(int)response.StatusCode}");
            latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
    });
    var read = await http.GetFromJsonAsync<JsonElement>($"/api/v1/events/{eventId}");
    var registered = read.GetProperty("registered").GetInt32();
    var waitlisted = read.GetProperty("waitlisted").GetInt32();
    if (registered != Seats || waitlisted != Registrations - Seats)
        throw new InvalidOperationException($"Counts wrong after the run: {registered} registered, {waitlisted} waitlisted.");
    return measured with { Rate = Registrations / measured.Elapsed.TotalSeconds };
}

// 100 readers each walk 20 pages from the newest entry, following nextCursor.
static Task<Measured> FeedRunAsync(HttpClient http, Guid consortiumId) =>
    MeasureAsync(FeedReaders, async latencies =>
    {
        string? cursor = null;
        for (var page = 0; page < PagesPerReader; page++)
        {
            var started = Stopwatch.GetTimestamp();
            var body = await http.GetFromJsonAsync<JsonElement>(
                $"/api/v1/feed?consortiumId={consortiumId}&limit=50{(cursor is null ? "" : $"&cursor={Uri.EscapeDataString(cursor)}")}");
            latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            if (body.GetProperty("items").GetArrayLength() != 50) throw new InvalidOperationException("A feed page came back short.");
            cursor = body.GetProperty("nextCursor").GetString();
        }
    });

static Task<Measured> HealthRunAsync(HttpClient http, int clients, int requests)
{
    var next = -1;
    return MeasureAsync(clients, async latencies =>
    {
        while (Interlocked.Increment(ref next) < requests)
        {
            var started = Stopwatch.GetTimestamp();
            using var response = await http.GetAsync(new Uri("/health/live", UriKind.Relative));
            response.EnsureSuccessStatusCode();
            latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
    });
}

static async Task<Measured> MeasureAsync(int clients, Func<List<double>, Task> client)
{
    var perClient = Enumerable.Range(0, clients).Select(_ => new List<double>()).ToList();
    var clock = Stopwatch.StartNew();
    await Task.WhenAll(perClient.Select(latencies => Task.Run(() => client(latencies))));
    clock.Stop();
    var all = perClient.SelectMany(l => l).Order().ToList();
    return new Measured(clock.Elapsed, Percentile(all, 0.50), Percentile(all, 0.99), all.Count / clock.Elapsed.TotalSeconds);
}

static double Percentile(List<double> sorted, double p) => sorted.Count == 0 ? 0 : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];

static double Median(List<double> values)
{
    var sorted = values.Order().ToList();
    return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
}

static async Task WaitReadyAsync(HttpClient http)
{
    var deadline = DateTime.UtcNow.AddSeconds(60);
    while (true)
    {
        try
        {
            using var response = await http.GetAsync(new Uri("/health/ready", UriKind.Relative));
            if (response.IsSuccessStatusCode) return;
        }
        catch (HttpRequestException)
        {
            // Not listening yet.
        }
        if (DateTime.UtcNow > deadline) throw new TimeoutException("The events service did not become ready in 60 s.");
        await Task.Delay(200);
    }
}

// The member directory as membership's events would leave it: one consortium with an active member organizing.
static async Task<(Guid Consortium, Guid Organizer)> SeedDirectoryAsync(string database)
{
    var consortium = Guid.CreateVersion7();
    var organizer = Guid.CreateVersion7();
    await using var connection = new NpgsqlConnection(database);
    await connection.OpenAsync();
    await using var command = new NpgsqlCommand("""
        INSERT INTO known_consortia (id, name, time_zone, changed_at) VALUES (@c, 'Bench Education Group', 'Asia/Shanghai', now());
        INSERT INTO known_organizations (id, name, kind, changed_at) VALUES (@o, 'Bench Technician College', 'technicianCollege', now());
        INSERT INTO known_memberships (consortium_id, organization_id, membership_id, status, changed_at, version) VALUES (@c, @o, @m, 'active', now(), 1);
        """, connection);
    command.Parameters.AddWithValue("c", consortium);
    command.Parameters.AddWithValue("o", organizer);
    command.Parameters.AddWithValue("m", Guid.CreateVersion7());
    await command.ExecuteNonQueryAsync();
    return (consortium, organizer);
}

static async Task SeedFeedAsync(string database, Guid consortiumId, int count)
{
    await using var connection = new NpgsqlConnection(database);
    await connection.OpenAsync();
    await using var command = new NpgsqlCommand("""
        INSERT INTO feed_entries (id, consortium_id, kind, title, content, occurred_at, link, tally, updated_at)
        SELECT gen_random_uuid(), @c, 'memberJoined', 'Organization ' || n || ' joined the consortium',
               'Organization ' || n || ' (enterprise) is now an active member.', now() - make_interval(mins => n), NULL, NULL, now() - make_interval(mins => n)
          FROM generate_series(1, @n) AS n;
        ANALYZE feed_entries;
        """, connection);
    command.Parameters.AddWithValue("c", consortiumId);
    command.Parameters.AddWithValue("n", count);
    command.CommandTimeout = 300;
    await command.ExecuteNonQueryAsync();
}

// The service's own build output, next to this bench's (same configuration).
static string ServiceAssembly()
{
    var here = new DirectoryInfo(AppContext.BaseDirectory);
    var configuration = here.Parent!.Name;   // bin/<Configuration>/net10.0/
    var root = here;
    while (root is not null && !File.Exists(Path.Combine(root.FullName, "Platform.sln"))) root = root.Parent;
    var path = Path.Combine(root?.FullName ?? throw new InvalidOperationException("Platform.sln not found above the bench."),
        "services", "Events", "Platform.Events", "bin", configuration, "net10.0", "Platform.Events.dll");
    return File.Exists(path) ? path : throw new FileNotFoundException("Build the events service first (dotnet build -c Release bench/events).", path);
}

internal sealed record Measured(TimeSpan Elapsed, double P50, double P99, double Rate);
