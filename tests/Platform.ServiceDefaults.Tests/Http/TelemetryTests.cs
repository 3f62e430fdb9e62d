using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
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
        await using var app = await TestApp.TestApp.StartAsync(postgres, builder => builder.Services.ConfigureOpenTelemetryTracerProvider(t => t.AddProcessor(capture)));
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

        // Named by the route template, not the path: one name for every id.
        var id = Guid.NewGuid();
        var missingTrace = await SendTracedAsync(client, HttpMethod.Get, $"/api/v1/things/{id}", HttpStatusCode.NotFound);
        var missing = Assert.Single(await capture.OfTraceAsync(missingTrace, s => s.Any(a => a.Source.Name == "Microsoft.AspNetCore")), s => s.Source.Name == "Microsoft.AspNetCore");
        Assert.Equal("GET /api/v1/things/{thingId:guid}", missing.DisplayName);
        Assert.Equal("/api/v1/things/{thingId:guid}", missing.GetTagItem("http.route"));
        Assert.Equal($"/api/v1/things/{id}", missing.GetTagItem("url.path"));
        Assert.Equal(404, missing.GetTagItem("http.response.status_code"));
        Assert.Equal(ActivityStatusCode.Unset, missing.Status); // a 4xx is the client's error, not the server's

        var failedTrace = await SendTracedAsync(client, HttpMethod.Get, "/api/v1/boom", HttpStatusCode.InternalServerError);
        var failed = Assert.Single(await capture.OfTraceAsync(failedTrace, s => s.Count > 0), s => s.Source.Name == "Microsoft.AspNetCore");
        Assert.Equal(ActivityStatusCode.Error, failed.Status);
        Assert.Equal("GET /api/v1/boom", failed.DisplayName);
        Assert.Contains(failed.Events, e => e.Name == "exception");

        // Probes leave nothing: neither their request span nor the readiness checks' database queries under it.
        var readyTrace = await SendTracedAsync(client, HttpMethod.Get, "/health/ready", HttpStatusCode.OK);
        var liveTrace = await SendTracedAsync(client, HttpMethod.Get, "/health/live", HttpStatusCode.OK);
        // The span list is complete once the next request's span has ended.
        var afterTrace = await SendTracedAsync(client, HttpMethod.Get, "/api/v1/whoami", HttpStatusCode.OK);
        await capture.OfTraceAsync(afterTrace, s => s.Count > 0);
        Assert.DoesNotContain(capture.Spans, s => s.TraceId == readyTrace || s.TraceId == liveTrace);

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
            builder.Services.ConfigureOpenTelemetryMeterProvider(m => m.AddReader(new BaseExportingMetricReader(metrics)));
        });
        using var client = app.Operator();

        var traceId = await SendTracedAsync(client, HttpMethod.Post, "/api/v1/things", HttpStatusCode.Created,
            JsonContent.Create(new { name = "traced", kind = "orderClass", seats = 1 }));

        Assert.Contains(logs.Records, r => r.TraceId == traceId && r.Message?.StartsWith("Created thing", StringComparison.Ordinal) == true);

        using var meter = new Meter("Platform.Tests.Telemetry");
        meter.CreateCounter<long>("platform.tests.counted").Add(1);

        Assert.True(app.Services.GetRequiredService<MeterProvider>().ForceFlush(5000));
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
            var resource = app.Services.GetRequiredService<TracerProvider>().GetResource().Attributes.ToDictionary();
            Assert.Equal("test", resource["service.name"]);
            Assert.True(resource.ContainsKey("service.instance.id"));
        }

        await using (var app = await TestApp.TestApp.StartAsync(postgres, settings: new Dictionary<string, string?>
                     {
                         ["OTEL_SERVICE_NAME"] = "renamed",
                         // As Aspire sets them: its instance id wins over ours too.
                         ["OTEL_RESOURCE_ATTRIBUTES"] = "deployment.environment=ci,service.namespace=consortium,service.instance.id=renamed-1",
                     }))
        {
            var resource = app.Services.GetRequiredService<TracerProvider>().GetResource().Attributes.ToDictionary();
            Assert.Equal("renamed", resource["service.name"]);
            Assert.Equal("ci", resource["deployment.environment"]);
            Assert.Equal("consortium", resource["service.namespace"]);
            Assert.Equal("renamed-1", resource["service.instance.id"]);
        }
    }

    [Theory]
    [InlineData("http/protobuf")]
    [InlineData("grpc")]
    public async Task With_an_OTLP_endpoint_all_three_signals_are_exported_with_the_configured_protocol_and_headers_and_flushed_at_shutdown(string protocol)
    {
        var grpc = protocol == "grpc";
        var received = new ConcurrentQueue<(string Path, string? ContentType, string ApiKey)>();
        var receiverBuilder = WebApplication.CreateSlimBuilder();
        // gRPC without TLS needs an HTTP/2-only listener (prior knowledge).
        receiverBuilder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0,
            listen => listen.Protocols = grpc ? HttpProtocols.Http2 : HttpProtocols.Http1));
        await using var receiver = receiverBuilder.Build();
        receiver.MapPost("/{**path}", async (HttpContext context) =>
        {
            received.Enqueue((context.Request.Path.Value!, context.Request.ContentType, context.Request.Headers["x-otlp-api-key"].ToString()));
            await context.Request.Body.CopyToAsync(Stream.Null, Cancel);
            if (!grpc) return;
            // An empty, successful gRPC reply: one uncompressed zero-length message, then status OK.
            context.Response.ContentType = "application/grpc";
            await context.Response.Body.WriteAsync(new byte[5], Cancel);
            context.Response.AppendTrailer("grpc-status", "0");
        });
        await receiver.StartAsync(Cancel);

        // What Aspire passes: the dashboard wants its API key in a header.
        var app = await TestApp.TestApp.StartAsync(postgres, settings: new Dictionary<string, string?>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = receiver.Urls.Single(),
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = protocol,
            ["OTEL_EXPORTER_OTLP_HEADERS"] = "x-otlp-api-key=dashboard-secret",
        });
        using (var client = app.Operator())
        using (var response = await client.GetAsync("/api/v1/things", Cancel))
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        // Batches would leave after seconds; disposing the host flushes them now.
        await app.DisposeAsync();

        var paths = received.Select(r => r.Path).Distinct().Order().ToList();
        Assert.Equal(grpc
            ? ["/opentelemetry.proto.collector.logs.v1.LogsService/Export", "/opentelemetry.proto.collector.metrics.v1.MetricsService/Export", "/opentelemetry.proto.collector.trace.v1.TraceService/Export"]
            : ["/v1/logs", "/v1/metrics", "/v1/traces"], paths);
        Assert.All(received, r => Assert.Equal(grpc ? "application/grpc" : "application/x-protobuf", r.ContentType));
        Assert.All(received, r => Assert.Equal("dashboard-secret", r.ApiKey));
    }

    [Fact]
    public async Task Without_an_OTLP_endpoint_nothing_is_exported()
    {
        // An OTLP exporter without an endpoint sends to http://localhost:4318 (http/protobuf): listen there.
        var received = new ConcurrentQueue<string>();
        var receiverBuilder = WebApplication.CreateSlimBuilder();
        receiverBuilder.WebHost.ConfigureKestrel(kestrel => kestrel.ListenLocalhost(4318));
        await using var receiver = receiverBuilder.Build();
        receiver.MapPost("/v1/{signal}", (HttpContext context) =>
        {
            received.Enqueue(context.Request.Path.Value!);
            return Results.Ok();
        });
        try
        {
            await receiver.StartAsync(Cancel);
        }
        catch (Exception exception) when (exception is IOException or InvalidOperationException)
        {
            Assert.Fail($"Port 4318 (the OTLP default) is taken on this machine, so this test cannot listen there: {exception.Message}");
        }

        async Task RunAsync(Action<WebApplicationBuilder>? configure)
        {
            var app = await TestApp.TestApp.StartAsync(postgres, configure, new Dictionary<string, string?> { ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf" });
            using (var client = app.Operator())
            using (var response = await client.GetAsync("/api/v1/things", Cancel))
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            await app.DisposeAsync();
        }

        // The listener does see an exporter that has no endpoint (one added here regardless of the setting)...
        await RunAsync(builder => builder.Services.AddOpenTelemetry().UseOtlpExporter());
        Assert.Contains("/v1/traces", received);

        // ...and ServiceDefaults adds none.
        received.Clear();
        await RunAsync(null);
        Assert.Empty(received);
    }
}
