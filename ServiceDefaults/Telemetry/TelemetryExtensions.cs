using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Platform.ServiceDefaults.Auth;
using Platform.ServiceDefaults.Messaging;

namespace Platform.ServiceDefaults.Telemetry;

/// <summary>
/// Traces, metrics and logs, as the Aspire service defaults set them up. The host owns the providers and flushes
/// them at shutdown. Export is OTLP, on only when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set; the exporter reads
/// <c>OTEL_EXPORTER_OTLP_PROTOCOL</c> and <c>OTEL_EXPORTER_OTLP_HEADERS</c> itself.
/// </summary>
/// <remarks>
/// Sources and meters named <c>Platform.*</c> are listened to already. Anything else, with the standard hooks:
/// <code>
/// services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddSource("Some.Library"));
/// services.ConfigureOpenTelemetryMeterProvider(metrics => metrics.AddMeter("Some.Library"));
/// </code>
/// </remarks>
public static class TelemetryExtensions
{
    internal const string HealthPathPrefix = "/health";

    /// <summary>The platform's traces, metrics and logs for a host that takes nothing else from ServiceDefaults (the balancer).</summary>
    public static void AddPlatformTelemetry(this WebApplicationBuilder builder, string serviceName)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });

        // Each signal builds its own resource: one instance id, so logs, spans and metrics of this process line up.
        var instanceId = Guid.NewGuid().ToString("N");
        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource
                .AddService(serviceName, serviceInstanceId: instanceId, autoGenerateServiceInstanceId: false)
                // Again after AddService, so OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES win.
                .AddEnvironmentVariableDetector())
            .WithTracing(tracing => tracing
                .AddAspNetCoreInstrumentation(aspNetCore =>
                {
                    // Probes every few seconds are noise. A filtered-out span is not recorded, so the parent-based
                    // sampler drops its children (the health checks' queries) too.
                    aspNetCore.Filter = context => !context.Request.Path.StartsWithSegments(HealthPathPrefix, StringComparison.OrdinalIgnoreCase);
                    aspNetCore.EnrichWithHttpResponse = TagCaller;
                })
                .AddHttpClientInstrumentation()
                .AddSource("Npgsql", MessagingTelemetry.MassTransitSourceName, "Platform.*"))
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddMeter("Npgsql", "Microsoft.EntityFrameworkCore", MessagingTelemetry.MassTransitSourceName, "Platform.*"));

        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
            telemetry.UseOtlpExporter();
    }

    // Who called: the API client id, or "operator". Set once the response is complete, after authentication ran.
    private static void TagCaller(System.Diagnostics.Activity activity, HttpResponse response)
    {
        if (response.HttpContext.User.GetCaller() is { } caller)
            activity.SetTag("platform.caller", caller.Id);
    }
}
