extern alias dashboard;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using dashboard::Platform.Dashboard.Otlp.Collector.Trace;
using dashboard::Platform.Dashboard.Otlp.Common;
using dashboard::Platform.Dashboard.Otlp.Trace;
using Google.Protobuf;
using Platform.Hosting;
using OtlpResource = dashboard::Platform.Dashboard.Otlp.Resource.Resource;

// The dashboard's OTLP/HTTP receiver as a separate process: spans per second over several runs (median), its
// resident memory once its span store is full and again after a million spans, next to a sink process that only
// drains the request bodies (the HTTP floor), measured in the same run with the same payloads. See README.md.
if (args is ["--sink", var sinkPort])
{
    var sink = WebApplication.CreateSlimBuilder();
    sink.WebHost.UseUrls($"http://127.0.0.1:{sinkPort}");
    sink.Logging.ClearProviders();
    var app = sink.Build();
    app.MapPost("/v1/traces", async (HttpRequest request) =>
    {
        await request.Body.CopyToAsync(Stream.Null);
        return Results.Bytes(new ExportTraceServiceResponse().ToByteArray(), "application/x-protobuf");
    });
    app.MapGet("/health/ready", () => "ok");
    await app.RunAsync();
    return 0;
}

var spansPerRun = Option("--spans", 250_000);
var runs = Option("--runs", 5);
var senders = Option("--senders", 4);
const int SpansPerBatch = 512; // the OpenTelemetry SDK's default export batch
const int DistinctBatches = 120; // 61,440 distinct spans: more than the store keeps, so a resent batch finds its old copy evicted

Console.WriteLine($"Building {DistinctBatches} OTLP batches of {SpansPerBatch} spans (4-span traces, 3 services, 8 attributes per span) ...");
var batches = Enumerable.Range(0, DistinctBatches).Select(Batch).ToArray();
Console.WriteLine($"batch size {batches.Average(b => b.Length) / 1024:0} KiB on average");

await using var dashboardProcess = await StartAsync("dashboard", Path.Combine(AppContext.BaseDirectory, "Platform.Dashboard.dll"), []);
await using var sinkProcess = await StartAsync("sink", Path.Combine(AppContext.BaseDirectory, "Platform.Bench.Dashboard.dll"), ["--sink"]);
using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false, MaxConnectionsPerServer = senders });

Console.WriteLine("warm-up (fills the dashboard's span store) ...");
await SendAsync(dashboardProcess.Url, 100_000);
await SendAsync(sinkProcess.Url, 100_000);
var fullRss = Rss(dashboardProcess.Process.Id);

var dashboardRates = new List<double>();
var sinkRates = new List<double>();
long sent = 100_000;
Console.WriteLine();
Console.WriteLine($"{spansPerRun:N0} spans per run, {runs} runs, {senders} concurrent senders");
Console.WriteLine("run   dashboard spans/s   sink spans/s   dashboard RSS");
for (var run = 1; run <= runs; run++)
{
    var ours = await SendAsync(dashboardProcess.Url, spansPerRun);
    var floor = await SendAsync(sinkProcess.Url, spansPerRun);
    sent += spansPerRun;
    dashboardRates.Add(ours);
    sinkRates.Add(floor);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{run,3}   {ours,17:N0}   {floor,12:N0}   {Rss(dashboardProcess.Process.Id) / 1048576.0,10:N0} MiB"));
}
while (sent < 1_000_000)
{
    await SendAsync(dashboardProcess.Url, Math.Min(spansPerRun, 1_000_000 - sent));
    sent += Math.Min(spansPerRun, 1_000_000 - sent);
}

var overview = JsonDocument.Parse(await http.GetStringAsync(new Uri(dashboardProcess.Url + "/api/telemetry/overview"))).RootElement;
var received = overview.GetProperty("spansReceived").GetInt64();
var kept = overview.GetProperty("spans").GetInt32();
var afterRss = Rss(dashboardProcess.Process.Id);
var heap = overview.GetProperty("managedHeapBytes").GetInt64();
Console.WriteLine();
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"median   dashboard {Median(dashboardRates):N0} spans/s   sink (drain only) {Median(sinkRates):N0} spans/s   ratio {Median(dashboardRates) / Median(sinkRates):P0}"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"memory   dashboard RSS {fullRss / 1048576.0:N0} MiB with its store full (100,000 spans received), {afterRss / 1048576.0:N0} MiB after {received:N0} spans received ({kept:N0} kept; managed heap after the last GC {heap / 1048576.0:N0} MiB)"));
if (received < 1_000_000) throw new InvalidOperationException($"The dashboard counted {received} spans, not the {sent} sent.");
return 0;

async Task<double> SendAsync(string url, long spans)
{
    var requests = (int)((spans + SpansPerBatch - 1) / SpansPerBatch);
    var next = -1;
    var clock = Stopwatch.StartNew();
    await Task.WhenAll(Enumerable.Range(0, senders).Select(async _ =>
    {
        int index;
        while ((index = Interlocked.Increment(ref next)) < requests)
        {
            using var content = new ByteArrayContent(batches[index % batches.Length]);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/x-protobuf");
            using var response = await http.PostAsync(new Uri(url + "/v1/traces"), content);
            response.EnsureSuccessStatusCode();
        }
    }));
    return requests * (double)SpansPerBatch / clock.Elapsed.TotalSeconds;
}

static byte[] Batch(int number)
{
    var request = new ExportTraceServiceRequest();
    string[] services = ["membership", "talent-pipeline", "events"];
    foreach (var service in services)
    {
        var scope = new ScopeSpans { Scope = new InstrumentationScope { Name = "Microsoft.AspNetCore" } };
        request.ResourceSpans.Add(new ResourceSpans
        {
            Resource = new OtlpResource { Attributes = { Text("service.name", service), Text("service.instance.id", $"{service}-5000"), Text("telemetry.sdk.name", "opentelemetry") } },
            ScopeSpans = { scope },
        });
    }
    var start = (ulong)DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1_000_000;
    for (var trace = 0; trace < SpansPerBatch / 4; trace++)
    {
        var traceId = ByteString.CopyFrom(Guid.NewGuid().ToByteArray());
        ByteString? parent = null;
        for (var depth = 0; depth < 4; depth++)
        {
            var spanId = ByteString.CopyFrom(BitConverter.GetBytes(Random.Shared.NextInt64()));
            var span = new Span
            {
                TraceId = traceId,
                SpanId = spanId,
                ParentSpanId = parent ?? ByteString.Empty,
                Name = depth == 0 ? "POST /api/v1/placement-events" : depth == 1 ? "INSERT platform.outbox_messages" : depth == 2 ? "placement-recorded publish" : "placement-recorded process",
                Kind = depth switch { 0 => Span.Types.SpanKind.Server, 1 => Span.Types.SpanKind.Client, 2 => Span.Types.SpanKind.Producer, _ => Span.Types.SpanKind.Consumer },
                StartTimeUnixNano = start + (ulong)(trace * 1_000_000 + depth * 100_000),
                EndTimeUnixNano = start + (ulong)(trace * 1_000_000 + 900_000),
                Attributes =
                {
                    Text("http.request.method", "POST"), Text("http.route", "/api/v1/placement-events"), Text("url.scheme", "http"),
                    Text("server.address", "127.0.0.1"), Int("server.port", 5000), Int("http.response.status_code", 202),
                    Text("network.protocol.version", "1.1"), Text("messaging.destination.name", "placement-recorded"),
                },
                Status = new Status { Code = Status.Types.StatusCode.Unset },
            };
            request.ResourceSpans[(trace + depth + number) % 3].ScopeSpans[0].Spans.Add(span);
            parent = spanId;
        }
    }
    return request.ToByteArray();

    static KeyValue Text(string key, string value) => new() { Key = key, Value = new AnyValue { StringValue = value } };
    static KeyValue Int(string key, long value) => new() { Key = key, Value = new AnyValue { IntValue = value } };
}

static async Task<Server> StartAsync(string name, string dll, string[] extra)
{
    var port = FreePort.Next();
    var output = new List<string>();
    string[] arguments = [dll, .. extra, .. extra.Length > 0 ? [port.ToString(CultureInfo.InvariantCulture)] : Array.Empty<string>()];
    var process = ChildProcess.Start(new ChildProcessSpec(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet", arguments)
    {
        WorkingDirectory = AppContext.BaseDirectory,
        Environment = new Dictionary<string, string?>
        {
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Logging__LogLevel__Default"] = "Warning",
        },
    }, (line, _) => { lock (output) output.Add(line); });
    using var probe = new HttpClient(new SocketsHttpHandler { UseProxy = false });
    var deadline = DateTime.UtcNow.AddSeconds(30);
    while (true)
    {
        if (process.HasExited) throw new InvalidOperationException($"{name} exited: {string.Join(Environment.NewLine, output)}");
        try
        {
            using var ready = await probe.GetAsync(new Uri($"http://127.0.0.1:{port}/health/ready"));
            if (ready.IsSuccessStatusCode) break;
        }
        catch (HttpRequestException)
        {
        }
        if (DateTime.UtcNow > deadline) throw new TimeoutException($"{name} did not get ready: {string.Join(Environment.NewLine, output)}");
        await Task.Delay(100);
    }
    return new Server($"http://127.0.0.1:{port}", process);
}

static long Rss(int pid)
{
    var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
    return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
}

static double Median(List<double> values)
{
    var sorted = values.Order().ToList();
    return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
}

int Option(string name, int fallback)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
}

internal sealed record Server(string Url, ChildProcess Process) : IAsyncDisposable
{
    public async ValueTask DisposeAsync()
    {
        await Process.StopAsync(TimeSpan.FromSeconds(5));
        await Process.DisposeAsync();
    }
}
