using System.CommandLine;
using System.Globalization;
using System.Text;
using Platform.Bench;
using Platform.Hosting;
using Spectre.Console;
using static System.FormattableString;

// Resident memory (VmRSS) of each service under a steady mixed load (reads that answer 200, bad input that answers
// 4xx), sampled every second, once per GC mode in the same run: "server" forces DOTNET_gcServer=1 (what the Web SDK
// gave the services before), "shipped" runs the build's own runtimeconfig. See README.md.
var minutes = BenchCommandLine.Number("--minutes", 2, "Minutes of load per service and GC mode (10 for the soak).");
var clients = BenchCommandLine.Number("--clients", 8, "Concurrent HTTP clients driving the load.");
var only = new Option<string>("--services") { Description = "Comma-separated: talent-pipeline,events,webhooks.", DefaultValueFactory = _ => "talent-pipeline,events,webhooks" };
var modesOption = new Option<string>("--modes") { Description = "Comma-separated GC modes: server,shipped.", DefaultValueFactory = _ => "server,shipped" };
var parsed = BenchCommandLine.Read(new RootCommand("Service RSS under load per GC mode, with growth over the run.") { minutes, clients, only, modesOption }, args, out var exit);
if (parsed is null) return exit;
var duration = TimeSpan.FromMinutes(parsed.GetValue(minutes));
var clientCount = parsed.GetValue(clients);
var wanted = parsed.GetValue(only)!.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
var modes = parsed.GetValue(modesOption)!.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

var services = new (string Name, ServiceSpec Spec, string[] Reads, (string Path, string Body)[] BadPosts)[]
{
    ("talent-pipeline", ServiceSpec.TalentPipeline, ["/api/v1/programs", "/api/v1/kpis/funnel", "/api/v1/demands"],
        [("/api/v1/placement-events", """{"events":[{"eventId":"","type":"nonsense"}]}"""), ("/api/v1/programs", "{not json"), ("/api/v1/placement-events", new string('x', 20_000))]),
    ("events", ServiceSpec.Events, ["/api/v1/events", "/api/v1/members", "/api/v1/agreements"],
        [("/api/v1/events", """{"title":"","startsAt":"yesterday"}"""), ("/api/v1/events", "{not json"), ("/api/v1/events", new string('x', 20_000))]),
    ("webhooks", ServiceSpec.Webhooks, ["/api/v1/webhook-endpoints"],
        [("/api/v1/webhook-endpoints", """{"url":"ftp://nowhere","eventTypes":["nonsense"]}"""), ("/api/v1/webhook-endpoints", "{not json")]),
};

var folder = Directory.CreateTempSubdirectory("platform-bench-memory-").FullName;
var output = new StringBuilder();
void Write(string line, bool isError) { lock (output) output.AppendLine(line); }
var results = new List<object>();
var table = BenchCommandLine.Results($"RSS in MiB, {duration.TotalMinutes:0.#} min of load at {clientCount} clients", "GC", "after start", "steady (median)", "max", "growth first→last fifth", "req/s");
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
            var settings = mode == "server" ? new Dictionary<string, string> { ["DOTNET_gcServer"] = "1" } : new Dictionary<string, string>();
            BenchCommandLine.Phase($"{service.Name}, GC {mode}: starting, then {duration.TotalMinutes:0.#} min of load ...");
            await using var process = await ServiceProcess.StartAsync(service.Spec, "Release", postgres.ConnectionString(database), rabbit.AmqpUri, settings);
            await Task.Delay(TimeSpan.FromSeconds(3));   // past start-up work (migrations, bus start) that is not load
            var afterStart = Rss(process.ProcessId);
            var load = await LoadAsync(process, service.Reads, service.BadPosts, clientCount, duration);
            var (samples, requests, unexpected) = (load.Samples, load.Requests, load.Unexpected);
            foreach (var (answer, count) in load.Answers.OrderBy(a => a.Key, StringComparer.Ordinal)) Console.WriteLine(Invariant($"  {answer}: {count}"));
            var fifth = Math.Max(1, samples.Count / 5);
            var growth = Stats.Median(samples[^fifth..]) - Stats.Median(samples[..fifth]);
            var steady = Stats.Median(samples[(samples.Count / 2)..]);
            var rate = requests / duration.TotalSeconds;
            table.AddRow(service.Name, mode, Invariant($"{afterStart:0}"), Invariant($"{steady:0}"), Invariant($"{samples.Max():0}"), Invariant($"{growth:+0;-0;0}"), Invariant($"{rate:N0}"));
            Console.WriteLine(Invariant($"{service.Name} GC {mode}: after start {afterStart:0} MiB, steady {steady:0} MiB, max {samples.Max():0} MiB, growth {growth:+0;-0;0} MiB, {rate:N0} req/s, {unexpected} unexpected answers, load {string.Join(' ', (string[])LoadAverage())}"));
            results.Add(new { service = service.Name, gc = mode, afterStartMiB = afterStart, steadyMiB = steady, maxMiB = samples.Max(), growthMiB = growth, requestsPerSecond = rate, unexpectedAnswers = unexpected, answers = load.Answers, samplesMiB = samples });
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
        results,
    });
    return 0;
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

// Samples RSS every second while the clients loop over the reads and the bad posts; returns MiB samples.
static async Task<(List<double> Samples, long Requests, long Unexpected, Dictionary<string, int> Answers)> LoadAsync(ServiceProcess service, string[] reads, (string Path, string Body)[] badPosts,
    int clients, TimeSpan duration)
{
    using var stop = new CancellationTokenSource(duration);
    long requests = 0, unexpected = 0;
    var answers = new System.Collections.Concurrent.ConcurrentDictionary<string, int>(StringComparer.Ordinal);
    var workers = Enumerable.Range(0, clients).Select(async client =>
    {
        using var http = service.Client();
        var i = client;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                HttpResponseMessage response;
                if (i % 4 == 3)
                {
                    var (path, body) = badPosts[i / 4 % badPosts.Length];
                    response = await http.PostAsync(new Uri(path, UriKind.Relative), new StringContent(body, Encoding.UTF8, "application/json"), stop.Token);
                    if ((int)response.StatusCode is < 400 or >= 500) Interlocked.Increment(ref unexpected);
                }
                else
                {
                    response = await http.GetAsync(new Uri(reads[i % reads.Length], UriKind.Relative), stop.Token);
                    if (!response.IsSuccessStatusCode) Interlocked.Increment(ref unexpected);
                }
                answers.AddOrUpdate($"{response.RequestMessage!.Method} {response.RequestMessage.RequestUri!.AbsolutePath} {(int)response.StatusCode}", 1, (_, n) => n + 1);
                response.Dispose();
                Interlocked.Increment(ref requests);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
            }
            i++;
        }
    }).ToList();
    var samples = new List<double>();
    using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
    while (!stop.IsCancellationRequested && await timer.WaitForNextTickAsync(CancellationToken.None))
        samples.Add(Rss(service.ProcessId));
    await Task.WhenAll(workers);
    return (samples, requests, unexpected, new Dictionary<string, int>(answers));
}

// VmRSS of the process, in MiB (Linux).
static double Rss(int pid)
{
    var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
    return double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
}

static object LoadAverage() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[..3] : Array.Empty<string>();
