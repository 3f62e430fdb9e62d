namespace Platform.Dashboard.Features.Telemetry;

/// <summary>
/// Metric series (service, metric, attributes) with their last <see cref="TelemetryLimits.PointsPerSeries"/> points.
/// At most <see cref="TelemetryLimits.MaxMetricSeries"/> series: a new one evicts the one updated longest ago.
/// </summary>
public sealed class MetricStore(int maxSeries, int pointsPerSeries)
{
    private readonly Dictionary<SeriesKey, MetricSeries> _series = [];
    private readonly Lock _lock = new();
    private long _received;

    public long Received => Interlocked.Read(ref _received);

    public int SeriesCount
    {
        get
        {
            lock (_lock) return _series.Count;
        }
    }

    public void Add(SeriesKey key, string kind, string unit, MetricPoint point)
    {
        lock (_lock)
        {
            _received++;
            if (!_series.TryGetValue(key, out var series))
            {
                if (_series.Count >= maxSeries)
                {
                    var stalest = _series.MinBy(s => s.Value.LastUpdate).Key;
                    _series.Remove(stalest);
                }
                _series[key] = series = new MetricSeries(key, kind, unit, pointsPerSeries);
            }
            series.Add(point, _received);
        }
    }

    /// <summary>The series' identities and latest values.</summary>
    public List<MetricSeriesInfo> List(string? service)
    {
        lock (_lock)
        {
            return [.. _series.Values
                .Where(s => service is null || s.Key.Service == service)
                .Select(s => s.Info())
                .OrderBy(s => s.Service, StringComparer.Ordinal).ThenBy(s => s.Name, StringComparer.Ordinal).ThenBy(s => s.Attributes, StringComparer.Ordinal)];
        }
    }

    /// <summary>Every series of one metric of one service, with its points.</summary>
    public List<(MetricSeriesInfo Info, MetricPoint[] Points)> Points(string service, string name)
    {
        lock (_lock)
        {
            return [.. _series.Values.Where(s => s.Key.Service == service && s.Key.Name == name).Select(s => (s.Info(), s.Snapshot()))];
        }
    }

    private sealed class MetricSeries(SeriesKey key, string kind, string unit, int capacity)
    {
        private readonly MetricPoint[] _points = new MetricPoint[capacity];
        private int _next;
        private int _count;

        public SeriesKey Key => key;

        public long LastUpdate { get; private set; }

        public void Add(MetricPoint point, long sequence)
        {
            _points[_next] = point;
            _next = (_next + 1) % _points.Length;
            _count = Math.Min(_count + 1, _points.Length);
            LastUpdate = sequence;
        }

        public MetricPoint[] Snapshot()
        {
            var result = new MetricPoint[_count];
            var start = _count < _points.Length ? 0 : _next;
            for (var i = 0; i < _count; i++) result[i] = _points[(start + i) % _points.Length];
            return result;
        }

        public MetricSeriesInfo Info()
        {
            var last = _count == 0 ? default : _points[(_next - 1 + _points.Length) % _points.Length];
            return new MetricSeriesInfo(key.Service, key.Name, key.Attributes, kind, unit, last.Value, last.Count, _count);
        }
    }
}

/// <summary>Identifies a series: the service, the metric, and its attributes rendered as <c>k=v, k=v</c> (sorted).</summary>
public readonly record struct SeriesKey(string Service, string Name, string Attributes);

public sealed record MetricSeriesInfo(string Service, string Name, string Attributes, string Kind, string Unit, double LastValue, ulong LastCount, int Points);
