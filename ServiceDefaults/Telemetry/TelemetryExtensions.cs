using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Platform.ServiceDefaults.Telemetry;

/// <summary>
/// Traces, metrics and logs with the core OpenTelemetry SDK (the hosting and instrumentation packages are not
/// in our feed). ASP.NET Core, HttpClient, Npgsql, EF Core and MassTransit emit through
/// <see cref="System.Diagnostics.ActivitySource"/> and <see cref="System.Diagnostics.Metrics.Meter"/> on their
/// own; the SDK only has to listen by name.
/// </summary>
/// <remarks>
/// Sources and meters named <c>Platform.*</c> are listened to already. Anything else is added before the host is built:
/// <code>
/// services.ConfigureTracing(tracing => tracing.AddSource("Some.Library"));
/// services.ConfigureMetrics(metrics => metrics.AddMeter("Some.Library"));
/// services.ConfigureOpenTelemetryLoggerProvider(logging => logging.AddProcessor(...));   // logs: the standard hook
/// </code>
/// </remarks>
public static class TelemetryExtensions
{
    /// <summary>Activity sources listened to by every service; <c>Platform.*</c> covers the platform's own (e.g. Platform.Messaging).</summary>
    public static IReadOnlyList<string> ActivitySources { get; } = ["Microsoft.AspNetCore", "System.Net.Http", "Npgsql", "MassTransit", "Platform.*"];

    /// <summary>Meters listened to by every service; <c>Platform.*</c> covers the platform's own.</summary>
    public static IReadOnlyList<string> Meters { get; } =
    [
        "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "Microsoft.AspNetCore.Routing",
        "Microsoft.AspNetCore.RateLimiting", "Microsoft.AspNetCore.Diagnostics", "Microsoft.AspNetCore.Authentication",
        "Microsoft.AspNetCore.Authorization", "System.Net.Http", "System.Runtime", "Npgsql", "Microsoft.EntityFrameworkCore", "MassTransit",
        "Platform.*",
    ];

    /// <summary>
    /// Adds to the tracer provider (sources, processors, a sampler). Exporters are configured by ServiceDefaults.
    /// Runs once, when the provider is built at start-up.
    /// </summary>
    public static IServiceCollection ConfigureTracing(this IServiceCollection services, Action<TracerProviderBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        return services.AddSingleton(new TracingConfiguration(configure));
    }

    /// <summary>Adds to the meter provider (meters, views, readers). Runs once, when the provider is built at start-up.</summary>
    public static IServiceCollection ConfigureMetrics(this IServiceCollection services, Action<MeterProviderBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        return services.AddSingleton(new MetricsConfiguration(configure));
    }

    internal static void AddPlatformTelemetry(this WebApplicationBuilder builder, string serviceName)
    {
        var configuration = builder.Configuration;
        // One instance id for all three signals, so logs, spans and metrics of this process line up.
        var instanceId = Guid.NewGuid().ToString("N");
        void DescribeService(ResourceBuilder resource) => resource
            .AddService(serviceName, serviceInstanceId: instanceId, autoGenerateServiceInstanceId: false)
            // Applied after, so OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES win over the defaults above.
            .AddEnvironmentVariableDetector();

        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });
        builder.Services.ConfigureOpenTelemetryLoggerProvider(logging =>
        {
            logging.ConfigureResource(DescribeService);
            if (OtlpEndpoint(configuration, "v1/logs") is { } endpoint)
                logging.AddOtlpExporter(otlp => UseHttpProtobuf(otlp, endpoint));
        });

        // Tracing and metrics live in an OpenTelemetrySdk owned by the host's container: created at start-up by
        // TelemetryStartup, disposed (which flushes) when the host shuts down.
        builder.Services.AddSingleton(services => OpenTelemetrySdk.Create(otel =>
        {
            // The SDK keeps its own container; give it the host's configuration so the OTEL_* settings read
            // by the resource detector and exporters are the same ones the rest of the service sees.
            otel.Services.AddSingleton<IConfiguration>(configuration);
            otel.ConfigureResource(DescribeService);
            otel.WithTracing(tracing =>
            {
                tracing.AddSource([.. ActivitySources]);
                foreach (var extra in services.GetServices<TracingConfiguration>())
                    extra.Configure(tracing);
                if (OtlpEndpoint(configuration, "v1/traces") is { } endpoint)
                    tracing.AddOtlpExporter(otlp => UseHttpProtobuf(otlp, endpoint));
            });
            otel.WithMetrics(metrics =>
            {
                metrics.AddMeter([.. Meters]);
                foreach (var extra in services.GetServices<MetricsConfiguration>())
                    extra.Configure(metrics);
                if (OtlpEndpoint(configuration, "v1/metrics") is { } endpoint)
                    metrics.AddOtlpExporter(otlp => UseHttpProtobuf(otlp, endpoint));
            });
        }));
        builder.Services.AddHostedService<TelemetryStartup>();
    }

    /// <summary>OTLP export only when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set; the signal path is appended as the spec requires for http/protobuf.</summary>
    private static Uri? OtlpEndpoint(IConfiguration configuration, string signalPath)
    {
        var baseUrl = configuration["OTEL_EXPORTER_OTLP_ENDPOINT"];
        if (string.IsNullOrWhiteSpace(baseUrl)) return null;
        return new Uri(baseUrl.TrimEnd('/') + "/" + signalPath, UriKind.Absolute);
    }

    // Our telemetry receiver speaks OTLP over HTTP/protobuf only (no gRPC server packages in the feed).
    private static void UseHttpProtobuf(OtlpExporterOptions otlp, Uri endpoint)
    {
        otlp.Protocol = OtlpExportProtocol.HttpProtobuf;
        otlp.Endpoint = endpoint;
    }
}

internal sealed record TracingConfiguration(Action<TracerProviderBuilder> Configure);

internal sealed record MetricsConfiguration(Action<MeterProviderBuilder> Configure);

/// <summary>Creates the tracer and meter providers as the host starts, so the first request is already traced.</summary>
internal sealed class TelemetryStartup(OpenTelemetrySdk sdk) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        GC.KeepAlive(sdk);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
