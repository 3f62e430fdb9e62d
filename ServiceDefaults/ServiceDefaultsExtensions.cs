using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Platform.ServiceDefaults.Auth;
using Platform.ServiceDefaults.Health;
using Platform.ServiceDefaults.Http;
using Platform.ServiceDefaults.OpenApi;
using Platform.ServiceDefaults.Telemetry;

namespace Platform.ServiceDefaults;

/// <summary>What every platform service shares. A service's Program.cs calls these and nothing else of ours.</summary>
/// <example>
/// <code>
/// var builder = WebApplication.CreateBuilder(args);
/// builder.AddServiceDefaults("membership");
/// builder.AddServiceDatabase&lt;MembershipDbContext&gt;("membershipdb");
/// var app = builder.Build();
/// app.MapDefaultEndpoints();
/// app.MapOrganizations();   // the service's endpoint groups
/// app.Run();
/// </code>
/// </example>
public static class ServiceDefaultsExtensions
{
    /// <summary>
    /// Telemetry (traces, metrics, logs; OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set), health checks,
    /// the JSON conventions, problem details for every error, API-key authentication with scopes (every
    /// endpoint needs a key unless marked anonymous), per-key rate limiting, Idempotency-Key on POST, the
    /// OpenAPI document, and <see cref="TimeProvider"/> (the one way to read the time). API keys and
    /// idempotency need the service database: call <c>AddServiceDatabase</c> too.
    /// </summary>
    public static WebApplicationBuilder AddServiceDefaults(this WebApplicationBuilder builder, string serviceName)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddRequestEdge(serviceName);
        var services = builder.Services;
        services.AddApiKeyAuth();
        services.AddPerKeyRateLimiting(builder.Configuration);
        services.AddIdempotency(builder.Configuration);
        services.AddPlatformOpenApi(serviceName);
        services.Configure<ApiDocumentOptions>(options => options.PublicUrl = builder.Configuration["Platform:PublicUrl"]);
        return builder;
    }

    /// <summary>
    /// The part of <see cref="AddServiceDefaults"/> that needs no database and no broker: <see cref="TimeProvider"/>,
    /// telemetry, the live health check, the JSON conventions, problem details for every error, and the request limits
    /// (body size: <c>Platform:Http:MaxRequestBodyBytes</c>, else <paramref name="maxRequestBodyBytes"/>, else 10 MB).
    /// For a host that is not a service (the operator dashboard); with <see cref="UseRequestEdge"/> and <see cref="MapHealthProbes"/>.
    /// </summary>
    public static WebApplicationBuilder AddRequestEdge(this WebApplicationBuilder builder, string serviceName, long? maxRequestBodyBytes = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(serviceName);
        var services = builder.Services;
        services.TryAddSingleton(TimeProvider.System);

        builder.AddPlatformTelemetry(serviceName);
        services.AddHealthChecks().AddCheck("self", () => HealthCheckResult.Healthy(), [HealthEndpoints.Live]);

        services.ConfigureHttpJsonOptions(options => PlatformJson.Apply(options.SerializerOptions));
        // Body-binding failures throw, so ClientErrorExceptionHandler can answer them with the failing field.
        services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        // Ahead of AddProblemDetails' own writer, which gives up when the Accept header does not mention JSON.
        services.AddSingleton<IProblemDetailsWriter, ProblemDocumentWriter>();
        services.AddProblemDetails();
        services.AddExceptionHandler<ClientErrorExceptionHandler>();

        var maxBody = builder.Configuration.GetValue("Platform:Http:MaxRequestBodyBytes", maxRequestBodyBytes ?? MaxRequestBody.DefaultBytes);
        services.AddSingleton(new MaxRequestBody(maxBody));
        services.Configure<KestrelServerOptions>(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = maxBody;
            // Above RequestGuard's limits, so an over-long URL or header block gets its problem document (Kestrel's own 414/431 are empty).
            kestrel.Limits.MaxRequestLineSize = RequestGuard.KestrelRequestLineBytes;
            kestrel.Limits.MaxRequestHeadersTotalSize = RequestGuard.KestrelHeaderBytes;
        });
        services.AddSingleton(new ServiceIdentity(serviceName));
        return builder;
    }

    /// <summary>
    /// The first middleware of every host: problem documents for exceptions and empty 4xx/5xx answers, then
    /// <see cref="RequestGuard"/> (URL and header sizes, UTF-8 bodies, clean path and query text). Needs <see cref="AddRequestEdge"/>.
    /// </summary>
    public static WebApplication UseRequestEdge(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseExceptionHandler();
        // Empty 4xx/5xx responses (unmatched route, 405, a bare TypedResults.NotFound()) get a problem body.
        app.UseStatusCodePages();
        // URL and header sizes, the body's charset, control characters in the path and query string: before anything reads them.
        app.UseMiddleware<RequestGuard>();
        return app;
    }

    /// <summary>The anonymous probes <c>/health/live</c> and <c>/health/ready</c> (see <see cref="HealthEndpoints"/>).</summary>
    public static IEndpointRouteBuilder MapHealthProbes(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapHealthEndpoints();
        return endpoints;
    }

    /// <summary>What each OpenAPI tag (a feature area) is for, shown to partners beside its operations.</summary>
    /// <example><code>builder.DescribeApiTags(("Programs", "Order classes, apprenticeships, bases and projects run by a college and enterprises."));</code></example>
    public static WebApplicationBuilder DescribeApiTags(this WebApplicationBuilder builder, params (string Tag, string Description)[] tags)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.Configure<ApiDocumentOptions>(options =>
        {
            foreach (var (tag, description) in tags) options.Tags[tag] = description;
        });
        return builder;
    }

    /// <summary>
    /// The middleware, in order, and the endpoints every service has: health probes (<c>/health/live</c>,
    /// <c>/health/ready</c>), the OpenAPI document (<c>/openapi/v1.json</c>) and its page (<c>/docs</c>).
    /// Call it before mapping the service's own endpoints.
    /// </summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var service = app.Services.GetRequiredService<ServiceIdentity>();

        app.UseRequestEdge();
        // Static files of the interactive page, served from the package: no CDN, no key needed to read the docs.
        app.UseSwaggerUI(ui =>
        {
            ui.RoutePrefix = "docs";
            ui.DocumentTitle = $"{service.Name} API";
            ui.SwaggerEndpoint(OpenApiSetup.DocumentPath, $"{service.Name} {OpenApiSetup.DocumentName}");
        });
        app.UseRouting();
        // After routing, so an endpoint's own [RequestSizeLimit] counts.
        app.UseMiddleware<MaxRequestBody.Middleware>();
        app.UseAuthentication();
        // After authentication (the partition is the API key), before authorization (floods of bad keys are limited too).
        app.UseRateLimiter();
        app.UseAuthorization();
        // Last: only authorized requests claim idempotency keys, and it sees the endpoint's real response.
        app.UseMiddleware<IdempotencyMiddleware>();

        app.MapHealthProbes();
        app.MapCallerEndpoint();
        app.MapOpenApi().AllowAnonymous().DisableRateLimiting().ExcludeFromDescription();
        return app;
    }
}

/// <summary>The service's name as given to <see cref="ServiceDefaultsExtensions.AddServiceDefaults"/>.</summary>
internal sealed record ServiceIdentity(string Name);
