namespace Platform.Dashboard.Features.Telemetry;

/// <summary>
/// Fixed caps that keep the dashboard's memory bounded whatever the services send: the oldest is dropped first.
/// Bound from configuration section <c>Dashboard:Telemetry</c>.
/// </summary>
public sealed class TelemetryLimits
{
    public int MaxSpans { get; set; } = 50_000;

    public int MaxLogs { get; set; } = 20_000;

    public int MaxMetricSeries { get; set; } = 2_000;

    public int PointsPerSeries { get; set; } = 360;

    /// <summary>Attributes kept per span, log record or event; the rest are dropped.</summary>
    public int MaxAttributes { get; set; } = 32;

    /// <summary>Characters kept of an attribute value.</summary>
    public int MaxValueLength { get; set; } = 1_024;

    /// <summary>Characters kept of a log body.</summary>
    public int MaxLogBodyLength { get; set; } = 4_096;

    /// <summary>Events kept per span.</summary>
    public int MaxSpanEvents { get; set; } = 16;

    /// <summary>Largest export request accepted (bytes).</summary>
    public int MaxRequestBytes { get; set; } = 16 * 1024 * 1024;
}
