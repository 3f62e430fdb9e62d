using Microsoft.AspNetCore.Http.HttpResults;

namespace Platform.Dashboard.Features.Telemetry;

/// <summary>JSON for the telemetry views: traces, one trace, endpoint and consumer statistics, logs, metrics.</summary>
public static class TelemetryEndpoints
{
    public static IEndpointRouteBuilder MapTelemetryViews(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/telemetry").WithTags("Telemetry");
        api.MapGet("/overview", Overview);
        api.MapGet("/traces", Traces);
        api.MapGet("/traces/{traceId}", Trace);
        api.MapGet("/endpoints", (TelemetryStores stores, TimeProvider time, int? minutes) =>
            TypedResults.Ok(Activity(stores, time, minutes, SpanKind.Server, EndpointName)));
        api.MapGet("/consumers", (TelemetryStores stores, TimeProvider time, int? minutes) =>
            TypedResults.Ok(Activity(stores, time, minutes, SpanKind.Consumer, s => s.Attribute("messaging.destination.name") is { } queue ? $"{queue} ({s.Name})" : s.Name)));
        api.MapGet("/logs", Logs);
        api.MapGet("/metrics", (TelemetryStores stores, string? service) => TypedResults.Ok(stores.Metrics.List(Blank(service))));
        api.MapGet("/metrics/points", MetricPoints);
        return endpoints;
    }

    /// <summary>Counts and caps, and the services seen.</summary>
    public sealed record TelemetryOverview(
        IReadOnlyCollection<string> Services, int Spans, int MaxSpans, long SpansReceived, long SpansDropped, int Traces,
        int Logs, int MaxLogs, long LogsReceived, int MetricSeries, long MetricPointsReceived, long ManagedHeapBytes, long WorkingSetBytes);

    private static Ok<TelemetryOverview> Overview(TelemetryStores stores) => TypedResults.Ok(new TelemetryOverview(
        stores.Services, stores.Spans.Count, stores.Spans.Capacity, stores.Spans.Received, stores.Spans.Dropped, stores.Spans.TraceCount,
        stores.Logs.Count, stores.Logs.Capacity, stores.Logs.Received, stores.Metrics.SeriesCount, stores.Metrics.Received,
        GC.GetTotalMemory(forceFullCollection: false), Environment.WorkingSet));

    private static Ok<List<TraceSummary>> Traces(TelemetryStores stores, string? service, bool? errors, double? minDurationMs, string? text, bool? background, int? limit) =>
        TypedResults.Ok(stores.Spans.Traces(new TraceFilter
        {
            Service = Blank(service),
            ErrorsOnly = errors ?? false,
            MinDurationMs = minDurationMs,
            Text = Blank(text),
            HideBackground = background == false,
            Limit = Math.Clamp(limit ?? 100, 1, 1_000),
        }));

    /// <summary>A span placed in the waterfall: depth in the tree and offset from the trace's start.</summary>
    public sealed record WaterfallSpan(
        string SpanId, string? ParentSpanId, string Service, string Name, SpanKind Kind, int Depth, double OffsetMs, double DurationMs,
        bool IsError, string? StatusMessage, IReadOnlyDictionary<string, string> Attributes, IReadOnlyList<SpanEventRecord> Events);

    public sealed record TraceDetail(string TraceId, long StartUnixNano, double DurationMs, IReadOnlyList<string> Services, IReadOnlyList<WaterfallSpan> Spans);

    private static Results<Ok<TraceDetail>, NotFound> Trace(TelemetryStores stores, string traceId)
    {
        var spans = stores.Spans.Trace(traceId.ToLowerInvariant());
        if (spans.Count == 0) return TypedResults.NotFound();
        return TypedResults.Ok(Waterfall(traceId.ToLowerInvariant(), spans));
    }

    internal static TraceDetail Waterfall(string traceId, IReadOnlyList<SpanRecord> spans)
    {
        var start = spans.Min(s => s.StartUnixNano);
        var end = spans.Max(s => s.EndUnixNano);
        var ids = spans.Select(s => s.SpanId).ToHashSet(StringComparer.Ordinal);
        var children = spans.Where(s => s.ParentSpanId is not null && ids.Contains(s.ParentSpanId))
            .GroupBy(s => s.ParentSpanId!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.OrderBy(s => s.StartUnixNano).ToList(), StringComparer.Ordinal);
        var ordered = new List<WaterfallSpan>(spans.Count);
        var visited = new HashSet<string>(StringComparer.Ordinal);
        void Visit(SpanRecord span, int depth)
        {
            // A span id sent twice (a retried export) must not loop.
            if (!visited.Add(span.SpanId)) return;
            ordered.Add(new WaterfallSpan(span.SpanId, span.ParentSpanId, span.Service, span.Name, span.Kind, depth,
                (span.StartUnixNano - start) / 1_000_000.0, span.DurationMs, span.IsError, span.StatusMessage,
                span.Attributes.GroupBy(a => a.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().Value, StringComparer.Ordinal), span.Events));
            if (children.TryGetValue(span.SpanId, out var below))
            {
                foreach (var child in below) Visit(child, depth + 1);
            }
        }
        foreach (var root in spans.Where(s => s.ParentSpanId is null || !ids.Contains(s.ParentSpanId)).OrderBy(s => s.StartUnixNano))
            Visit(root, 0);
        return new TraceDetail(traceId, start, Math.Max(0, end - start) / 1_000_000.0, [.. ordered.Select(s => s.Service).Distinct()], ordered);
    }

    /// <summary>One endpoint (or consumer) over the window: volume, errors and latency percentiles.</summary>
    public sealed record OperationStats(string Service, string Operation, int Count, double PerMinute, int Errors, double P50Ms, double P95Ms, double P99Ms);

    /// <summary>Counts per service in 10-second buckets, oldest first, for the time-series chart.</summary>
    public sealed record ActivitySeries(string Service, IReadOnlyList<int> Counts);

    public sealed record ActivityReport(int WindowMinutes, int BucketSeconds, long FromUnixMs, IReadOnlyList<OperationStats> Operations, IReadOnlyList<ActivitySeries> Series);

    private const int BucketSeconds = 10;

    internal static ActivityReport Activity(TelemetryStores stores, TimeProvider time, int? minutes, SpanKind kind, Func<SpanRecord, string> operation)
    {
        var window = Math.Clamp(minutes ?? 10, 1, 60);
        var now = time.GetUtcNow();
        var from = now.AddMinutes(-window);
        var fromNano = from.ToUnixTimeMilliseconds() * 1_000_000;
        var spans = stores.Spans.Where(s => s.Kind == kind && s.StartUnixNano >= fromNano);
        var operations = spans
            .GroupBy(s => (s.Service, Operation: operation(s)))
            .Select(g =>
            {
                var durations = g.Select(s => s.DurationMs).Order().ToArray();
                return new OperationStats(g.Key.Service, g.Key.Operation, durations.Length, Math.Round(durations.Length / (double)window, 2),
                    g.Count(s => s.IsError), Percentile(durations, 0.50), Percentile(durations, 0.95), Percentile(durations, 0.99));
            })
            .OrderBy(o => o.Service, StringComparer.Ordinal).ThenByDescending(o => o.Count)
            .ToList();
        var buckets = window * 60 / BucketSeconds;
        var series = spans.GroupBy(s => s.Service).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g =>
        {
            var counts = new int[buckets];
            foreach (var span in g)
            {
                var index = (int)((span.StartUnixNano - fromNano) / 1_000_000_000 / BucketSeconds);
                if (index >= 0 && index < buckets) counts[index]++;
            }
            return new ActivitySeries(g.Key, counts);
        }).ToList();
        return new ActivityReport(window, BucketSeconds, from.ToUnixTimeMilliseconds(), operations, series);
    }

    private static string EndpointName(SpanRecord span)
    {
        var method = span.Attribute("http.request.method");
        var route = span.Attribute("http.route");
        return method is not null && route is not null ? $"{method} {route}" : span.Name;
    }

    /// <summary>Nearest-rank percentile of sorted values.</summary>
    internal static double Percentile(double[] sorted, double p)
    {
        if (sorted.Length == 0) return 0;
        var rank = (int)Math.Ceiling(p * sorted.Length);
        return Math.Round(sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)], 2);
    }

    private static Ok<List<LogEntry>> Logs(TelemetryStores stores, string? service, int? minSeverity, string? text, string? traceId, int? limit) =>
        TypedResults.Ok(stores.Logs.Search(new LogFilter
        {
            Service = Blank(service),
            MinSeverity = minSeverity ?? 0,
            Text = Blank(text),
            TraceId = Blank(traceId),
            Limit = Math.Clamp(limit ?? 200, 1, 2_000),
        }));

    public sealed record SeriesPoints(string Attributes, string Kind, string Unit, IReadOnlyList<double[]> Points);

    private static Ok<List<SeriesPoints>> MetricPoints(TelemetryStores stores, string service, string name) =>
        TypedResults.Ok(stores.Metrics.Points(service, name)
            .Select(s => new SeriesPoints(s.Info.Attributes, s.Info.Kind, s.Info.Unit,
                [.. s.Points.Select(p => new[] { p.TimeUnixNano / 1_000_000.0, p.Value })]))
            .ToList());

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
