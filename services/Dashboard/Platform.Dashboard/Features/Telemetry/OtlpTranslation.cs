using System.Globalization;
using System.Text;
using Google.Protobuf;
using Platform.Dashboard.Otlp.Collector.Logs;
using Platform.Dashboard.Otlp.Collector.Metrics;
using Platform.Dashboard.Otlp.Collector.Trace;
using Platform.Dashboard.Otlp.Common;
using OtlpResource = Platform.Dashboard.Otlp.Resource.Resource;

namespace Platform.Dashboard.Features.Telemetry;

/// <summary>Turns decoded OTLP export requests into the dashboard's flat records, applying the size caps.</summary>
public sealed class OtlpTranslation(TelemetryLimits limits)
{
    public const string UnknownService = "unknown_service";

    // Keys, names and short values repeat in every span ("http.route", "POST", the service): one copy each, in a
    // pool with a fixed cap (beyond it, strings are simply not shared).
    private const int PoolCap = 20_000;
    private const int PooledLength = 64;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> _pool = new(StringComparer.Ordinal);

    private string Shared(string text)
    {
        if (text.Length > PooledLength) return text;
        if (_pool.TryGetValue(text, out var shared)) return shared;
        return _pool.Count < PoolCap ? _pool.GetOrAdd(text, text) : text;
    }

    internal List<SpanRecord> Spans(ExportTraceServiceRequest request)
    {
        var spans = new List<SpanRecord>();
        foreach (var resourceSpans in request.ResourceSpans)
        {
            var service = Shared(ServiceName(resourceSpans.Resource));
            foreach (var scope in resourceSpans.ScopeSpans)
            {
                foreach (var span in scope.Spans)
                {
                    if (span.TraceId.Length != 16 || span.SpanId.Length != 8) continue;
                    spans.Add(new SpanRecord
                    {
                        TraceId = Hex(span.TraceId),
                        SpanId = Hex(span.SpanId),
                        ParentSpanId = span.ParentSpanId.Length == 8 ? Hex(span.ParentSpanId) : null,
                        Service = service,
                        Name = Shared(Truncate(span.Name, limits.MaxValueLength)),
                        Kind = (SpanKind)Math.Clamp((int)span.Kind, 0, 5),
                        StartUnixNano = (long)span.StartTimeUnixNano,
                        EndUnixNano = (long)span.EndTimeUnixNano,
                        IsError = span.Status?.Code == Otlp.Trace.Status.Types.StatusCode.Error,
                        StatusMessage = string.IsNullOrEmpty(span.Status?.Message) ? null : Truncate(span.Status.Message, limits.MaxValueLength),
                        Attributes = Attributes(span.Attributes),
                        Events = span.Events.Count == 0 ? [] : [.. span.Events.Take(limits.MaxSpanEvents)
                            .Select(e => new SpanEventRecord((long)e.TimeUnixNano, Truncate(e.Name, limits.MaxValueLength), Attributes(e.Attributes)))],
                    });
                }
            }
        }
        return spans;
    }

    internal List<LogEntry> Logs(ExportLogsServiceRequest request)
    {
        var entries = new List<LogEntry>();
        foreach (var resourceLogs in request.ResourceLogs)
        {
            var service = Shared(ServiceName(resourceLogs.Resource));
            foreach (var scope in resourceLogs.ScopeLogs)
            {
                var category = Shared(scope.Scope?.Name ?? "");
                foreach (var record in scope.LogRecords)
                {
                    var severity = (int)record.SeverityNumber;
                    entries.Add(new LogEntry
                    {
                        TimeUnixNano = (long)(record.TimeUnixNano != 0 ? record.TimeUnixNano : record.ObservedTimeUnixNano),
                        Service = service,
                        SeverityNumber = severity,
                        Severity = string.IsNullOrEmpty(record.SeverityText) ? SeverityName(severity) : record.SeverityText,
                        Body = Truncate(record.Body is null ? "" : Render(record.Body), limits.MaxLogBodyLength),
                        Category = category,
                        TraceId = record.TraceId.Length == 16 ? Hex(record.TraceId) : null,
                        SpanId = record.SpanId.Length == 8 ? Hex(record.SpanId) : null,
                        Attributes = Attributes(record.Attributes),
                    });
                }
            }
        }
        return entries;
    }

    /// <summary>Adds every data point to <paramref name="store"/>; returns how many.</summary>
    internal int AddMetrics(ExportMetricsServiceRequest request, MetricStore store)
    {
        var added = 0;
        foreach (var resourceMetrics in request.ResourceMetrics)
        {
            var service = ServiceName(resourceMetrics.Resource);
            foreach (var scope in resourceMetrics.ScopeMetrics)
            {
                foreach (var metric in scope.Metrics)
                {
                    switch (metric.DataCase)
                    {
                        case Otlp.Metrics.Metric.DataOneofCase.Gauge:
                            foreach (var point in metric.Gauge.DataPoints)
                                added += AddNumber(store, service, metric, "gauge", point);
                            break;
                        case Otlp.Metrics.Metric.DataOneofCase.Sum:
                            foreach (var point in metric.Sum.DataPoints)
                                added += AddNumber(store, service, metric, metric.Sum.IsMonotonic ? "counter" : "updownCounter", point);
                            break;
                        case Otlp.Metrics.Metric.DataOneofCase.Histogram:
                            foreach (var point in metric.Histogram.DataPoints)
                            {
                                var key = new SeriesKey(service, metric.Name, AttributeText(point.Attributes));
                                var mean = point.Count == 0 ? 0 : point.Sum / point.Count;
                                store.Add(key, "histogram", metric.Unit, new MetricPoint((long)point.TimeUnixNano, mean, point.Count, point.Sum));
                                added++;
                            }
                            break;
                    }
                }
            }
        }
        return added;
    }

    private int AddNumber(MetricStore store, string service, Otlp.Metrics.Metric metric, string kind, Otlp.Metrics.NumberDataPoint point)
    {
        var value = point.ValueCase == Otlp.Metrics.NumberDataPoint.ValueOneofCase.AsInt ? point.AsInt : point.AsDouble;
        store.Add(new SeriesKey(service, metric.Name, AttributeText(point.Attributes)), kind, metric.Unit, new MetricPoint((long)point.TimeUnixNano, value, 0, 0));
        return 1;
    }

    private string AttributeText(IEnumerable<KeyValue> attributes) =>
        string.Join(", ", Attributes(attributes).OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => $"{a.Key}={a.Value}"));

    internal static string ServiceName(OtlpResource? resource)
    {
        if (resource is null) return UnknownService;
        foreach (var attribute in resource.Attributes)
        {
            if (attribute.Key == "service.name" && attribute.Value?.ValueCase == AnyValue.ValueOneofCase.StringValue)
                return attribute.Value.StringValue;
        }
        return UnknownService;
    }

    private KeyValuePair<string, string>[] Attributes(IEnumerable<KeyValue> attributes)
    {
        var result = new List<KeyValuePair<string, string>>();
        foreach (var attribute in attributes)
        {
            if (result.Count == limits.MaxAttributes) break;
            result.Add(new(Shared(Truncate(attribute.Key, 256)), Shared(Truncate(attribute.Value is null ? "" : Render(attribute.Value), limits.MaxValueLength))));
        }
        return [.. result];
    }

    /// <summary>An attribute value as text: arrays as <c>[a, b]</c>, maps as <c>{k: v}</c>, bytes as base64.</summary>
    internal static string Render(AnyValue value) => value.ValueCase switch
    {
        AnyValue.ValueOneofCase.StringValue => value.StringValue,
        AnyValue.ValueOneofCase.BoolValue => value.BoolValue ? "true" : "false",
        AnyValue.ValueOneofCase.IntValue => value.IntValue.ToString(CultureInfo.InvariantCulture),
        AnyValue.ValueOneofCase.DoubleValue => value.DoubleValue.ToString(CultureInfo.InvariantCulture),
        AnyValue.ValueOneofCase.ArrayValue => "[" + string.Join(", ", value.ArrayValue.Values.Select(Render)) + "]",
        AnyValue.ValueOneofCase.KvlistValue => "{" + string.Join(", ", value.KvlistValue.Values.Select(kv => $"{kv.Key}: {(kv.Value is null ? "" : Render(kv.Value))}")) + "}",
        AnyValue.ValueOneofCase.BytesValue => Convert.ToBase64String(value.BytesValue.Span),
        _ => "",
    };

    internal static string Hex(ByteString bytes) => Convert.ToHexStringLower(bytes.Span);

    private static string Truncate(string text, int max) => text.Length <= max ? text : string.Concat(text.AsSpan(0, max), "…");

    internal static string SeverityName(int number) => number switch
    {
        >= 21 => "Fatal",
        >= 17 => "Error",
        >= 13 => "Warning",
        >= 9 => "Information",
        >= 5 => "Debug",
        >= 1 => "Trace",
        _ => "Unspecified",
    };

    internal static string Utf8(ReadOnlySpan<byte> bytes) => Encoding.UTF8.GetString(bytes);
}
