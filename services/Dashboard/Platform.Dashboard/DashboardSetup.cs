using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Platform.Dashboard.Features.Kpis;
using Platform.Dashboard.Features.Links;
using Platform.Dashboard.Features.Messaging;
using Platform.Dashboard.Features.Resources;
using Platform.Dashboard.Operators;

namespace Platform.Dashboard;

/// <summary>
/// Services and middleware of the dashboard. Settings (Aspire's contract plus ours):
/// <c>services:NAME:http:0</c> the services it watches, <c>ConnectionStrings:messaging</c> the broker,
/// <c>Dashboard:RabbitMq:ManagementUrl</c> its management API, <c>Dashboard:AspireDashboard:Url</c> the Aspire dashboard
/// (telemetry and console logs; linked to, not copied), <c>Platform:OperatorKey</c> the key that mutating endpoints require.
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
        return builder;
    }

    public static WebApplication UseDashboard(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseDefaultFiles();
        app.UseStaticFiles();
        app.MapHealthChecks("/health/live");
        app.MapHealthChecks("/health/ready", new HealthCheckOptions());
        return app;
    }
}
