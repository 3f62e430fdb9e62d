namespace Platform.Dashboard.Features.Telemetry;

/// <summary>The most recent <see cref="TelemetryLimits.MaxLogs"/> log records in a ring; the oldest is dropped first.</summary>
public sealed class LogStore
{
    private readonly LogEntry?[] _ring;
    private readonly Lock _lock = new();
    private int _next;
    private long _received;

    public LogStore(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _ring = new LogEntry?[capacity];
    }

    public int Capacity => _ring.Length;

    public long Received => Interlocked.Read(ref _received);

    public int Count
    {
        get
        {
            lock (_lock) return (int)Math.Min(_received, _ring.Length);
        }
    }

    public void Add(IReadOnlyList<LogEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        lock (_lock)
        {
            foreach (var entry in entries)
            {
                _ring[_next] = entry;
                _next = (_next + 1) % _ring.Length;
                _received++;
            }
        }
    }

    /// <summary>The newest records that match, newest first.</summary>
    public List<LogEntry> Search(LogFilter filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var result = new List<LogEntry>();
        lock (_lock)
        {
            var count = (int)Math.Min(_received, _ring.Length);
            for (var i = 1; i <= count && result.Count < filter.Limit; i++)
            {
                var entry = _ring[(_next - i + _ring.Length) % _ring.Length]!;
                if (filter.Matches(entry)) result.Add(entry);
            }
        }
        return result;
    }
}

/// <summary>Filters of the log search; all optional.</summary>
public sealed record LogFilter
{
    public string? Service { get; init; }
    /// <summary>Lowest severity number shown (9 = information, 13 = warning, 17 = error).</summary>
    public int MinSeverity { get; init; }
    public string? Text { get; init; }
    public string? TraceId { get; init; }
    public int Limit { get; init; } = 200;

    internal bool Matches(LogEntry entry) =>
        (Service is null || entry.Service == Service)
        && entry.SeverityNumber >= MinSeverity
        && (TraceId is null || string.Equals(entry.TraceId, TraceId, StringComparison.OrdinalIgnoreCase))
        && (Text is null || entry.Body.Contains(Text, StringComparison.OrdinalIgnoreCase)
            || entry.Category.Contains(Text, StringComparison.OrdinalIgnoreCase)
            || entry.Attributes.Any(a => a.Value.Contains(Text, StringComparison.OrdinalIgnoreCase)));
}
