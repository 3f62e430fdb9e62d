using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Platform.ServiceDefaults.Telemetry;
using Platform.Testing;

namespace Platform.ServiceDefaults.Tests.Http;

public sealed class TelemetryTests(ThrowawayPostgres postgres)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    /// <summary>Keeps what an exporter would export: ended spans that are recorded.</summary>
    private sealed class SpanCapture : BaseProcessor<Activity>
    {
        public ConcurrentQueue<Activity> Spans { get; } = new();

        public override void OnEnd(Activity data)
        {
            if (data.Recorded) Spans.Enqueue(data);
        }

        /// <summary>Spans of one trace (listeners are process-wide: other tests' hosts emit too).</summary>
        public async Task<List<Activity>> OfTraceAsync(ActivityTraceId traceId, Func<List<Activity>, bool> complete)
        {
            var waited = Stopwatch.StartNew();
            while (true)
            {
                var spans = Spans.Where(s => s.TraceId == traceId).ToList();
                if (complete(spans) || waited.Elapsed > TimeSpan.FromSeconds(3)) return spans;
                await Task.Delay(25, Cancel);
            }
        }
    }

    private sealed class LogCapture : BaseProcessor<LogRecord>
    {
        public ConcurrentQueue<(ActivityTraceId TraceId, string? Message)> Records { get; } = new();

        public override void OnEnd(LogRecord data) => Records.Enqueue((data.TraceId, data.FormattedMessage));
    }

    private sealed class MetricCapture : BaseExporter<Metric>
    {
        public ConcurrentBag<string> Names { get; } = [];

        public override ExportResult Export(in Batch<Metric> batch)
        {
            foreach (var metric in batch) Names.Add($"{metric.MeterName}/{metric.Name}");
            return ExportResult.Success;
        }
    }

    /// <summary>Sends a request in a new, sampled trace (as a traced client would) and returns the trace's id.</summary>
    private static async Task<ActivityTraceId> SendTracedAsync(HttpClient client, HttpMethod method, string path, HttpStatusCode expected, HttpContent? content = null)
    {
        var traceId = ActivityTraceId.CreateRandom();
        using var request = new HttpRequestMessage(method, path) { Content = content };
        request.Headers.Add("traceparent", $"00-{traceId.ToHexString()}-{ActivitySpanId.CreateRandom().ToHexString()}-01");
        using var response = await client.SendAsync(request, Cancel);
        Assert.Equal(expected, response.StatusCode);
        return traceId;
    }

    [Fact]
    public async Task Requests_are_traced_with_http_attributes_and_database_child_spans_but_probes_are_not()
    {
        var capture = new SpanCapture();
        await using var app = await TestApp.TestApp.StartAsync(postgres, builder => builder.Services.ConfigureTracing(t => t.AddProcessor(capture)));
        using var client = app.Operator();

        var listTrace = await SendTracedAsync(client, HttpMethod.Get, "/api/v1/things", HttpStatusCode.OK);
        var spans = await capture.OfTraceAsync(listTrace, s => s.Any(a => a.Source.Name == "Microsoft.AspNetCore") && s.Any(a => a.Source.Name == "Npgsql"));
        var server = Assert.Single(spans, s => s.Source.Name == "Microsoft.AspNetCore");
        Assert.Equal(ActivityKind.Server, server.Kind);
        Assert.Equal("GET /api/v1/things", server.DisplayName);
        Assert.Equal("GET", server.GetTagItem("http.request.method"));
        Assert.Equal("/api/v1/things", server.GetTagItem("http.route"));
        Assert.Equal(200, server.GetTagItem("http.response.status_code"));
        Assert.Equal("operator", server.GetTagItem("platform.caller"));
        Assert.Contains(spans, s => s.Source.Name == "Npgsql" && s.ParentSpanId == server.SpanId);

        var failedTrace = await SendTracedAsync(client, HttpMethod.Get, "/api/v1/boom", HttpStatusCode.InternalServerError);
        var failed = Assert.Single(await capture.OfTraceAsync(failedTrace, s => s.Count > 0), s => s.Source.Name == "Microsoft.AspNetCore");
        Assert.Equal(ActivityStatusCode.Error, failed.Status);
        Assert.Equal("GET /api/v1/boom", failed.DisplayName);
        Assert.Contains(failed.Events, e => e.Name == "exception");

        var probeTrace = await SendTracedAsync(client, HttpMethod.Get, "/health/ready", HttpStatusCode.OK);
        // The span list is complete once the next request's span has ended.
        var afterTrace = await SendTracedAsync(client, HttpMethod.Get, "/api/v1/whoami", HttpStatusCode.OK);
        await capture.OfTraceAsync(afterTrace, s => s.Count > 0);
        Assert.DoesNotContain(capture.Spans, s => s.TraceId == probeTrace);

        // The platform's own sources are listened to without registration.
        using var source = new ActivitySource("Platform.Tests.Telemetry");
        ActivityTraceId ownTrace;
        using (var own = source.StartActivity("own work"))
        {
            Assert.NotNull(own);
            ownTrace = own.TraceId;
        }
        Assert.Contains(capture.Spans, s => s.TraceId == ownTrace && s.Source.Name == "Platform.Tests.Telemetry");
    }

    [Fact]
    public async Task Logs_carry_the_trace_and_framework_metrics_are_collected()
    {
        var logs = new LogCapture();
        var metrics = new MetricCapture();
        await using var app = await TestApp.TestApp.StartAsync(postgres, builder =>
        {
            builder.Services.ConfigureOpenTelemetryLoggerProvider(l => l.AddProcessor(logs));
            builder.Services.ConfigureMetrics(m => m.AddReader(new BaseExportingMetricReader(metrics)));
        });
        using var client = app.Operator();

        var traceId = await SendTracedAsync(client, HttpMethod.Post, "/api/v1/things", HttpStatusCode.Created,
            JsonContent.Create(new { name = "traced", kind = "orderClass", seats = 1 }));

        Assert.Contains(logs.Records, r => r.TraceId == traceId && r.Message?.StartsWith("Created thing", StringComparison.Ordinal) == true);

        using var meter = new Meter("Platform.Tests.Telemetry");
        meter.CreateCounter<long>("platform.tests.counted").Add(1);

        var sdk = app.Services.GetRequiredService<OpenTelemetrySdk>();
        Assert.True(sdk.MeterProvider.ForceFlush(5000));
        Assert.Contains("Microsoft.AspNetCore.Hosting/http.server.request.duration", metrics.Names);
        Assert.Contains(metrics.Names, n => n.StartsWith("Npgsql/", StringComparison.Ordinal));
        Assert.Contains(metrics.Names, n => n.StartsWith("System.Runtime/", StringComparison.Ordinal));
        Assert.Contains("Platform.Tests.Telemetry/platform.tests.counted", metrics.Names);
    }

    [Fact]
    public async Task The_resource_names_the_service_unless_OTEL_settings_say_otherwise()
    {
        await using (var app = await TestApp.TestApp.StartAsync(postgres))
        {
            var resource = app.Services.GetRequiredService<OpenTelemetrySdk>().TracerProvider.GetResource().Attributes.ToDictionary();
            Assert.Equal("test", resource["service.name"]);
            Assert.True(resource.ContainsKey("service.instance.id"));
        }

        await using (var app = await TestApp.TestApp.StartAsync(postgres, settings: new Dictionary<string, string?>
                     {
                         ["OTEL_SERVICE_NAME"] = "renamed",
                         ["OTEL_RESOURCE_ATTRIBUTES"] = "deployment.environment=ci,service.namespace=consortium",
                     }))
        {
            var resource = app.Services.GetRequiredService<OpenTelemetrySdk>().TracerProvider.GetResource().Attributes.ToDictionary();
            Assert.Equal("renamed", resource["service.name"]);
            Assert.Equal("ci", resource["deployment.environment"]);
            Assert.Equal("consortium", resource["service.namespace"]);
        }
    }

    [Fact]
    public async Task With_an_OTLP_endpoint_all_three_signals_are_exported_over_http_protobuf_and_flushed_at_shutdown()
    {
        var received = new ConcurrentQueue<(string Path, string? ContentType)>();
        var receiverBuilder = WebApplication.CreateSlimBuilder();
        receiverBuilder.WebHost.UseUrls("http://127.0.0.1:0");
        await using var receiver = receiverBuilder.Build();
        receiver.MapPost("/v1/{signal}", (HttpContext context) =>
        {
            received.Enqueue((context.Request.Path.Value!, context.Request.ContentType));
            return Results.Ok();
        });
        await receiver.StartAsync(Cancel);

        var app = await TestApp.TestApp.StartAsync(postgres, settings: new Dictionary<string, string?>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = receiver.Urls.Single(),
        });
        using (var client = app.Operator())
        using (var response = await client.GetAsync("/api/v1/things", Cancel))
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        // Batches would leave after seconds; disposing the host flushes them now.
        await app.DisposeAsync();

        var paths = received.Select(r => r.Path).Distinct().Order().ToList();
        Assert.Equal(["/v1/logs", "/v1/metrics", "/v1/traces"], paths);
        Assert.All(received, r => Assert.Equal("application/x-protobuf", r.ContentType));
    }
}
