namespace Platform.Dashboard.Features.Telemetry;

/// <summary>How a span relates to its neighbours (OTLP's SpanKind).</summary>
public enum SpanKind
{
    Unspecified,
    Internal,
    Server,
    Client,
    Producer,
    Consumer,
}

/// <summary>One received span, flattened: the resource's service name is copied in, attribute values are strings.</summary>
public sealed record SpanRecord
{
    public required string TraceId { get; init; }
    public required string SpanId { get; init; }
    public string? ParentSpanId { get; init; }
    public required string Service { get; init; }
    public required string Name { get; init; }
    public SpanKind Kind { get; init; }
    public long StartUnixNano { get; init; }
    public long EndUnixNano { get; init; }
    public bool IsError { get; init; }
    public string? StatusMessage { get; init; }
    public required IReadOnlyList<KeyValuePair<string, string>> Attributes { get; init; }
    public IReadOnlyList<SpanEventRecord> Events { get; init; } = [];

    public double DurationMs => Math.Max(0, EndUnixNano - StartUnixNano) / 1_000_000.0;

    public string? Attribute(string key)
    {
        foreach (var (k, v) in Attributes)
        {
            if (k == key) return v;
        }
        return null;
    }
}

/// <summary>An event inside a span (an exception, a retry…).</summary>
public sealed record SpanEventRecord(long TimeUnixNano, string Name, IReadOnlyList<KeyValuePair<string, string>> Attributes);

/// <summary>One received log record.</summary>
public sealed record LogEntry
{
    public long TimeUnixNano { get; init; }
    public required string Service { get; init; }
    /// <summary>OTLP severity number: 1–4 trace, 5–8 debug, 9–12 info, 13–16 warn, 17–20 error, 21–24 fatal.</summary>
    public int SeverityNumber { get; init; }
    public required string Severity { get; init; }
    public required string Body { get; init; }
    public required string Category { get; init; }
    public string? TraceId { get; init; }
    public string? SpanId { get; init; }
    public required IReadOnlyList<KeyValuePair<string, string>> Attributes { get; init; }
}

/// <summary>One point of a metric series: a gauge or sum value, or a histogram's count and sum.</summary>
public readonly record struct MetricPoint(long TimeUnixNano, double Value, ulong Count, double Sum);
