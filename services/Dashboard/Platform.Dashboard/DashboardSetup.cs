using Platform.Dashboard.Features.Links;
using Platform.Dashboard.Features.Reports;
using Platform.Dashboard.Features.Webhooks;
using Platform.ServiceDefaults;
using Platform.ServiceDefaults.Localization;

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
        // ServiceDefaults' edge only: the dashboard has no database and no broker consumer, and its own operator access.
        // The largest thing the dashboard takes is a replay/discard body or the login form: a few hundred bytes.
        builder.AddRequestEdge("dashboard", MaxRequestBody);
        var services = builder.Services;
        // Chinese and English: ?lang=, the language switch's cookie, Accept-Language.
        services.AddPlatformLocalization();

        services.AddSingleton(AspireDashboard.FromConfiguration(builder.Configuration));
        services.AddSingleton(new OperatorKey(builder.Configuration["Platform:OperatorKey"]));
        services.AddOperatorAccess(builder.Configuration);
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
        // The annual report: read from the services like the KPIs, printed to PDF by Chromium headless.
        services.AddSingleton<AnnualReportSources>();
        services.AddSingleton<ChromiumPdf>();
        return builder;
    }

    /// <summary>Bytes a request body may have (Kestrel answers 413 above).</summary>
    public const long MaxRequestBody = 64 * 1024;

    public static WebApplication UseDashboard(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        // Problem documents for every error and the request guard (sizes, UTF-8 bodies, clean query text), as on the services.
        app.UseRequestEdge();
        app.UsePlatformLocalization();
        app.UseOperatorAccess();
        app.UseDefaultFiles();
        app.UseStaticFiles();
        // Anonymous, as on the services (the dashboard's only check is "self"; the platform's health is on /api/resources).
        app.MapHealthProbes();
        app.MapOperatorLogin();
        return app;
    }
}
