using Microsoft.Extensions.Options;

namespace Platform.Dashboard.Features.Telemetry;

/// <summary>Everything the receiver keeps, bounded by <see cref="TelemetryLimits"/>.</summary>
public sealed class TelemetryStores(IOptions<TelemetryLimits> options)
{
    public TelemetryLimits Limits { get; } = options.Value;

    public SpanStore Spans { get; } = new(options.Value.MaxSpans);

    public LogStore Logs { get; } = new(options.Value.MaxLogs);

    public MetricStore Metrics { get; } = new(options.Value.MaxMetricSeries, options.Value.PointsPerSeries);

    /// <summary>Every service name seen in any signal, for the filters.</summary>
    public IReadOnlyCollection<string> Services
    {
        get
        {
            lock (_services) return [.. _services.Order(StringComparer.Ordinal)];
        }
    }

    private readonly HashSet<string> _services = new(StringComparer.Ordinal);

    internal void Saw(IEnumerable<string> services)
    {
        lock (_services)
        {
            // Bounded like the rest: a misconfigured exporter inventing names cannot grow this without end.
            foreach (var service in services)
            {
                if (_services.Count < 1_000) _services.Add(service);
            }
        }
    }
}
