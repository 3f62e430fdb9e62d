extern alias dashboard;
using dashboard::Platform.Dashboard.Features.Telemetry;

namespace Platform.Dashboard.Tests;

/// <summary>The in-memory stores keep at most their capacity, dropping the oldest first.</summary>
public sealed class BoundedStoreTests
{
    private static SpanRecord Span(int number, string traceId) => new()
    {
        TraceId = traceId,
        SpanId = number.ToString("x16", System.Globalization.CultureInfo.InvariantCulture),
        Service = "membership",
        Name = $"span {number}",
        StartUnixNano = number * 1_000_000L,
        EndUnixNano = number * 1_000_000L + 500_000,
        Attributes = [],
    };

    [Fact]
    public void The_span_store_keeps_the_newest_spans_and_forgets_traces_whose_spans_all_left()
    {
        var store = new SpanStore(100);
        for (var batch = 0; batch < 10; batch++)
            store.Add([.. Enumerable.Range(batch * 100, 100).Select(n => Span(n, $"trace-{n / 10}"))]);

        Assert.Equal(100, store.Count);
        Assert.Equal(1_000, store.Received);
        Assert.Equal(900, store.Dropped);
        Assert.Equal(10, store.TraceCount);
        Assert.Empty(store.Trace("trace-0"));
        Assert.Equal(10, store.Trace("trace-99").Count);
        var traces = store.Traces(new TraceFilter { Limit = 3 });
        Assert.Equal(["trace-99", "trace-98", "trace-97"], traces.Select(t => t.TraceId));
        Assert.Equal(900, store.Where(_ => true).First().StartUnixNano / 1_000_000);
    }

    [Fact]
    public void A_trace_cut_by_the_cap_keeps_its_newest_spans_and_a_root_to_show()
    {
        var store = new SpanStore(5);
        var spans = Enumerable.Range(0, 8).Select(n => Span(n, "long-trace") with { ParentSpanId = n == 0 ? null : 0.ToString("x16", System.Globalization.CultureInfo.InvariantCulture) }).ToList();
        store.Add(spans);

        var kept = store.Trace("long-trace");
        Assert.Equal(["span 3", "span 4", "span 5", "span 6", "span 7"], kept.Select(s => s.Name));
        // The real root was dropped: the earliest span whose parent is missing stands in.
        Assert.Equal("span 3", Assert.Single(store.Traces(new TraceFilter())).RootName);
    }

    [Fact]
    public void The_log_store_keeps_the_newest_records_and_answers_newest_first()
    {
        var store = new LogStore(50);
        store.Add([.. Enumerable.Range(0, 120).Select(n => new LogEntry { TimeUnixNano = n, Service = n % 2 == 0 ? "events" : "membership", SeverityNumber = n % 3 == 0 ? 17 : 9, Severity = "x", Body = $"line {n}", Category = "c", Attributes = [] })]);

        Assert.Equal(50, store.Count);
        var all = store.Search(new LogFilter { Limit = 1_000 });
        Assert.Equal(50, all.Count);
        Assert.Equal("line 119", all[0].Body);
        Assert.Equal("line 70", all[^1].Body);
        var errors = store.Search(new LogFilter { Service = "events", MinSeverity = 17 });
        Assert.All(errors, e => Assert.True(e.Service == "events" && e.SeverityNumber >= 17));
        Assert.Equal(["line 114", "line 108"], errors.Take(2).Select(e => e.Body));
    }

    [Fact]
    public void The_metric_store_caps_points_per_series_and_evicts_the_stalest_series()
    {
        var store = new MetricStore(maxSeries: 3, pointsPerSeries: 4);
        for (var i = 0; i < 10; i++)
            store.Add(new SeriesKey("membership", "http.server.active_requests", ""), "gauge", "{request}", new MetricPoint(i, i, 0, 0));
        store.Add(new SeriesKey("membership", "b", ""), "gauge", "", new MetricPoint(1, 1, 0, 0));
        store.Add(new SeriesKey("membership", "c", ""), "gauge", "", new MetricPoint(1, 1, 0, 0));
        store.Add(new SeriesKey("membership", "http.server.active_requests", ""), "gauge", "{request}", new MetricPoint(10, 10, 0, 0));
        store.Add(new SeriesKey("membership", "d", ""), "gauge", "", new MetricPoint(1, 1, 0, 0));

        Assert.Equal(3, store.SeriesCount);
        Assert.Equal(["c", "d", "http.server.active_requests"], store.List(null).Select(s => s.Name));
        var points = Assert.Single(store.Points("membership", "http.server.active_requests")).Points;
        Assert.Equal([7.0, 8, 9, 10], points.Select(p => p.Value));
    }
}
