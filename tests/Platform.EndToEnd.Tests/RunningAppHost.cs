using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Platform.Testing;

namespace Platform.EndToEnd.Tests;

/// <summary>
/// The AppHost of <c>./run.sh</c>, started once for the whole test run (an assembly fixture) through
/// Aspire.Hosting.Testing, on its own throwaway data folder, with the Aspire dashboard on (its telemetry API
/// is how the tests see traces).
/// </summary>
public sealed class RunningAppHost : IAsyncLifetime
{
    public static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(4);

    /// <summary>Every resource of the platform, as the AppHost names them.</summary>
    public static readonly string[] Resources =
        ["postgres", "membershipdb", "talentpipelinedb", "eventsdb", "webhooksdb", "messaging-epmd", "messaging", "membership", "talent-pipeline", "events", "webhooks", "dashboard"];

    private string? _folder;
    private DistributedApplication? _app;

    public DistributedApplication App => _app ?? throw new InvalidOperationException("Not started.");

    public string DataFolder => _folder ?? throw new InvalidOperationException("Not started.");

    public string OperatorKey => File.ReadAllText(Path.Combine(DataFolder, "operator-key")).Trim();

    public async ValueTask InitializeAsync()
    {
        _folder = ThrowawayFolder.Create("e2e");
        using var timeout = new CancellationTokenSource(StartTimeout);
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.Platform_AppHost>(
            ["--data", _folder],
            (options, _) => options.DisableDashboard = false,
            timeout.Token);
        // As a developer runs it (DOTNET_ENVIRONMENT=Development): webhooks may go to a receiver on this machine.
        builder.CreateResourceBuilder<ProjectResource>("webhooks").WithEnvironment("Webhooks__AllowPrivateTargets", "true");
        _app = await builder.BuildAsync(timeout.Token);
        await _app.StartAsync(timeout.Token);
        foreach (var resource in Resources)
            await _app.ResourceNotifications.WaitForResourceHealthyAsync(resource, timeout.Token);
    }

    /// <summary>DIR/endpoints.json, which the AppHost writes once every resource is healthy.</summary>
    public async Task<System.Text.Json.JsonElement> EndpointsAsync()
    {
        var file = Path.Combine(DataFolder, "endpoints.json");
        for (var waited = 0; !File.Exists(file) && waited < 300; waited++)
            await Task.Delay(100, TestContext.Current.CancellationToken);
        using var json = System.Text.Json.JsonDocument.Parse(await File.ReadAllTextAsync(file, TestContext.Current.CancellationToken));
        return json.RootElement.Clone();
    }

    /// <summary>A client of a platform service with the operator key (no proxy: everything is on loopback).</summary>
    public HttpClient Operator(string service)
    {
        var client = App.CreateHttpClient(service);
        client.DefaultRequestHeaders.Add("X-Api-Key", OperatorKey);
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
        if (_folder is not null) ThrowawayFolder.Remove(_folder);
    }
}
