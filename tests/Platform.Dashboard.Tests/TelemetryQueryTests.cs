extern alias dashboard;
using dashboard::Platform.Dashboard.Features.Telemetry;
using Microsoft.Extensions.Options;

namespace Platform.Dashboard.Tests;

/// <summary>What the trace list and the endpoint statistics make of stored spans.</summary>
public sealed class TelemetryQueryTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 2, 9, 30, 0, TimeSpan.FromHours(8));

    private static SpanRecord Span(string traceId, string spanId, string? parent, string service, SpanKind kind, double startSecondsAgo, double durationMs,
        bool error = false, params (string Key, string Value)[] attributes)
    {
        var start = (Now.ToUnixTimeMilliseconds() - (long)(startSecondsAgo * 1000)) * 1_000_000;
        return new SpanRecord
        {
            TraceId = traceId, SpanId = spanId, ParentSpanId = parent, Service = service, Name = $"{service} {kind}", Kind = kind,
            StartUnixNano = start, EndUnixNano = start + (long)(durationMs * 1_000_000), IsError = error,
            Attributes = [.. attributes.Select(a => new KeyValuePair<string, string>(a.Key, a.Value))],
        };
    }

    [Fact]
    public void Background_traces_are_hidden_on_request_but_a_request_or_a_cross_service_trace_never_is()
    {
        var store = new SpanStore(100);
        store.Add([
            Span("health", "a1", null, "membership", SpanKind.Client, 5, 1),
            Span("sweep", "b1", null, "events", SpanKind.Internal, 4, 3),
            Span("sweep", "b2", "b1", "events", SpanKind.Client, 4, 1),
            Span("request", "c1", null, "membership", SpanKind.Server, 3, 20),
            Span("relay", "d1", null, "membership", SpanKind.Internal, 2, 5),
            Span("relay", "d2", "d1", "talent-pipeline", SpanKind.Consumer, 2, 5),
        ]);

        Assert.Equal(["relay", "request"], store.Traces(new TraceFilter { HideBackground = true }).Select(t => t.TraceId));
        Assert.Equal(4, store.Traces(new TraceFilter()).Count);
        Assert.Equal(["relay"], store.Traces(new TraceFilter { Service = "talent-pipeline" }).Select(t => t.TraceId));
        Assert.Equal(["request"], store.Traces(new TraceFilter { MinDurationMs = 10 }).Select(t => t.TraceId));
    }

    [Fact]
    public void Endpoint_statistics_group_server_spans_by_method_and_route_with_nearest_rank_percentiles_over_the_window()
    {
        var stores = new TelemetryStores(Options.Create(new TelemetryLimits()));
        var spans = Enumerable.Range(1, 100)
            .Select(i => Span($"t{i}", $"s{i}", null, "events", SpanKind.Server, i, i, error: i % 25 == 0,
                ("http.request.method", "POST"), ("http.route", "/api/v1/events/{id}/registrations")))
            .Append(Span("old", "old", null, "events", SpanKind.Server, 11 * 60, 5_000, false, ("http.request.method", "POST"), ("http.route", "/api/v1/events/{id}/registrations")))
            .Append(Span("client", "client", null, "events", SpanKind.Client, 1, 5))
            .ToList();
        stores.Spans.Add(spans);
        var time = new FixedTime(Now);

        var report = TelemetryEndpoints.Activity(stores, time, 10, SpanKind.Server, s => $"{s.Attribute("http.request.method")} {s.Attribute("http.route")}");

        var endpoint = Assert.Single(report.Operations);
        Assert.Equal("POST /api/v1/events/{id}/registrations", endpoint.Operation);
        Assert.Equal(100, endpoint.Count);
        Assert.Equal(10, endpoint.PerMinute);
        Assert.Equal(4, endpoint.Errors);
        Assert.Equal((50, 95, 99), (endpoint.P50Ms, endpoint.P95Ms, endpoint.P99Ms));
        Assert.Equal(100, report.Series.Single().Counts.Sum());
        Assert.Equal(60, report.Series.Single().Counts.Count);
    }
}

internal sealed class FixedTime(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
