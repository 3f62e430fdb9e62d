using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Platform.ServiceDefaults.Health;

/// <summary>
/// Health probes. <c>/health/live</c>: the process answers (checks tagged <see cref="Live"/>).
/// <c>/health/ready</c>: every check tagged <see cref="Ready"/> (database, broker, outbox backlog — registered
/// by the parts that own them). Both answer JSON
/// <c>{ status, totalDurationMs, checks: [{ name, status, description, durationMs, data }] }</c>,
/// with 503 when unhealthy.
/// </summary>
public static class HealthEndpoints
{
    /// <summary>Tag of the checks behind <c>/health/live</c>.</summary>
    public const string Live = "live";

    /// <summary>Tag of the checks behind <c>/health/ready</c>. Add yours with <c>tags: [HealthEndpoints.Ready]</c>.</summary>
    public const string Ready = "ready";

    internal static void MapHealthEndpoints(this IEndpointRouteBuilder endpoints)
    {
        Map(endpoints, "/health/live", Live);
        Map(endpoints, "/health/ready", Ready);
    }

    private static void Map(IEndpointRouteBuilder endpoints, string pattern, string tag) =>
        endpoints.MapHealthChecks(pattern, new HealthCheckOptions
            {
                Predicate = check => check.Tags.Contains(tag),
                ResponseWriter = WriteJsonAsync,
            })
            .AllowAnonymous()
            .DisableRateLimiting()
            .ExcludeFromDescription();

    private static async Task WriteJsonAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        await using var json = new Utf8JsonWriter(context.Response.Body);
        json.WriteStartObject();
        json.WriteString("status", StatusName(report.Status));
        json.WriteNumber("totalDurationMs", Math.Round(report.TotalDuration.TotalMilliseconds, 2));
        json.WriteStartArray("checks");
        foreach (var (name, entry) in report.Entries)
        {
            json.WriteStartObject();
            json.WriteString("name", name);
            json.WriteString("status", StatusName(entry.Status));
            // The description only: an exception's message and stack may reveal internals to anyone who can reach the probe.
            json.WriteString("description", entry.Description);
            json.WriteNumber("durationMs", Math.Round(entry.Duration.TotalMilliseconds, 2));
            json.WriteStartObject("data");
            foreach (var (key, value) in entry.Data)
            {
                json.WritePropertyName(key);
                WriteValue(json, value);
            }
            json.WriteEndObject();
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
        await json.FlushAsync(context.RequestAborted);
    }

    private static void WriteValue(Utf8JsonWriter json, object? value)
    {
        switch (value)
        {
            case null: json.WriteNullValue(); break;
            case bool b: json.WriteBooleanValue(b); break;
            case int or long or short or byte or uint or ulong or ushort or sbyte:
                json.WriteNumberValue(Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture)); break;
            case float or double or decimal:
                json.WriteNumberValue(Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture)); break;
            case TimeSpan span: json.WriteNumberValue(Math.Round(span.TotalMilliseconds, 2)); break;
            case DateTimeOffset time: json.WriteStringValue(time); break;
            default: json.WriteStringValue(Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)); break;
        }
    }

    private static string StatusName(HealthStatus status) => status switch
    {
        HealthStatus.Healthy => "healthy",
        HealthStatus.Degraded => "degraded",
        _ => "unhealthy",
    };
}
