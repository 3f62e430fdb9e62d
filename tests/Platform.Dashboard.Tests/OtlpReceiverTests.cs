extern alias dashboard;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using dashboard::Platform.Dashboard.Otlp.Collector.Logs;
using dashboard::Platform.Dashboard.Otlp.Collector.Trace;
using dashboard::Platform.Dashboard.Otlp.Common;
using dashboard::Platform.Dashboard.Otlp.Logs;
using dashboard::Platform.Dashboard.Otlp.Trace;
using Google.Protobuf;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using OtlpResource = dashboard::Platform.Dashboard.Otlp.Resource.Resource;

namespace Platform.Dashboard.Tests;

/// <summary>The OTLP/HTTP receiver: what it decodes from protobuf bytes, and what it refuses.</summary>
public sealed class OtlpReceiverTests : IClassFixture<OtlpReceiverTests.Receiver>
{
    private readonly HttpClient _http;

    public OtlpReceiverTests(Receiver receiver)
    {
        ArgumentNullException.ThrowIfNull(receiver);
        _http = receiver.CreateClient();
    }

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    /// <summary>The dashboard in memory, small caps, no services watched.</summary>
    public sealed class Receiver : WebApplicationFactory<dashboard::Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            ArgumentNullException.ThrowIfNull(builder);
            builder.UseSetting("Dashboard:Telemetry:MaxAttributes", "4");
            builder.UseSetting("Dashboard:Telemetry:MaxValueLength", "20");
        }
    }

    [Fact]
    public async Task Spans_are_decoded_with_ids_kinds_status_attributes_and_their_service()
    {
        var traceId = RandomBytes(16);
        var (root, child) = (RandomBytes(8), RandomBytes(8));
        var request = Request("talent-pipeline",
            NewSpan(traceId, root, null, "POST /placements", Span.Types.SpanKind.Server, 0, 120,
                Attribute("http.route", new AnyValue { StringValue = "/api/v1/placement-events" }),
                Attribute("http.response.status_code", new AnyValue { IntValue = 500 })),
            NewSpan(traceId, child, root, "INSERT placements", Span.Types.SpanKind.Client, 10, 30,
                Attribute("db.ok", new AnyValue { BoolValue = false }),
                Attribute("ratio", new AnyValue { DoubleValue = 0.25 }),
                Attribute("tags", new AnyValue { ArrayValue = new ArrayValue { Values = { new AnyValue { StringValue = "a" }, new AnyValue { IntValue = 2 } } } }),
                Attribute("map", new AnyValue { KvlistValue = new KeyValueList { Values = { Attribute("k", new AnyValue { StringValue = "v" }) } } })));
        request.ResourceSpans[0].ScopeSpans[0].Spans[0].Status = new Status { Code = Status.Types.StatusCode.Error, Message = "boom" };

        await PostAsync("/v1/traces", request.ToByteArray());

        var trace = await _http.GetFromJsonAsync<JsonElement>($"/api/telemetry/traces/{Convert.ToHexStringLower(traceId)}", Cancel);
        Assert.Equal(120, trace.GetProperty("durationMs").GetDouble());
        var spans = trace.GetProperty("spans").EnumerateArray().ToList();
        Assert.Equal(2, spans.Count);
        Assert.Equal(Convert.ToHexStringLower(root), spans[0].GetProperty("spanId").GetString());
        Assert.Equal("server", spans[0].GetProperty("kind").GetString());
        Assert.True(spans[0].GetProperty("isError").GetBoolean());
        Assert.Equal("boom", spans[0].GetProperty("statusMessage").GetString());
        Assert.Equal("500", spans[0].GetProperty("attributes").GetProperty("http.response.status_code").GetString());
        Assert.Equal("talent-pipeline", spans[0].GetProperty("service").GetString());
        Assert.Equal(1, spans[1].GetProperty("depth").GetInt32());
        Assert.Equal(10, spans[1].GetProperty("offsetMs").GetDouble());
        Assert.Equal(Convert.ToHexStringLower(root), spans[1].GetProperty("parentSpanId").GetString());
        var attributes = spans[1].GetProperty("attributes");
        Assert.Equal("false", attributes.GetProperty("db.ok").GetString());
        Assert.Equal("0.25", attributes.GetProperty("ratio").GetString());
        Assert.Equal("[a, 2]", attributes.GetProperty("tags").GetString());
        Assert.Equal("{k: v}", attributes.GetProperty("map").GetString());

        var list = await _http.GetFromJsonAsync<JsonElement>("/api/telemetry/traces?errors=true&service=talent-pipeline", Cancel);
        Assert.Contains(list.EnumerateArray(), t => t.GetProperty("traceId").GetString() == Convert.ToHexStringLower(traceId) && t.GetProperty("rootName").GetString() == "POST /placements");
    }

    [Fact]
    public async Task Attributes_and_values_are_capped_so_one_export_cannot_grow_memory_without_bound()
    {
        var traceId = RandomBytes(16);
        var attributes = Enumerable.Range(0, 10).Select(i => Attribute($"a{i}", new AnyValue { StringValue = new string('x', 1_000) })).ToArray();
        await PostAsync("/v1/traces", Request("events", NewSpan(traceId, RandomBytes(8), null, "big", Span.Types.SpanKind.Internal, 0, 1, attributes)).ToByteArray());

        var trace = await _http.GetFromJsonAsync<JsonElement>($"/api/telemetry/traces/{Convert.ToHexStringLower(traceId)}", Cancel);
        var kept = trace.GetProperty("spans")[0].GetProperty("attributes").EnumerateObject().ToList();
        Assert.Equal(4, kept.Count);
        Assert.All(kept, a => Assert.Equal(21, a.Value.GetString()!.Length));
    }

    [Fact]
    public async Task Fields_the_receiver_does_not_know_are_skipped_as_protobuf_requires()
    {
        var traceId = RandomBytes(16);
        var bytes = Request("membership", NewSpan(traceId, RandomBytes(8), null, "future", Span.Types.SpanKind.Internal, 0, 5)).ToByteArray();
        // Field 99 (length-delimited) at the top level: a newer OTLP could send it.
        var unknown = new byte[] { (99 << 3 | 2) & 0x7F | 0x80, (99 << 3 | 2) >> 7, 3, 1, 2, 3 };
        await PostAsync("/v1/traces", [.. bytes, .. unknown]);

        using var response = await _http.GetAsync($"/api/telemetry/traces/{Convert.ToHexStringLower(traceId)}", Cancel);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Logs_keep_severity_body_and_trace_id_and_are_searchable()
    {
        var traceId = RandomBytes(16);
        var word = Guid.NewGuid().ToString("N");
        var request = new ExportLogsServiceRequest
        {
            ResourceLogs =
            {
                new ResourceLogs
                {
                    Resource = new OtlpResource { Attributes = { Attribute("service.name", new AnyValue { StringValue = "events" }) } },
                    ScopeLogs =
                    {
                        new ScopeLogs
                        {
                            Scope = new InstrumentationScope { Name = "Platform.Events.Registrations" },
                            LogRecords =
                            {
                                new LogRecord { TimeUnixNano = 1, SeverityNumber = SeverityNumber.Error, Body = new AnyValue { StringValue = $"registration {word} failed" }, TraceId = ByteString.CopyFrom(traceId), SpanId = ByteString.CopyFrom(RandomBytes(8)) },
                                new LogRecord { TimeUnixNano = 2, SeverityNumber = SeverityNumber.Info, Body = new AnyValue { StringValue = $"registration {word} ok" } },
                            },
                        },
                    },
                },
            },
        };
        await PostAsync("/v1/logs", request.ToByteArray());

        var errors = await _http.GetFromJsonAsync<JsonElement>($"/api/telemetry/logs?text={word}&minSeverity=17", Cancel);
        var error = Assert.Single(errors.EnumerateArray());
        Assert.Equal("Error", error.GetProperty("severity").GetString());
        Assert.Equal("events", error.GetProperty("service").GetString());
        Assert.Equal("Platform.Events.Registrations", error.GetProperty("category").GetString());
        Assert.Equal(Convert.ToHexStringLower(traceId), error.GetProperty("traceId").GetString());
        var byTrace = await _http.GetFromJsonAsync<JsonElement>($"/api/telemetry/logs?traceId={Convert.ToHexStringLower(traceId)}", Cancel);
        Assert.Single(byTrace.EnumerateArray());
        Assert.Equal(2, (await _http.GetFromJsonAsync<JsonElement>($"/api/telemetry/logs?text={word}", Cancel)).GetArrayLength());
    }

    [Fact]
    public async Task A_gzip_body_is_accepted()
    {
        var traceId = RandomBytes(16);
        var bytes = Request("events", NewSpan(traceId, RandomBytes(8), null, "gzipped", Span.Types.SpanKind.Internal, 0, 5)).ToByteArray();
        using var compressed = new MemoryStream();
        await using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true)) await gzip.WriteAsync(bytes, Cancel);
        using var content = new ByteArrayContent(compressed.ToArray());
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-protobuf");
        content.Headers.ContentEncoding.Add("gzip");
        using var response = await _http.PostAsync("/v1/traces", content, Cancel);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var stored = await _http.GetAsync($"/api/telemetry/traces/{Convert.ToHexStringLower(traceId)}", Cancel);
        Assert.Equal(HttpStatusCode.OK, stored.StatusCode);
    }

    [Fact]
    public async Task Garbage_is_a_400_and_json_a_415_and_nothing_is_stored()
    {
        var before = await _http.GetFromJsonAsync<JsonElement>("/api/telemetry/overview", Cancel);
        using (var garbage = new ByteArrayContent([0x0A, 0xFF, 0xFF, 0xFF, 0x0F, 0x01]))
        {
            garbage.Headers.ContentType = new MediaTypeHeaderValue("application/x-protobuf");
            using var response = await _http.PostAsync("/v1/traces", garbage, Cancel);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        }
        using (var json = JsonContent.Create(new { resourceSpans = Array.Empty<object>() }))
        {
            using var response = await _http.PostAsync("/v1/traces", json, Cancel);
            Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        }
        var after = await _http.GetFromJsonAsync<JsonElement>("/api/telemetry/overview", Cancel);
        Assert.Equal(before.GetProperty("spansReceived").GetInt64(), after.GetProperty("spansReceived").GetInt64());
    }

    private async Task PostAsync(string path, byte[] body)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-protobuf");
        using var response = await _http.PostAsync(path, content, Cancel);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/x-protobuf", response.Content.Headers.ContentType?.MediaType);
    }

    internal static ExportTraceServiceRequest Request(string service, params Span[] spans) => new()
    {
        ResourceSpans =
        {
            new ResourceSpans
            {
                Resource = new OtlpResource { Attributes = { Attribute("service.name", new AnyValue { StringValue = service }) } },
                ScopeSpans = { new ScopeSpans { Scope = new InstrumentationScope { Name = "test" }, Spans = { spans } } },
            },
        },
    };

    internal static Span NewSpan(byte[] traceId, byte[] spanId, byte[]? parent, string name, Span.Types.SpanKind kind, long startMs, long endMs, params KeyValue[] attributes)
    {
        const ulong epoch = 1_700_000_000_000_000_000;
        return new Span
        {
            TraceId = ByteString.CopyFrom(traceId),
            SpanId = ByteString.CopyFrom(spanId),
            ParentSpanId = parent is null ? ByteString.Empty : ByteString.CopyFrom(parent),
            Name = name,
            Kind = kind,
            StartTimeUnixNano = epoch + (ulong)startMs * 1_000_000,
            EndTimeUnixNano = epoch + (ulong)endMs * 1_000_000,
            Attributes = { attributes },
        };
    }

    internal static KeyValue Attribute(string key, AnyValue value) => new() { Key = key, Value = value };

    internal static byte[] RandomBytes(int length) => System.Security.Cryptography.RandomNumberGenerator.GetBytes(length);
}
