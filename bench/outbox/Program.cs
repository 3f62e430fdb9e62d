using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Platform.Bench;
using Platform.Bench.Outbox;
using Microsoft.Extensions.Logging.Abstractions;
using Platform.Hosting;
using Platform.ServiceDefaults.Persistence;
using Spectre.Console;
using static System.FormattableString;

// Outbox + inbox end to end (commit -> consumer effect committed) next to raw RabbitMQ.Client publish-with-confirms
// + consume, against the same broker in the same run. Starts its own PostgreSQL and RabbitMQ. See README.md.
var options = BenchOptions.Read(args, out var commandLineExit);
if (options is null) return commandLineExit;
var folder = Directory.CreateTempSubdirectory("platform-bench-outbox-").FullName;
var serverOutput = new ServerOutput();
try
{
    BenchCommandLine.Phase($"Starting PostgreSQL ({(options.Durable ? "durable: fsync, synchronous_commit on" : "fast: fsync off")}) and RabbitMQ ...");
    await using var postgres = await PostgresServer.StartAsync(new PostgresOptions { DataDirectory = Path.Combine(folder, "postgres"), Durable = options.Durable, Output = serverOutput.Write });
    await using var rabbit = await RabbitMqServer.StartAsync(new RabbitMqOptions { DataDirectory = Path.Combine(folder, "rabbitmq"), NodeName = $"bench{Environment.ProcessId}", Output = serverOutput.Write });
    await postgres.EnsureDatabaseAsync("bench_producer");
    await postgres.EnsureDatabaseAsync("bench_consumer");
    await postgres.EnsureDatabaseAsync("bench_floor_producer");
    await postgres.EnsureDatabaseAsync("bench_floor_consumer");
    foreach (var database in new[] { "bench_floor_producer", "bench_floor_consumer" })
    {
        await using var context = new BenchDbContext(ServiceDatabaseOptions.For<BenchDbContext>(postgres.ConnectionString(database)));
        await MigrationRunner.ApplyAsync(context, NullLogger.Instance, CancellationToken.None);
    }

    await using var outbox = await OutboxPath.StartAsync(postgres.ConnectionString("bench_producer"), postgres.ConnectionString("bench_consumer"), rabbit.AmqpUri, options);
    await using var baseline = await BaselinePath.StartAsync(rabbit.AmqpUri, options);
    var floor = new DatabaseFloorPath(postgres.ConnectionString("bench_floor_producer"), postgres.ConnectionString("bench_floor_consumer"), options);
    var shapedFloor = new ShapedFloorPath(postgres.ConnectionString("bench_floor_producer"), postgres.ConnectionString("bench_floor_consumer"), options);

    Console.WriteLine($"{options.Messages} messages per run, {options.Runs} runs (after a warm-up run), {options.Producers} concurrent producer request loop(s), {options.EventsPerCommit} event(s) per producer transaction, " +
                      $"publish window/outbox batch {options.Window}, consumer prefetch {options.Prefetch}, outbox consumer concurrency {options.ConcurrentMessageLimit}");
    // Warm-up, not counted: JIT tiers, connection pools, PostgreSQL caches, queue creation.
    BenchCommandLine.Phase("warm-up ...");
    await baseline.RunAsync(options.Messages);
    await outbox.RunAsync(options.Messages);
    await floor.RunAsync(options.Messages);
    await shapedFloor.RunAsync(options.Messages);

    var baselineRates = new List<double>();
    var outboxRates = new List<double>();
    var floorRates = new List<double>();
    var shapedFloorRates = new List<double>();
    var table = BenchCommandLine.Results($"{options.Messages} messages per run", "baseline msg/s", "outbox msg/s", "outbox producer done after s", "db floor msg/s", "db floor, path's shape msg/s");
    Console.WriteLine();
    Console.WriteLine("run  baseline msg/s   outbox msg/s   (outbox producer done after)   db floor msg/s   db floor, path's shape msg/s");
    for (var run = 1; run <= options.Runs; run++)
    {
        var raw = await baseline.RunAsync(options.Messages);
        var ours = await outbox.RunAsync(options.Messages);
        var database = await floor.RunAsync(options.Messages);
        var shaped = await shapedFloor.RunAsync(options.Messages);
        baselineRates.Add(raw.Rate);
        outboxRates.Add(ours.Rate);
        floorRates.Add(database.Rate);
        shapedFloorRates.Add(shaped.Rate);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{run,3}  {raw.Rate,14:N0}   {ours.Rate,12:N0}   ({ours.ProducerDone.TotalSeconds,5:0.00} s of {ours.Elapsed.TotalSeconds,5:0.00} s)   {database.Rate,14:N0}   {shaped.Rate,28:N0}"));
        table.AddRow(Invariant($"{run}"), Invariant($"{raw.Rate:N0}"), Invariant($"{ours.Rate:N0}"),
            Invariant($"{ours.ProducerDone.TotalSeconds:0.00} of {ours.Elapsed.TotalSeconds:0.00}"), Invariant($"{database.Rate:N0}"), Invariant($"{shaped.Rate:N0}"));
    }

    var baselineMedian = Median(baselineRates);
    var outboxMedian = Median(outboxRates);
    var shapedFloorMedian = Median(shapedFloorRates);
    table.AddMedian(Invariant($"{baselineMedian:N0}"), Invariant($"{outboxMedian:N0} ({outboxMedian / baselineMedian:P0})"), "", Invariant($"{Median(floorRates):N0}"),
        Invariant($"{shapedFloorMedian:N0} (outbox {outboxMedian / shapedFloorMedian:P0})"));
    table.Caption = new TableTitle("db floor: 2 commits/message in independent loops; path's shape: the same commits with the path's producer and consumer concurrency; no messaging");
    Console.WriteLine();
    AnsiConsole.Write(table);
    await BenchResults.WriteAsync(options.Producers == 1 ? "outbox" : Invariant($"outbox-{options.Producers}-producers"), new
    {
        bench = "outbox",
        measuredAt = DateTimeOffset.UtcNow,
        machine = BenchResults.Machine(),
        options,
        baselineRuns = baselineRates, outboxRuns = outboxRates, floorRuns = floorRates,
        baselineMedian, outboxMedian, floorMedian = Median(floorRates),
        ratioToBaseline = outboxMedian / baselineMedian,
        ratioToFloor = outboxMedian / Median(floorRates),
        shapedFloorRuns = shapedFloorRates, shapedFloorMedian,
        ratioToShapedFloor = outboxMedian / shapedFloorMedian,
    });
    return 0;
}
catch (Exception exception)
{
    Console.Error.WriteLine(exception);
    Console.Error.WriteLine(serverOutput.Tail());
    return 1;
}
finally
{
    try
    {
        Directory.Delete(folder, recursive: true);
    }
    catch (IOException)
    {
    }
}

static double Median(List<double> values)
{
    var sorted = values.Order().ToList();
    return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
}

internal sealed record BenchOptions(int Messages, int Runs, int Producers, int EventsPerCommit, bool Durable, int Window, int Prefetch, int ConcurrentMessageLimit)
{
    /// <summary>The command line; null when there is nothing to run (help shown: exit 0; a wrong one: exit 2).</summary>
    public static BenchOptions? Read(string[] args, out int exitCode)
    {
        var messages = BenchCommandLine.Number("--messages", 10_000, "Messages per run.");
        var runs = BenchCommandLine.Number("--runs", 5, "Measured runs, after a warm-up run.");
        var producers = BenchCommandLine.Number("--producers", 1, "Concurrent producer request loops.");
        var eventsPerCommit = BenchCommandLine.Number("--events-per-commit", 1, "Events per producer transaction.");
        var durable = new Option<bool>("--durable")
        {
            HelpName = "true|false",
            Description = "PostgreSQL with fsync and synchronous_commit on (true) or off (false).",
            DefaultValueFactory = _ => true,
        };
        var window = BenchCommandLine.Number("--window", 100, "Baseline publish window and outbox batch size.");
        var prefetch = BenchCommandLine.Number("--prefetch", 16, "Consumer prefetch.");
        var concurrency = BenchCommandLine.Number("--concurrency", 8, "Outbox consumer concurrency.");
        var command = new RootCommand("""
            Outbox + inbox end to end (commit -> consumer effect committed) next to raw RabbitMQ.Client publish-with-confirms
            + consume and a database floor, against the same PostgreSQL and RabbitMQ in the same run.
            """) { messages, runs, producers, eventsPerCommit, durable, window, prefetch, concurrency };
        var parsed = BenchCommandLine.Read(command, args, out exitCode);
        return parsed is null ? null : new BenchOptions(
            Messages: parsed.GetValue(messages),
            Runs: parsed.GetValue(runs),
            Producers: parsed.GetValue(producers),
            EventsPerCommit: parsed.GetValue(eventsPerCommit),
            Durable: parsed.GetValue(durable),
            Window: parsed.GetValue(window),
            Prefetch: parsed.GetValue(prefetch),
            ConcurrentMessageLimit: parsed.GetValue(concurrency));
    }
}

internal sealed record RunResult(int Messages, TimeSpan Elapsed, TimeSpan ProducerDone)
{
    public double Rate => Messages / Elapsed.TotalSeconds;

    public static RunResult Measured(int messages, Stopwatch clock, TimeSpan producerDone) => new(messages, clock.Elapsed, producerDone);
}
