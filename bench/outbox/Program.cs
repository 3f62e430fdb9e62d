using System.Diagnostics;
using System.Globalization;
using Platform.Bench.Outbox;
using Microsoft.Extensions.Logging.Abstractions;
using Platform.Hosting;
using Platform.ServiceDefaults.Persistence;

// Outbox + inbox end to end (commit -> consumer effect committed) next to raw RabbitMQ.Client publish-with-confirms
// + consume, against the same broker in the same run. Starts its own PostgreSQL and RabbitMQ. See README.md.
var options = BenchOptions.Parse(args);
var folder = Directory.CreateTempSubdirectory("platform-bench-outbox-").FullName;
var serverOutput = new ServerOutput();
try
{
    Console.WriteLine($"Starting PostgreSQL ({(options.Durable ? "durable: fsync, synchronous_commit on" : "fast: fsync off")}) and RabbitMQ ...");
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

    Console.WriteLine($"{options.Messages} messages per run, {options.Runs} runs (after a warm-up run), {options.Producers} concurrent producer request loop(s), {options.EventsPerCommit} event(s) per producer transaction, " +
                      $"publish window/outbox batch {options.Window}, consumer prefetch {options.Prefetch}, outbox consumer concurrency {options.ConcurrentMessageLimit}");
    // Warm-up, not counted: JIT tiers, connection pools, PostgreSQL caches, queue creation.
    Console.WriteLine("warm-up ...");
    await baseline.RunAsync(options.Messages);
    await outbox.RunAsync(options.Messages);
    await floor.RunAsync(options.Messages);

    var baselineRates = new List<double>();
    var outboxRates = new List<double>();
    var floorRates = new List<double>();
    Console.WriteLine();
    Console.WriteLine("run  baseline msg/s   outbox msg/s   (outbox producer done after)   db floor msg/s");
    for (var run = 1; run <= options.Runs; run++)
    {
        var raw = await baseline.RunAsync(options.Messages);
        var ours = await outbox.RunAsync(options.Messages);
        var database = await floor.RunAsync(options.Messages);
        baselineRates.Add(raw.Rate);
        outboxRates.Add(ours.Rate);
        floorRates.Add(database.Rate);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{run,3}  {raw.Rate,14:N0}   {ours.Rate,12:N0}   ({ours.ProducerDone.TotalSeconds,5:0.00} s of {ours.Elapsed.TotalSeconds,5:0.00} s)   {database.Rate,14:N0}"));
    }

    var baselineMedian = Median(baselineRates);
    var outboxMedian = Median(outboxRates);
    Console.WriteLine();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"median   baseline {baselineMedian:N0} msg/s   outbox {outboxMedian:N0} msg/s   ratio {outboxMedian / baselineMedian:P0}"));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"         database floor (2 commits/message, no messaging) {Median(floorRates):N0} msg/s"));
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
    public static BenchOptions Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < args.Length; i += 2)
            values[args[i].TrimStart('-')] = args[i + 1];
        int Get(string name, int fallback) => values.TryGetValue(name, out var text) ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;
        return new BenchOptions(
            Messages: Get("messages", 10_000),
            Runs: Get("runs", 5),
            Producers: Get("producers", 1),
            EventsPerCommit: Get("events-per-commit", 1),
            Durable: !values.TryGetValue("durable", out var durable) || bool.Parse(durable),
            Window: Get("window", 100),
            Prefetch: Get("prefetch", 16),
            ConcurrentMessageLimit: Get("concurrency", 8));
    }
}

internal sealed record RunResult(int Messages, TimeSpan Elapsed, TimeSpan ProducerDone)
{
    public double Rate => Messages / Elapsed.TotalSeconds;

    public static RunResult Measured(int messages, Stopwatch clock, TimeSpan producerDone) => new(messages, clock.Elapsed, producerDone);
}
