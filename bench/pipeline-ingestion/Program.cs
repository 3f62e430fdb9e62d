using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using Platform.Bench;
using Platform.Bench.PipelineIngestion;
using Platform.Hosting;
using Spectre.Console;
using static System.FormattableString;

// Placement-event ingestion through POST /api/v1/placement-events (batches of 1,000, N concurrent clients) next to a raw
// COPY of the same rows into PostgreSQL in the same run; then, at a steady rate, accepted → published on the queue and
// accepted → visible in the events service's feed. See README.md.
var options = BenchOptions.Read(args, out var commandLineExit);
if (options is null) return commandLineExit;
var folder = Directory.CreateTempSubdirectory("platform-bench-pipeline-").FullName;
var serverOutput = new ServerOutput();
ServiceProcess? service = null;
ServiceProcess? events = null;
try
{
    BenchCommandLine.Phase("Starting PostgreSQL (durable) and RabbitMQ ...");
    await using var postgres = await PostgresServer.StartAsync(new PostgresOptions { DataDirectory = Path.Combine(folder, "postgres"), Output = serverOutput.Write });
    await using var rabbit = await RabbitMqServer.StartAsync(new RabbitMqOptions { DataDirectory = Path.Combine(folder, "rabbitmq"), NodeName = $"benchpl{Environment.ProcessId}", Output = serverOutput.Write });
    await postgres.EnsureDatabaseAsync("talentpipelinedb");
    await postgres.EnsureDatabaseAsync("eventsdb");
    await postgres.EnsureDatabaseAsync("bench_raw");
    var serviceDb = postgres.ConnectionString("talentpipelinedb");
    var rawDb = postgres.ConnectionString("bench_raw");

    BenchCommandLine.Phase($"Starting the talent-pipeline service ({options.Configuration}) as a process ...");
    service = await ServiceProcess.StartAsync(ServiceSpec.TalentPipeline, options.Configuration, serviceDb, rabbit.AmqpUri, options.ServiceSettings);
    var world = await World.SeedAsync(service, serviceDb, options.Clients);

    var ours = new List<double>();
    var raw = new List<double>();
    if (options.Runs > 0)
    {
        await RawCopy.CreateTableAsync(rawDb);
        Console.WriteLine($"{options.Clients} clients x {options.BatchesPerClient} batches x {options.Batch} events per run, {options.Runs} runs after 3 warm-up runs");
        // Warm-up: three runs, outbox drains included. With less, the first measured runs still ran the service's tier-0
        // code and came out at half the later runs' rate (a talent-pipeline process needs ~30 s of this load to tier up).
        for (var warmUp = 0; warmUp < 3; warmUp++)
        {
            await IngestionRun.RunAsync(service, world, options, run: -warmUp, options.BatchesPerClient, serviceDb);
            await RawCopy.RunAsync(rawDb, world, options, run: -warmUp, options.BatchesPerClient);
        }

        var table = BenchCommandLine.Results($"Ingestion: {options.Clients} clients x {options.BatchesPerClient} batches x {options.Batch} events",
            "accepted events/s", "raw COPY rows/s", "ratio", "outbox drained after s");
        Console.WriteLine();
        Console.WriteLine("run   accepted events/s   raw COPY rows/s   ratio   outbox drained after");
        for (var run = 1; run <= options.Runs; run++)
        {
            var result = await IngestionRun.RunAsync(service, world, options, run, options.BatchesPerClient, serviceDb);
            var copy = await RawCopy.RunAsync(rawDb, world, options, run, options.BatchesPerClient);
            ours.Add(result.Rate);
            raw.Add(copy);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{run,3}   {result.Rate,17:N0}   {copy,15:N0}   {result.Rate / copy,5:P0}   {result.Drained.TotalSeconds,6:0.0} s"));
            table.AddRow(Invariant($"{run}"), Invariant($"{result.Rate:N0}"), Invariant($"{copy:N0}"), Invariant($"{result.Rate / copy:P0}"), Invariant($"{result.Drained.TotalSeconds:0.0}"));
        }
        table.AddMedian(Invariant($"{Stats.Median(ours):N0}"), Invariant($"{Stats.Median(raw):N0}"), Invariant($"{Stats.Median(ours) / Stats.Median(raw):P0}"), "");
        AnsiConsole.Write(table);
        Console.WriteLine();
    }

    // Started only now: its queues are bound from here on, so the throughput runs above do not reach its feed.
    BenchCommandLine.Phase($"Starting the events service ({options.Configuration}) as a process ...");
    // The feed links a program at talent-pipeline's public address and leaves the link out when it does not know it;
    // the poller matches lines by that link, so without this every line was skipped ("0 of N visible").
    events = await ServiceProcess.StartAsync(ServiceSpec.Events, options.Configuration, postgres.ConnectionString("eventsdb"), rabbit.AmqpUri,
        new Dictionary<string, string>(options.ServiceSettings) { ["Platform__PublicUrls__talent-pipeline"] = service.BaseAddress.ToString() });
    await Announcement.PublishAsync(rabbit.AmqpUri, world, events);

    // Warm-up as long as a run: the first ~30 s of a fresh events process are slower (JIT tiers, pools, fresh tables).
    await LatencyRun.RunAsync(service, events, world, rabbit.AmqpUri, options, run: 0, options.LatencySeconds);
    var results = new List<LatencyResult>();
    for (var run = 1; run <= options.LatencyRuns; run++)
        results.Add(await LatencyRun.RunAsync(service, events, world, rabbit.AmqpUri, options, run, options.LatencySeconds));
    Console.WriteLine();
    var latencyTable = new Table { Title = new TableTitle($"Median of {results.Count} latency runs at {options.Rate} events/s, ms") }
        .AddColumn("from -> to").AddColumn("p50", c => c.RightAligned()).AddColumn("p99", c => c.RightAligned());
    LatencyResult.AddRow(latencyTable, "request sent -> PlacementRecorded on the queue", results.Select(r => r.SentToQueue).ToList());
    LatencyResult.AddRow(latencyTable, "response (committed) -> on the queue", results.Select(r => r.AnsweredToQueue).ToList());
    LatencyResult.AddRow(latencyTable, "request sent -> visible in the events feed", results.Select(r => r.SentToFeed).ToList());
    LatencyResult.AddRow(latencyTable, "response (accepted) -> visible in the feed", results.Select(r => r.AnsweredToFeed).ToList());
    LatencyResult.AddRow(latencyTable, "last event on the queue -> visible in the feed", results.Select(r => r.QueueToFeed).ToList());
    AnsiConsole.Write(latencyTable);
    await BenchResults.WriteAsync("pipeline-ingestion", new
    {
        bench = "pipeline-ingestion",
        measuredAt = DateTimeOffset.UtcNow,
        machine = BenchResults.Machine(),
        serviceEnvironment = options.ServiceSettings,
        throughput = new
        {
            options.Clients, options.BatchesPerClient, options.Batch,
            runs = ours, copyRuns = raw,
            median = ours.Count > 0 ? Stats.Median(ours) : (double?)null,
            copyMedian = raw.Count > 0 ? Stats.Median(raw) : (double?)null,
            ratio = ours.Count > 0 ? Stats.Median(ours) / Stats.Median(raw) : (double?)null,
        },
        latency = new
        {
            eventsPerSecond = options.Rate, seconds = options.LatencySeconds,
            runs = results,
            sentToFeedP50 = results.Count > 0 ? Stats.Median([.. results.Select(r => r.SentToFeed.P50)]) : (double?)null,
            sentToFeedP99 = results.Count > 0 ? Stats.Median([.. results.Select(r => r.SentToFeed.P99)]) : (double?)null,
            answeredToFeedP99 = results.Count > 0 ? Stats.Median([.. results.Select(r => r.AnsweredToFeed.P99)]) : (double?)null,
            allVisibleAndExact = results.All(r => r.Exact && r.AllVisible),
        },
    });
    return results.All(r => r.Exact && r.AllVisible) ? 0 : 2;
}
catch (Exception exception)
{
    Console.Error.WriteLine(exception);
    if (service is not null) Console.Error.WriteLine(service.Tail());
    if (events is not null) Console.Error.WriteLine(events.Tail());
    Console.Error.WriteLine(serverOutput.Tail());
    return 1;
}
finally
{
    if (events is not null) await events.DisposeAsync();
    if (service is not null) await service.DisposeAsync();
    try
    {
        Directory.Delete(folder, recursive: true);
    }
    catch (IOException)
    {
    }
}

internal sealed record BenchOptions(int Runs, int Clients, int BatchesPerClient, int Batch, int Rate, int LatencySeconds, int LatencyRuns, int PollMilliseconds, string Configuration,
    IReadOnlyDictionary<string, string> ServiceSettings)
{
    /// <summary>The command line; null when there is nothing to run (help shown: exit 0; a wrong one: exit 2).</summary>
    public static BenchOptions? Read(string[] args, out int exitCode)
    {
        var runs = BenchCommandLine.Number("--runs", 5, "Throughput runs after a warm-up; 0 skips them.");
        var clients = BenchCommandLine.Number("--clients", 4, "Concurrent clients, each a college with its own program.");
        var batches = BenchCommandLine.Number("--batches", 10, "Batches per client per throughput run.");
        var batch = BenchCommandLine.Number("--batch", 1000, "Events per batch.");
        var rate = BenchCommandLine.Number("--rate", 1000, "Events per second in the latency runs.");
        var latencySeconds = BenchCommandLine.Number("--latency-seconds", 20, "Length of each latency run, in seconds.");
        var latencyRuns = BenchCommandLine.Number("--latency-runs", 5, "Latency runs after a warm-up.");
        var pollMs = BenchCommandLine.Number("--poll-ms", 15, "How often the events feed is polled in the latency runs, in milliseconds.");
        var serviceSettings = new Option<string[]>("--service-env")
        {
            Description = "NAME=VALUE environment settings for both services only (not the bench), e.g. DOTNET_TieredPGO=0 for an A/B.",
            AllowMultipleArgumentsPerToken = true,
            DefaultValueFactory = _ => [],
        };
        serviceSettings.Validators.Add(result =>
        {
            var names = new HashSet<string>(StringComparer.Ordinal);
            foreach (var setting in result.GetValueOrDefault<string[]>() ?? [])
            {
                if (setting.IndexOf('=', StringComparison.Ordinal) is <= 0) result.AddError($"--service-env '{setting}': expected NAME=VALUE.");
                else if (!names.Add(setting[..setting.IndexOf('=', StringComparison.Ordinal)])) result.AddError($"--service-env '{setting}': the name is given twice.");
            }
        });
        var command = new RootCommand("""
            Placement-event ingestion through POST /api/v1/placement-events next to a raw COPY of the same rows, then
            accepted -> published and accepted -> visible in the events feed at a steady rate.
            """) { runs, clients, batches, batch, rate, latencySeconds, latencyRuns, pollMs, serviceSettings };
        var parsed = BenchCommandLine.Read(command, args, out exitCode);
#if DEBUG
        const string configuration = "Debug";
#else
        const string configuration = "Release";
#endif
        return parsed is null ? null : new BenchOptions(parsed.GetValue(runs), parsed.GetValue(clients), parsed.GetValue(batches), parsed.GetValue(batch),
            parsed.GetValue(rate), parsed.GetValue(latencySeconds), parsed.GetValue(latencyRuns), parsed.GetValue(pollMs), configuration,
            parsed.GetValue(serviceSettings)!.Select(s => s.Split('=', 2)).ToDictionary(p => p[0], p => p[1]));
    }
}

/// <summary>One consortium; per client a college, an enterprise and a launched order class between them.</summary>
internal sealed record World(Guid ConsortiumId, IReadOnlyList<(Guid College, Guid Enterprise, Guid Program)> Parties)
{
    public static string CollegeName(int client) => $"College {client}";
    public static string EnterpriseName(int client) => $"Enterprise {client}";
    public static string ProgramTitle(int client) => $"Order class {client}";

    public static async Task<World> SeedAsync(ServiceProcess service, string serviceDb, int clients)
    {
        // The member read model is normally filled from membership's events; the bench writes it directly.
        var consortium = Guid.CreateVersion7();
        var parties = new List<(Guid, Guid, Guid)>();
        await using var connection = new NpgsqlConnection(serviceDb);
        await connection.OpenAsync();
        for (var i = 0; i < clients; i++)
        {
            var college = Guid.CreateVersion7();
            var enterprise = Guid.CreateVersion7();
            foreach (var (id, name, kind) in new[] { (college, CollegeName(i), "vocationalCollege"), (enterprise, EnterpriseName(i), "enterprise") })
            {
                await using var insert = new NpgsqlCommand(
                    "INSERT INTO members (consortium_id, organization_id, name, kind, status, status_changed_at, version) VALUES ($1, $2, $3, $4, 'Active', now(), 1)", connection);
                insert.Parameters.Add(new NpgsqlParameter { Value = consortium });
                insert.Parameters.Add(new NpgsqlParameter { Value = id });
                insert.Parameters.Add(new NpgsqlParameter { Value = name });
                insert.Parameters.Add(new NpgsqlParameter { Value = kind });
                await insert.ExecuteNonQueryAsync();
            }
            parties.Add((college, enterprise, await service.LaunchProgramAsync(consortium, college, enterprise, ProgramTitle(i))));
        }
        return new World(consortium, parties);
    }
}

/// <summary>One placement event of the generated load.</summary>
internal sealed record LoadEvent(string EventId, Guid CollegeId, Guid ProgramId, string TraineeRef, string Type, DateTimeOffset OccurredAt, Guid? EnterpriseId);

internal static class Load
{
    private static readonly string[] Stages = ["enrolled", "internshipStarted", "internshipCompleted", "offerMade", "offerAccepted", "employed", "retained6Months", "retained12Months"];

    /// <summary>
    /// Batch <paramref name="batch"/> of a client: 1,000 different trainees (a pool of twice that), each moved one stage on,
    /// so every batch touches trainees that already have history, as a college's daily upload does.
    /// </summary>
    public static List<LoadEvent> Batch(World world, int client, int run, int batch, int size)
    {
        var (college, enterprise, program) = world.Parties[client];
        var events = new List<LoadEvent>(size);
        var pool = size * 2;
        for (var i = 0; i < size; i++)
        {
            var slot = (batch * size + i) % pool;
            var step = (batch * size + i) / pool;
            var type = Stages[Math.Min(step, Stages.Length - 1)];
            var at = new DateTimeOffset(2024, 9, 1, 8, 0, 0, TimeSpan.FromHours(8)).AddDays(step * 40 + slot % 28);
            events.Add(new LoadEvent($"r{run}-c{client}-b{batch}-{i}", college, program, $"r{run}-t{slot}", type, at,
                step >= 1 ? enterprise : null));
        }
        return events;
    }

    public static object Body(IEnumerable<LoadEvent> events) => new
    {
        events = events.Select(e => new
        {
            eventId = e.EventId, collegeId = e.CollegeId, programId = e.ProgramId, traineeRef = e.TraineeRef, type = e.Type,
            occurredAt = e.OccurredAt.ToString("yyyy-MM-dd'T'HH:mm:ssK", CultureInfo.InvariantCulture), enterpriseId = e.EnterpriseId,
        }),
    };
}

internal sealed record IngestionResult(double Rate, TimeSpan Drained);

internal static class IngestionRun
{
    public static async Task<IngestionResult> RunAsync(ServiceProcess service, World world, BenchOptions options, int run, int batchesPerClient, string serviceDb)
    {
        var batches = Enumerable.Range(0, options.Clients)
            .Select(client => Enumerable.Range(0, batchesPerClient).Select(b => Load.Batch(world, client, run, b, options.Batch)).ToList()).ToList();
        var accepted = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, options.Clients).Select(async client =>
        {
            using var http = service.Client();
            foreach (var batch in batches[client])
            {
                using var response = await http.PostAsJsonAsync("/api/v1/placement-events", Load.Body(batch));
                var report = await response.Content.ReadFromJsonAsync<JsonElement>();
                if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"{(int)response.StatusCode}: {report}");
                var count = report.GetProperty("accepted").GetInt32();
                if (count != batch.Count) throw new InvalidOperationException($"Only {count} of {batch.Count} accepted: {report.GetProperty("results").EnumerateArray().First(r => r.GetProperty("status").GetString() != "accepted")}");
                Interlocked.Add(ref accepted, count);
            }
        }));
        var elapsed = clock.Elapsed;

        // The outbox rows were committed with the events; wait until the worker has published them all, so runs do not overlap.
        await using var connection = new NpgsqlConnection(serviceDb);
        await connection.OpenAsync();
        while (true)
        {
            await using var count = new NpgsqlCommand("SELECT count(*) FROM platform.outbox_messages", connection);
            if ((long)(await count.ExecuteScalarAsync())! == 0) break;
            await Task.Delay(100);
        }
        return new IngestionResult(accepted / elapsed.TotalSeconds, clock.Elapsed - elapsed);
    }
}

/// <summary>The floor: the same rows COPYed (binary) into a table shaped like placement_events, a transaction per 1,000 rows, same concurrency.</summary>
internal static class RawCopy
{
    public static async Task CreateTableAsync(string rawDb)
    {
        await using var connection = new NpgsqlConnection(rawDb);
        await connection.OpenAsync();
        await using var create = new NpgsqlCommand("""
            CREATE TABLE placement_events (
                college_id uuid NOT NULL, event_id character varying(100) NOT NULL, program_id uuid NOT NULL, consortium_id uuid NOT NULL,
                trainee_ref character varying(64) NOT NULL, type character varying(30) NOT NULL, occurred_at timestamp with time zone NOT NULL,
                enterprise_id uuid, flag character varying(40), accepted_at timestamp with time zone NOT NULL,
                CONSTRAINT pk_placement_events PRIMARY KEY (college_id, event_id));
            CREATE INDEX ix_placement_events_trainee ON placement_events (college_id, trainee_ref, occurred_at);
            """, connection);
        await create.ExecuteNonQueryAsync();
    }

    public static async Task<double> RunAsync(string rawDb, World world, BenchOptions options, int run, int batchesPerClient)
    {
        var batches = Enumerable.Range(0, options.Clients)
            .Select(client => Enumerable.Range(0, batchesPerClient).Select(b => Load.Batch(world, client, run, b, options.Batch)).ToList()).ToList();
        var rows = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, options.Clients).Select(async client =>
        {
            await using var connection = new NpgsqlConnection(rawDb);
            await connection.OpenAsync();
            foreach (var batch in batches[client])
            {
                await using var transaction = await connection.BeginTransactionAsync();
                await using (var copy = await connection.BeginBinaryImportAsync(
                                 "COPY placement_events (college_id, event_id, program_id, consortium_id, trainee_ref, type, occurred_at, enterprise_id, accepted_at) FROM STDIN (FORMAT BINARY)"))
                {
                    var now = DateTime.UtcNow;
                    foreach (var e in batch)
                    {
                        await copy.StartRowAsync();
                        await copy.WriteAsync(e.CollegeId, NpgsqlDbType.Uuid);
                        await copy.WriteAsync(e.EventId, NpgsqlDbType.Varchar);
                        await copy.WriteAsync(e.ProgramId, NpgsqlDbType.Uuid);
                        await copy.WriteAsync(world.ConsortiumId, NpgsqlDbType.Uuid);
                        await copy.WriteAsync(e.TraineeRef, NpgsqlDbType.Varchar);
                        await copy.WriteAsync(e.Type, NpgsqlDbType.Varchar);
                        await copy.WriteAsync(e.OccurredAt.UtcDateTime, NpgsqlDbType.TimestampTz);
                        if (e.EnterpriseId is { } enterprise) await copy.WriteAsync(enterprise, NpgsqlDbType.Uuid);
                        else await copy.WriteNullAsync();
                        await copy.WriteAsync(now, NpgsqlDbType.TimestampTz);
                    }
                    await copy.CompleteAsync();
                }
                await transaction.CommitAsync();
                Interlocked.Add(ref rows, batch.Count);
            }
        }));
        return rows / clock.Elapsed.TotalSeconds;
    }
}
