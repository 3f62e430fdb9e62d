using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Platform.Hosting.Aspire;

namespace Platform.AppHost.Local;

/// <summary>
/// The console's part: once every resource is healthy, writes <c>DIR/endpoints.json</c> (its appearance means
/// "ready"; removed when the AppHost stops), prints where everything is, and loads the demo data when asked.
/// A resource that fails or stops is reported in one line that says where its output is; a crashed service is restarted.
/// </summary>
internal sealed class ReadyReport(LocalRun run, DistributedApplicationModel model, ResourceNotificationService notifications, ResourceCommandService commands, IHostApplicationLifetime lifetime)
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>How many crashes while starting a supervised resource may have before the start is called failed.</summary>
    private const int StartAttempts = 3;

    public async Task RunAsync(CancellationToken stoppingToken)
    {
        var resources = model.Resources.Where(PlatformResources.IsOurs).ToList();
        _ = ReportFailuresAsync(resources.Select(r => r.Name).ToHashSet(StringComparer.Ordinal), stoppingToken);
        try
        {
            // The first failure ends the wait (what waits for a failed resource would wait forever), unless it is a
            // crash the AppHost restarts: then the wait goes on through the restart.
            var waits = resources.Select(r => WaitUntilHealthyAsync(r, stoppingToken)).ToList();
            while (waits.Count > 0)
            {
                var done = await Task.WhenAny(waits);
                waits.Remove(done);
                await done;
            }
        }
        catch (DistributedApplicationException)
        {
            var details = run.AspireLoginUrl(model) is { } login ? $"the Aspire dashboard {login} and {run.DataFolder.Logs}/" : $"{run.DataFolder.Logs}/";
            await Console.Error.WriteLineAsync($"The platform did not start completely (see above). Details: {details}.");
            return;
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return;
        }

        using var self = Process.GetCurrentProcess();
        var readyAfter = DateTime.Now - self.StartTime;
        await run.DataFolder.WriteSecretAtomicallyAsync(run.DataFolder.EndpointsFile, await EndpointsJsonAsync(stoppingToken), stoppingToken);
        // Removed on the way out: endpoints.json describes a running platform.
        lifetime.ApplicationStopping.Register(() => File.Delete(run.DataFolder.EndpointsFile));
        await Console.Out.WriteLineAsync(await SummaryAsync(readyAfter, stoppingToken));

        if (run.Options.Demo)
        {
            // Through the public APIs, like any partner system; a failure is reported, the platform keeps running.
            var loaded = await Platform.DemoData.DemoDataCommand.RunAsync(["--endpoints", run.DataFolder.EndpointsFile], Console.Out, Console.Error, stoppingToken);
            await Console.Out.WriteLineAsync(loaded == 0 ? "Demo data loaded." : "Demo data: not loaded (see above); the platform keeps running.");
        }
    }

    /// <summary>
    /// Until the resource is healthy. A supervised resource that crashes while starting (e.g. a broker node whose port
    /// another program took between the AppHost's pick and the node's bind) is restarted by <see cref="ReportFailuresAsync"/>;
    /// after <see cref="StartAttempts"/> crashes, or any other failure, the wait ends with the failure.
    /// </summary>
    private async Task WaitUntilHealthyAsync(IResource resource, CancellationToken stoppingToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await notifications.WaitForResourceHealthyAsync(resource.Name, WaitBehavior.StopOnResourceUnavailable, stoppingToken);
                return;
            }
            catch (DistributedApplicationException) when (attempt < StartAttempts
                && notifications.TryGetCurrentState(resource.Name, out var failed) && IsRestartedAfter(resource, failed.Snapshot.ExitCode))
            {
                // Restarted after 1, 2 … s: wait until it runs again, then for its health.
                await notifications.WaitForResourceAsync(resource.Name, e => e.Snapshot.State?.Text is { } state && !IsDown(state), stoppingToken);
            }
        }
    }

    private async Task ReportFailuresAsync(HashSet<string> names, CancellationToken stoppingToken)
    {
        var reported = new Dictionary<string, string>(StringComparer.Ordinal);
        var crashes = new Dictionary<string, int>(StringComparer.Ordinal);
        try
        {
            await foreach (var change in notifications.WatchAsync(stoppingToken))
            {
                var name = change.Resource.Name;
                var state = change.Snapshot.State?.Text;
                if (!names.Contains(name) || state is null || lifetime.ApplicationStopping.IsCancellationRequested) continue;
                if (!IsDown(state))
                {
                    reported.Remove(name);
                    if (change.Snapshot.HealthStatus == HealthStatus.Healthy) crashes.Remove(name);
                    continue;
                }
                if (reported.TryGetValue(name, out var last) && last == state) continue;
                reported[name] = state;
                var exitCode = change.Snapshot.ExitCode;
                var exit = exitCode is { } code ? $" (exit code {code})" : "";
                // DCP does not restart executables. A service or a broker node that crashed (not one stopped on purpose,
                // which exits 0) comes back on its own, as under systemd or Kubernetes, after 1, 2, 4 … 30 s while it keeps crashing.
                var restart = IsRestartedAfter(change.Resource, exitCode) ? TimeSpan.FromSeconds(Math.Min(30, 1 << Math.Min(crashes.GetValueOrDefault(name), 5))) : (TimeSpan?)null;
                var then = restart is { } delay ? $"; restarting in {delay.TotalSeconds:0} s" : "";
                await Console.Error.WriteLineAsync($"{name}: {state}{exit}{then}. Its output: {Path.Combine(run.DataFolder.Logs, name + ".log")}, or the Aspire dashboard's console logs.");
                if (restart is { } wait)
                {
                    crashes[name] = crashes.GetValueOrDefault(name) + 1;
                    _ = RestartAsync(change.Resource, wait, stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>What the AppHost restarts after a crash: the services and the RabbitMQ nodes (a cluster node rejoins its cluster).</summary>
    private static bool IsSupervised(IResource resource) => resource is ProjectResource or RabbitMqServerResource;

    /// <summary>A crash the AppHost restarts: a supervised resource that exited with a code other than 0 (0 is a stop on purpose).</summary>
    private static bool IsRestartedAfter(IResource resource, int? exitCode) => IsSupervised(resource) && exitCode is not (null or 0);

    /// <summary>States a resource does not leave on its own.</summary>
    private static bool IsDown(string state) =>
        state == KnownResourceStates.FailedToStart || state == KnownResourceStates.Exited || state == KnownResourceStates.Finished;

    private async Task RestartAsync(IResource resource, TimeSpan delay, CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(delay, stoppingToken);
            var result = await commands.ExecuteCommandAsync(resource, KnownResourceCommands.StartCommand, stoppingToken);
            if (!result.Success)
                await Console.Error.WriteLineAsync($"{resource.Name}: could not be restarted: {result.Message}");
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task<string> EndpointsJsonAsync(CancellationToken cancellationToken)
    {
        var services = new JsonObject();
        foreach (var (name, url) in run.Services.OrderBy(s => s.Key, StringComparer.Ordinal))
            services[name] = url.ToString().TrimEnd('/');
        var databases = new JsonObject();
        // The superuser's, for the human at the keyboard; the services connect as their database's own role.
        foreach (var database in model.Resources.OfType<PostgresDatabaseResource>())
            databases[database.Name] = await database.AdminConnectionStringExpression.GetValueAsync(cancellationToken);
        // Null, not left out, when the AppHost runs without the Aspire dashboard (Aspire.Hosting.Testing with
        // DisableDashboard): a reader sees "none" rather than a missing key, and one that needs it fails on null.
        var json = new JsonObject
        {
            ["operatorKey"] = run.OperatorKey,
            ["services"] = services,
            ["postgres"] = databases,
            ["aspireDashboard"] = LocalRun.AspireDashboardUrl(model) is { } aspire
                ? new JsonObject
                {
                    ["url"] = aspire,
                    ["loginUrl"] = run.AspireLoginUrl(model),
                    ["telemetryApiKey"] = run.AspireTelemetryApiKey,
                }
                : null,
        };
        // The broker the services reference: the single node, or the cluster (its connection string lists every node).
        IRabbitMqBrokerResource? broker = model.Resources.OfType<RabbitMqClusterResource>().FirstOrDefault();
        broker ??= model.Resources.OfType<RabbitMqServerResource>().FirstOrDefault();
        if (broker is { } rabbit)
        {
            json["rabbitmq"] = new JsonObject
            {
                ["amqp"] = await rabbit.ConnectionStringExpression.GetValueAsync(cancellationToken),
                ["management"] = await rabbit.ManagementUrlExpression.GetValueAsync(cancellationToken),
            };
        }
        return json.ToJsonString(Indented);
    }

    private async Task<string> SummaryAsync(TimeSpan readyAfter, CancellationToken cancellationToken)
    {
        var width = run.Services.Keys.Append("Aspire dashboard").Max(n => n.Length) + 2;
        var lines = new List<string> { "", $"Consortium Platform ready in {readyAfter.TotalSeconds:0.0} s" };
        void Row(string label, string text) => lines.Add("  " + label.PadRight(width) + text);

        Row("Aspire dashboard", run.AspireLoginUrl(model) is { } login ? $"{login}   resources, console logs, traces, logs, metrics" : "not running (started without it)");
        foreach (var (name, url) in run.Services.OrderBy(s => s.Key, StringComparer.Ordinal))
            Row(name, name == "dashboard" ? $"{url}   operator dashboard (open it in a browser)" : $"{url}   docs: {url}docs");
        foreach (var rabbit in model.Resources.OfType<RabbitMqServerResource>())
        {
            var password = await rabbit.PasswordParameter.GetValueAsync(cancellationToken);
            Row("RabbitMQ UI", $"{await rabbit.ManagementUrlExpression.GetValueAsync(cancellationToken)}   user {Hosting.RabbitMqServer.User}, password {password}");
        }
        foreach (var postgres in model.Resources.OfType<PostgresServerResource>())
        {
            var password = await postgres.PasswordParameter.GetValueAsync(cancellationToken);
            Row("PostgreSQL", $"127.0.0.1:{postgres.PrimaryEndpoint.Port}   user {Hosting.PostgresServer.Superuser}, password {password}   databases: {string.Join(", ", postgres.Databases.Select(d => d.DatabaseName))}");
        }
        Row("operator key", run.OperatorKey);
        Row("data folder", $"{run.DataFolder.FullPath}   (endpoints.json, logs/)");
        lines.Add("Press Ctrl+C to stop everything.");
        lines.Add("");
        return string.Join(Environment.NewLine, lines);
    }
}
