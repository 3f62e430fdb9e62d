using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Platform.ServiceDefaults;
using Platform.ServiceDefaults.Messaging;
using Platform.ServiceDefaults.Persistence;
using Platform.Testing;

namespace Platform.Membership.Tests.Api;

/// <summary>
/// "Another service" beside membership: built as talent-pipeline and events are (AddServiceDefaults,
/// AddServiceDatabase, AddServiceMessaging with the key consumer, the key reconciler), with no endpoints of its
/// own beyond <c>/api/v1/me</c>. Its calls to membership go to membership's TestServer.
/// </summary>
public sealed class PeerService : IAsyncDisposable
{
    private readonly WebApplication _app;

    private PeerService(WebApplication app) => _app = app;

    /// <param name="membership">Where the reconciler reads the key list; null: no reconcile (as a service without a reference to membership).</param>
    /// <param name="reconcileInterval">How often the reconciler reads membership's list.</param>
    /// <param name="logs">Also receives every log line of the service, at every level.</param>
    public static async Task<PeerService> StartAsync(ThrowawayPostgres postgres, Uri messaging, WebApplicationFactory<Program>? membership,
        TimeSpan? reconcileInterval = null, ILoggerProvider? logs = null)
    {
        ArgumentNullException.ThrowIfNull(postgres);
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.WebHost.UseTestServer();
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:peerdb"] = await postgres.CreateDatabaseAsync("peer"),
            ["ConnectionStrings:messaging"] = messaging.ToString(),
            ["Platform:OperatorKey"] = ServiceUnderTest<Program>.OperatorKey,
        };
        if (membership is not null)
        {
            // Aspire's configuration contract for a reference to membership; the host does not matter to TestServer.
            settings["services:membership:http:0"] = "http://membership.test";
            settings["Platform:PartnerKeys:ReconcileInterval"] = (reconcileInterval ?? TimeSpan.FromSeconds(60)).ToString();
        }
        builder.Configuration.AddInMemoryCollection(settings);
        if (logs is not null)
        {
            builder.Logging.SetMinimumLevel(LogLevel.Trace).AddProvider(logs);
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Logging:LogLevel:Default"] = "Trace" });
        }

        builder.AddServiceDefaults("peer");
        builder.AddServiceDatabase<PeerDbContext>("peerdb");
        builder.AddServiceMessaging("peer");
        if (membership is not null)
            builder.Services.AddHttpClient("platform-partner-keys").ConfigurePrimaryHttpMessageHandler(() => membership.Server.CreateHandler());

        var app = builder.Build();
        app.MapDefaultEndpoints();
        await app.StartAsync(TestContext.Current.CancellationToken);
        return new PeerService(app);
    }

    public HttpClient ClientWithKey(string key)
    {
        var client = _app.GetTestClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", key);
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }
}

/// <summary>Only the platform tables (outbox, inbox, partner keys).</summary>
public sealed class PeerDbContext(DbContextOptions<PeerDbContext> options) : PlatformDbContext(options)
{
    protected override void ConfigureServiceModel(ModelBuilder modelBuilder)
    {
    }
}
