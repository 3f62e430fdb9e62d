using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Platform.Dashboard.Features.Kpis;
using Platform.Dashboard.Features.Links;
using Platform.Dashboard.Features.Messaging;
using Platform.Dashboard.Features.Resources;
using Platform.Dashboard.Features.Webhooks;
using Platform.Dashboard.Operators;

namespace Platform.Dashboard;

/// <summary>
/// Services and middleware of the dashboard. Settings (Aspire's contract plus ours):
/// <c>services:NAME:http:0</c> the services it watches, <c>ConnectionStrings:messaging</c> the broker,
/// <c>Dashboard:RabbitMq:ManagementUrl</c> its management API, <c>Dashboard:AspireDashboard:Url</c> the Aspire dashboard
/// (telemetry and console logs; linked to, not copied), <c>Platform:OperatorKey</c> the key every page and endpoint but
/// <c>/login</c> and <c>/health/*</c> requires (<see cref="OperatorAccess"/>), <c>Dashboard:AllowedHosts</c> host names
/// allowed besides loopback.
/// </summary>
public static class DashboardSetup
{
    public static WebApplicationBuilder AddDashboard(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddSingleton(TimeProvider.System);
        services.ConfigureHttpJsonOptions(json =>
        {
            json.SerializerOptions.Converters.Add(new JsonStringEnumConverter(System.Text.Json.JsonNamingPolicy.CamelCase));
            json.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
        });
        services.AddProblemDetails();
        services.AddHealthChecks().AddCheck("self", () => HealthCheckResult.Healthy());

        services.AddSingleton(AspireDashboard.FromConfiguration(builder.Configuration));
        services.AddSingleton(new OperatorKey(builder.Configuration["Platform:OperatorKey"]));
        services.AddOperatorAccess(builder.Configuration);
        // The largest thing the dashboard takes is a replay/discard body or the login form: a few hundred bytes.
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = MaxRequestBody);
        services.AddSingleton<OperatorAudit>();

        // No proxy: everything the dashboard calls listens on 127.0.0.1; an http_proxy variable must not get in between.
        services.AddHttpClient(Watched.HttpClientName, http => http.Timeout = TimeSpan.FromSeconds(3))
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { UseProxy = false });
        // The KPIs call the services by name (http://membership), resolved from services:NAME:http:0 as in every Aspire
        // service. The health probes keep the exact configured URL: a health board checks the endpoint it shows.
        services.AddServiceDiscoveryCore();
        services.AddConfigurationServiceEndpointProvider();
        services.AddHttpClient(ConsortiumKpis.HttpClientName, http => http.Timeout = TimeSpan.FromSeconds(3))
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { UseProxy = false })
            .AddServiceDiscovery();
        services.AddSingleton(Watched.FromConfiguration(builder.Configuration));
        services.AddSingleton<ResourceBoard>();
        services.AddSingleton(BrokerSettings.FromConfiguration(builder.Configuration));
        services.AddSingleton<BrokerManagement>();
        services.AddSingleton<ErrorQueues>();
        services.AddSingleton<ConsortiumKpis>();
        services.AddSingleton<WebhooksService>();
        return builder;
    }

    /// <summary>Bytes a request body may have (Kestrel answers 413 above).</summary>
    public const long MaxRequestBody = 64 * 1024;

    public static WebApplication UseDashboard(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        // A request the server cannot read (too large, cut off) is the client's error, not a 500.
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            StatusCodeSelector = e => e is BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status500InternalServerError,
        });
        app.UseStatusCodePages();
        app.UseJsonCharsetCheck();
        app.UseOperatorAccess();
        app.UseDefaultFiles();
        app.UseStaticFiles();
        // Anonymous, and they say only Healthy/Unhealthy: the details are on /api/resources.
        app.MapHealthChecks("/health/live").AllowAnonymous();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions()).AllowAnonymous();
        app.MapOperatorLogin();
        return app;
    }

    /// <summary>
    /// A JSON body in a charset other than UTF-8 is refused with 415 before any endpoint reads it (System.Text.Json
    /// reads UTF-8; an unknown charset would otherwise surface as an exception).
    /// </summary>
    private static WebApplication UseJsonCharsetCheck(this WebApplication app)
    {
        app.Use(async (http, next) =>
        {
            if (http.Request.ContentType is { } contentType && Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(contentType, out var media)
                && media.Charset.HasValue && !media.Charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase) && !media.Charset.Equals("utf8", StringComparison.OrdinalIgnoreCase))
            {
                await OperatorAccess.Problem(http, StatusCodes.Status415UnsupportedMediaType, "Unsupported Media Type", $"charset={media.Charset}: only UTF-8 is read.");
                return;
            }
            await next(http);
        });
        return app;
    }
}
