using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Platform.Hosting;
using Platform.Hosting.Aspire;

namespace Platform.Bench.ScaleOut;

/// <summary>
/// <c>./run.sh --scale</c> in this process (Aspire.Hosting.Testing): a 3-node RabbitMQ cluster, 2 instances of each
/// service behind a balancer each, on a throwaway data folder. What it runs can be killed as a lost machine would
/// lose it; the AppHost restarts crashed services and broker nodes itself.
/// </summary>
public sealed class ScaledOutPlatform : IAsyncDisposable
{
    /// <summary>About 2.5 minutes on 2 busy cores (three Erlang nodes, ten services, five balancers); room for a loaded CI machine.</summary>
    public static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(8);

    private readonly DistributedApplication _app;
    private readonly bool _ownsFolder;

    private ScaledOutPlatform(DistributedApplication app, string dataFolder, bool ownsFolder, TimeSpan startedIn)
    {
        _app = app;
        DataFolder = dataFolder;
        _ownsFolder = ownsFolder;
        StartedIn = startedIn;
    }

    public string DataFolder { get; }

    /// <summary>Keeps the data folder (logs, databases) after dispose, for a failed run to be looked into.</summary>
    public bool KeepDataFolder { get; set; }

    /// <summary>From the AppHost's start until every resource was healthy (endpoints.json written).</summary>
    public TimeSpan StartedIn { get; }

    public string OperatorKey => File.ReadAllText(Path.Combine(DataFolder, "operator-key")).Trim();

    /// <summary>The broker nodes' resource names (messaging-1 …).</summary>
    public IReadOnlyList<string> BrokerNodes => [.. Model.Resources.OfType<RabbitMqClusterResource>().Single().Nodes.Select(n => n.Name)];

    private DistributedApplicationModel Model => _app.Services.GetRequiredService<DistributedApplicationModel>();

    /// <summary>Starts the platform on <paramref name="dataFolder"/> (a new throwaway folder when null, removed on dispose), with the Aspire dashboard as ./run.sh runs it.</summary>
    public static Task<ScaledOutPlatform> StartAsync(string? dataFolder, CancellationToken cancellationToken) =>
        StartAsync(dataFolder, withTelemetry: true, cancellationToken);

    /// <summary>
    /// Starts the platform on <paramref name="dataFolder"/> (a new throwaway folder when null, removed on dispose).
    /// <paramref name="withTelemetry"/>: with the Aspire dashboard, as ./run.sh runs it (the operator dashboard links
    /// to it and every process exports its telemetry to it); without it, no dashboard process and no OTLP export from
    /// the fifteen processes, for a run that proves correctness on a busy machine rather than shows what happened.
    /// </summary>
    public static async Task<ScaledOutPlatform> StartAsync(string? dataFolder, bool withTelemetry, CancellationToken cancellationToken)
    {
        var owns = dataFolder is null;
        var folder = dataFolder ?? Directory.CreateTempSubdirectory("platform-scale-").FullName;
        var clock = Stopwatch.StartNew();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(StartTimeout);
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.Platform_AppHost>(["--data", folder, "--scale"],
            (options, _) => options.DisableDashboard = !withTelemetry, timeout.Token);
        // The AppHost's own console lines (failures, restarts) are written without a logger; the resources log to DATA/logs.
        builder.Services.AddLogging(logging => logging.ClearProviders());
        if (!withTelemetry)
        {
            // Without the dashboard Aspire still gives every project an OTLP endpoint (its default, localhost:4317,
            // where nothing listens): take it away, so ServiceDefaults turns the exporter off (it exports only when
            // OTEL_EXPORTER_OTLP_ENDPOINT is set). After Aspire's own callback, which the project got when it was added.
            foreach (var project in builder.Resources.OfType<ProjectResource>())
                project.Annotations.Add(new EnvironmentCallbackAnnotation(context =>
                {
                    foreach (var name in context.EnvironmentVariables.Keys.Where(k => k.StartsWith("OTEL_EXPORTER_OTLP_", StringComparison.Ordinal)).ToList())
                        context.EnvironmentVariables.Remove(name);
                }));
        }
        var app = await builder.BuildAsync(timeout.Token);
        try
        {
            await app.StartAsync(timeout.Token);
            // The AppHost writes endpoints.json once every resource is healthy.
            while (!File.Exists(Path.Combine(folder, "endpoints.json")))
                await Task.Delay(200, timeout.Token);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
        return new ScaledOutPlatform(app, folder, owns, clock.Elapsed);
    }

    /// <summary>A service's address: its load balancer, as partners reach it.</summary>
    public Uri ServiceUrl(string service) => _app.GetEndpoint(service, "http");

    /// <summary>
    /// SIGKILL to the resource's process tree (for a service <c>dotnet run</c> and the service under it; for a broker
    /// node the script and the Erlang VM): no goodbye to clients or cluster peers. Returns when it is gone.
    /// </summary>
    public async Task KillAsync(string resource, CancellationToken cancellationToken)
    {
        using var process = Process.GetProcessById(ProcessId(resource));
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync(cancellationToken);
    }

    /// <summary>Waits until the resource runs again in a process other than <paramref name="killedPid"/> and is healthy; how long that took.</summary>
    public async Task<TimeSpan> WaitUntilBackAsync(string resource, int killedPid, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        await _app.ResourceNotifications.WaitForResourceAsync(resource,
            e => e.Snapshot.State?.Text == KnownResourceStates.Running && e.Snapshot.HealthStatus == Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy
                 && Pid(e.Snapshot) is { } pid && pid != killedPid,
            cancellationToken);
        return clock.Elapsed;
    }

    /// <summary>Messages parked in <c>*_error</c> queues, per queue, as the first broker node that answers reports them.</summary>
    public Task<IReadOnlyDictionary<string, long>> ErrorQueuesAsync(CancellationToken cancellationToken) =>
        BrokerManagementAsync<IReadOnlyDictionary<string, long>>(async (http, ct) =>
        {
            using var queues = await http.GetFromJsonAsync<JsonDocument>(new Uri("api/queues?columns=name,messages", UriKind.Relative), ct);
            return queues!.RootElement.EnumerateArray()
                .Where(q => q.GetProperty("name").GetString()!.EndsWith("_error", StringComparison.Ordinal))
                .ToDictionary(q => q.GetProperty("name").GetString()!, q => q.TryGetProperty("messages", out var m) && m.ValueKind == JsonValueKind.Number ? m.GetInt64() : 0);
        }, TimeSpan.FromSeconds(30), cancellationToken);

    /// <summary>
    /// Runs <paramref name="call"/> against the management HTTP API of the first broker node that answers (a node
    /// that is down, or does not answer within <paramref name="timeout"/>, is skipped), as the platform user. The
    /// platform's virtual host is <c>/</c> (<c>%2F</c> in the API's paths).
    /// </summary>
    public async Task<T> BrokerManagementAsync<T>(Func<HttpClient, CancellationToken, Task<T>> call, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        Exception? last = null;
        foreach (var node in Model.Resources.OfType<RabbitMqServerResource>())
        {
            try
            {
                var management = new Uri(await node.ManagementUrlExpression.GetValueAsync(cancellationToken) ?? throw new InvalidOperationException($"{node.Name} has no management URL."));
                using var http = RabbitMqNode.ManagementClient(management, await node.PasswordParameter.GetValueAsync(cancellationToken) ?? "", timeout);
                return await call(http, cancellationToken);
            }
            catch (Exception e) when (e is HttpRequestException || (e is TaskCanceledException && !cancellationToken.IsCancellationRequested))
            {
                last = e; // that node is down: ask the next
            }
        }
        throw new InvalidOperationException($"No broker node answered on its management API (last: {last?.Message}).", last);
    }

    /// <summary>Every service instance's <c>/health/ready</c> answer (bus, outbox backlog, error queues), for a failure message.</summary>
    public async Task<string> HealthReportsAsync(CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var reports = new List<string>();
        foreach (var instance in Model.Resources.OfType<ProjectResource>().Where(p => p.Name[^2] == '-' && char.IsDigit(p.Name[^1])).OrderBy(p => p.Name, StringComparer.Ordinal))
        {
            try
            {
                reports.Add($"{instance.Name}: {await http.GetStringAsync(new Uri(_app.GetEndpoint(instance.Name, "http"), "/health/ready"), cancellationToken)}");
            }
            catch (HttpRequestException e)
            {
                reports.Add($"{instance.Name}: {e.Message}");
            }
        }
        return string.Join(Environment.NewLine, reports);
    }

    /// <summary>The process DCP started for the resource.</summary>
    public int ProcessId(string resource)
    {
        if (!_app.ResourceNotifications.TryGetCurrentState(resource, out var current))
            throw new InvalidOperationException($"No resource named {resource}.");
        return Pid(current.Snapshot) ?? throw new InvalidOperationException($"{resource} has no process (state {current.Snapshot.State?.Text}).");
    }

    private static int? Pid(CustomResourceSnapshot snapshot) =>
        snapshot.Properties.FirstOrDefault(p => p.Name == "executable.pid")?.Value is { } pid ? Convert.ToInt32(pid, CultureInfo.InvariantCulture) : null;

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        if (_ownsFolder && !KeepDataFolder)
        {
            try { Directory.Delete(DataFolder, recursive: true); }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
    }
}
