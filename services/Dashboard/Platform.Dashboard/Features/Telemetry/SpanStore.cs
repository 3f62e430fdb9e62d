namespace Platform.Dashboard.Features.Telemetry;

/// <summary>
/// The most recent <see cref="TelemetryLimits.MaxSpans"/> spans in a ring, indexed by trace. When the ring is
/// full the oldest span is dropped (and leaves its trace), so memory stays bounded under any load.
/// </summary>
public sealed class SpanStore
{
    private readonly SpanRecord?[] _ring;
    private readonly Dictionary<string, Queue<SpanRecord>> _byTrace = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private int _next;
    private long _received;
    private long _dropped;

    public SpanStore(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _ring = new SpanRecord?[capacity];
    }

    public int Capacity => _ring.Length;

    public int Count
    {
        get
        {
            lock (_lock) return (int)Math.Min(_received, _ring.Length);
        }
    }

    public long Received => Interlocked.Read(ref _received);

    public long Dropped => Interlocked.Read(ref _dropped);

    public int TraceCount
    {
        get
        {
            lock (_lock) return _byTrace.Count;
        }
    }

    public void Add(IReadOnlyList<SpanRecord> spans)
    {
        ArgumentNullException.ThrowIfNull(spans);
        lock (_lock)
        {
            foreach (var span in spans)
            {
                if (_ring[_next] is { } oldest)
                {
                    // Spans enter their trace's queue in ring order, so the oldest of the ring is the first of its trace.
                    var trace = _byTrace[oldest.TraceId];
                    trace.Dequeue();
                    if (trace.Count == 0) _byTrace.Remove(oldest.TraceId);
                    _dropped++;
                }
                _ring[_next] = span;
                _next = (_next + 1) % _ring.Length;
                if (!_byTrace.TryGetValue(span.TraceId, out var spansOfTrace))
                    _byTrace[span.TraceId] = spansOfTrace = new Queue<SpanRecord>(4);
                spansOfTrace.Enqueue(span);
                _received++;
            }
        }
    }

    /// <summary>Every stored span of one trace (empty when unknown or dropped).</summary>
    public IReadOnlyList<SpanRecord> Trace(string traceId)
    {
        lock (_lock) return _byTrace.TryGetValue(traceId, out var spans) ? [.. spans] : [];
    }

    /// <summary>A copy of the stored spans that match, oldest first.</summary>
    public List<SpanRecord> Where(Func<SpanRecord, bool> predicate)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        var result = new List<SpanRecord>();
        lock (_lock)
        {
            var count = (int)Math.Min(_received, _ring.Length);
            var start = count < _ring.Length ? 0 : _next;
            for (var i = 0; i < count; i++)
            {
                var span = _ring[(start + i) % _ring.Length]!;
                if (predicate(span)) result.Add(span);
            }
        }
        return result;
    }

    /// <summary>The traces that match, newest first.</summary>
    public List<TraceSummary> Traces(TraceFilter filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var summaries = new List<TraceSummary>();
        lock (_lock)
        {
            foreach (var (traceId, spans) in _byTrace)
            {
                var summary = TraceSummary.Of(traceId, spans);
                if (filter.Matches(summary)) summaries.Add(summary);
            }
        }
        summaries.Sort((a, b) => b.StartUnixNano.CompareTo(a.StartUnixNano));
        if (summaries.Count > filter.Limit) summaries.RemoveRange(filter.Limit, summaries.Count - filter.Limit);
        return summaries;
    }
}

/// <summary>What the trace list shows of one trace.</summary>
public sealed record TraceSummary(
    string TraceId,
    string RootService,
    string RootName,
    SpanKind RootKind,
    IReadOnlyList<string> Services,
    long StartUnixNano,
    double DurationMs,
    int SpanCount,
    bool HasError)
{
    internal static TraceSummary Of(string traceId, IReadOnlyCollection<SpanRecord> spans)
    {
        SpanRecord? root = null;
        long start = long.MaxValue, end = long.MinValue;
        var hasError = false;
        var services = new List<string>(2);
        var ids = spans.Count > 1 ? new HashSet<string>(spans.Select(s => s.SpanId), StringComparer.Ordinal) : null;
        foreach (var span in spans)
        {
            start = Math.Min(start, span.StartUnixNano);
            end = Math.Max(end, span.EndUnixNano);
            hasError |= span.IsError;
            if (!services.Contains(span.Service)) services.Add(span.Service);
            // The root: no parent, or a parent we never received; the earliest such span wins.
            var isRoot = span.ParentSpanId is null || ids is null || !ids.Contains(span.ParentSpanId);
            if (isRoot && (root is null || span.StartUnixNano < root.StartUnixNano)) root = span;
        }
        root ??= spans.First();
        return new TraceSummary(traceId, root.Service, root.Name, root.Kind, services, start, Math.Max(0, end - start) / 1_000_000.0, spans.Count, hasError);
    }
}

/// <summary>Filters of the trace list.</summary>
public sealed record TraceFilter
{
    public string? Service { get; init; }
    public bool ErrorsOnly { get; init; }
    public double? MinDurationMs { get; init; }
    public string? Text { get; init; }
    /// <summary>
    /// Hide traces that start with neither a request nor a message (a health check's database query, an outbox
    /// sweep): they come every few seconds and would bury the traces people look for.
    /// </summary>
    public bool HideBackground { get; init; }
    public int Limit { get; init; } = 100;

    internal bool Matches(TraceSummary trace) =>
        (Service is null || trace.Services.Contains(Service))
        && (!HideBackground || trace.RootKind is SpanKind.Server or SpanKind.Consumer or SpanKind.Producer || trace.Services.Count > 1)
        && (!ErrorsOnly || trace.HasError)
        && (MinDurationMs is not { } min || trace.DurationMs >= min)
        && (Text is null || trace.RootName.Contains(Text, StringComparison.OrdinalIgnoreCase) || trace.TraceId.StartsWith(Text, StringComparison.OrdinalIgnoreCase));
}
