using System.Diagnostics;
using System.Runtime.InteropServices;
using Platform.AppHost.Building;
using Platform.AppHost.CommandLine;
using Platform.AppHost.Data;
using Platform.AppHost.Model;
using Platform.AppHost.Output;
using Platform.AppHost.Status;
using Platform.Hosting;

namespace Platform.AppHost.Running;

/// <summary>
/// One run of the AppHost: takes the data folder, builds the services (while the servers start), starts every
/// resource as soon as what it waits for is ready, writes endpoints.json and a summary, and on Ctrl+C or
/// SIGTERM stops the services, then the broker, then the database server.
/// </summary>
public sealed class Orchestrator(IReadOnlyList<Resource> declared, AppHostOptions options, string repositoryRoot)
{
    /// <summary>The name the AppHost's own notes go under (terminal prefix, logs/apphost.log).</summary>
    private const string OwnLogName = "apphost";

    public async Task<int> RunAsync()
    {
        var resources = declared.Where(r => r.IsPresent).ToList();
        var console = new ConsoleOutput(resources.Select(r => r.Name.Length).Append(OwnLogName.Length).Max());

        using var stopping = new CancellationTokenSource();
        ResourceLog? log = null;
        long? firstSignal = null;
        void OnStopSignal(PosixSignalContext signal)
        {
            // A second Ctrl+C gets the default action: we die at once, and the kernel kills every child (pdeathsig).
            // A repeat within a second is the same request delivered twice (to us and to our process group).
            if (firstSignal is { } first && Stopwatch.GetElapsedTime(first) > TimeSpan.FromSeconds(1)) return;
            signal.Cancel = true;
            if (firstSignal is not null) return;
            firstSignal = Stopwatch.GetTimestamp();
            log?.Note($"{signal.Signal} received: stopping everything (Ctrl+C again to kill at once)");
            stopping.Cancel();
        }
        using var onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnStopSignal);
        using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnStopSignal);
        _ = StopWhenDotnetRunExitsAsync();
        async Task StopWhenDotnetRunExitsAsync()
        {
            await ParentWatch.WaitUntilDotnetRunExitsAsync(stopping.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            if (stopping.IsCancellationRequested) return;
            log?.Note("dotnet run (our parent) is gone: stopping everything");
            await stopping.CancelAsync();
        }

        DataFolder data;
        try
        {
            data = DataFolder.Open(options.DataFolder ?? Path.Combine(repositoryRoot, ".data"), options.Fresh);
        }
        catch (AppHostException e)
        {
            console.WriteError(e.Message);
            return 1;
        }

        using (data)
        using (var logs = new ResourceLogs(console, data.Logs))
        {
            log = logs.For(OwnLogName);
            try
            {
                return await RunAsync(resources, data, logs, log, stopping.Token);
            }
            catch (Exception e) when (e is AppHostException or MissingOsPackageException)
            {
                console.WriteError(e.Message);
                return 1;
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                // Stopped while preparing: nothing was started yet.
                log.Note("stopped");
                return 0;
            }
            finally
            {
                // Ends the parent watch before the token source goes away.
                await stopping.CancelAsync();
            }
        }
    }

    private async Task<int> RunAsync(List<Resource> resources, DataFolder data, ResourceLogs logs, ResourceLog log, CancellationToken stopping)
    {
        log.Note($"Consortium Platform AppHost (pid {Environment.ProcessId}), data folder {data.FullPath}{(options.Fresh ? " (wiped)" : "")}");
        RequireOsPackages(resources);
        File.Delete(data.EndpointsFile);

        var states = new ResourceStates(resources, logs);
        var ports = await PortAllocator.LoadAsync(data.Combine("ports.json"), stopping);
        var operatorKey = await data.OperatorKeyAsync(stopping);
        // Only when a service (the dashboard) reads it; on a fresh port of 127.0.0.1, behind the operator key.
        await using var status = resources.OfType<ServiceResource>().Any(s => s.ReadsAppHostStatus)
            ? StatusEndpoint.Start(ports.Fresh(), operatorKey, states.Snapshot, states.Console)
            : null;
        var context = new RunContext
        {
            RepositoryRoot = repositoryRoot,
            DataFolder = data,
            Ports = ports,
            OperatorKey = operatorKey,
            StatusUrl = status?.Url,
            Build = BuildSettings.OfThisAppHost(),
            Logs = logs,
            TelemetryReceiver = resources.OfType<ServiceResource>().FirstOrDefault(s => s.IsTelemetryReceiver),
        };
        log.Note($"operator key: {context.OperatorKey}");
        foreach (var skipped in declared.Where(r => !r.IsPresent))
            log.Note($"{skipped.Name} skipped: it is optional and {(skipped as ServiceResource)?.ProjectFolder} does not exist");
        foreach (var resource in resources)
            await resource.PrepareAsync(context, stopping);
        await context.Ports.SaveAsync(stopping);
        foreach (var move in context.Ports.Moves)
            log.Note(move);

        using var run = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        var services = resources.OfType<ServiceResource>().ToList();
        // The build runs while PostgreSQL and RabbitMQ start: only the services wait for it.
        var build = options.NoBuild || services.Count == 0
            ? Task.CompletedTask
            : ServiceBuild.RunAsync(services, repositoryRoot, data.Combine("build/services.slnf"), context.Build, logs.For("build"), run.Token);

        var ready = new Dictionary<Resource, Task>();
        foreach (var resource in resources)
        {
            // Declaration order: what a resource waits for was declared (and so scheduled) before it.
            var waits = resource.WaitsFor.Where(r => r.IsPresent).Select(r => ready[r]).ToList();
            if (resource is ServiceResource) waits.Add(build);
            ready[resource] = StartWhenReadyAsync(resource, waits, context, states, run.Token);
        }

        var exitCode = 0;
        var everythingReady = WhenAllOrFirstFailureAsync([build, .. ready.Values]);
        await Task.WhenAny(everythingReady, Task.Delay(Timeout.Infinite, stopping));
        if (everythingReady.IsCompletedSuccessfully)
        {
            using var self = Process.GetCurrentProcess();
            var readyAfter = DateTime.Now - self.StartTime;
            await data.WriteSecretAtomicallyAsync(data.EndpointsFile, EndpointsFile.Render(context.OperatorKey, resources), CancellationToken.None);
            logs.Console.WriteBlock(ReadySummary.Lines(declared, context.OperatorKey, data.FullPath, readyAfter));
            if (options.Demo)
            {
                // Through the public APIs, like any partner system; a failure is reported, the platform keeps running.
                int loaded;
                try
                {
                    loaded = await Platform.DemoData.DemoDataCommand.RunAsync(["--endpoints", data.EndpointsFile], Console.Out, Console.Error, stopping);
                }
                catch (OperationCanceledException)
                {
                    loaded = 1;
                }
                log.Note(loaded == 0 ? "demo data loaded" : "demo data: not loaded (see above); the platform keeps running");
            }
            await Task.Delay(Timeout.Infinite, stopping).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
        else if (everythingReady.IsFaulted)
        {
            exitCode = 1;
            var failure = everythingReady.Exception.InnerException ?? everythingReady.Exception;
            logs.Console.WriteError(failure.Message);
            log.Detail(failure.ToString());
        }

        // Abandon what is still starting, then stop in waves: services, the broker, the database server.
        await run.CancelAsync();
        await Task.WhenAll([build, .. ready.Values]).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        foreach (var wave in resources.GroupBy(r => r.StopWave).OrderBy(w => w.Key))
            await Task.WhenAll(wave.Select(r => r.StopAsync()));
        File.Delete(data.EndpointsFile);
        log.Note(exitCode == 0 ? "stopped" : "stopped after a failure");
        return exitCode;
    }

    private static async Task StartWhenReadyAsync(Resource resource, List<Task> waits, RunContext context, ResourceStates states, CancellationToken cancellationToken)
    {
        states.Set(resource, "waiting");
        await Task.WhenAll(waits);
        cancellationToken.ThrowIfCancellationRequested();
        states.Set(resource, "starting");
        try
        {
            await resource.StartAsync(context, cancellationToken);
            states.Set(resource, "ready");
        }
        catch (Exception e) when (e is not OperationCanceledException and not AppHostException)
        {
            states.Set(resource, "failed", e.Message);
            throw new AppHostException($"{resource.Name} could not start: {e.Message}", e);
        }
        catch (AppHostException e)
        {
            states.Set(resource, "failed", e.Message);
            throw;
        }
    }

    /// <summary>Completes when every task has, or fails as soon as one fails (nobody waits for the slowest to report).</summary>
    private static async Task WhenAllOrFirstFailureAsync(IEnumerable<Task> tasks)
    {
        var pending = tasks.ToHashSet();
        while (pending.Count > 0)
        {
            var done = await Task.WhenAny(pending);
            await done;
            pending.Remove(done);
        }
    }

    /// <summary>Names every missing OS package at once, with the command that installs them.</summary>
    private static void RequireOsPackages(IEnumerable<Resource> resources)
    {
        // setsid and setpriv start every child (own session, killed when we die).
        List<Action> checks = [() => OsPackages.Setsid(), () => OsPackages.Setpriv(), .. resources.Select(r => (Action)r.CheckOsPackages)];
        var missing = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var check in checks)
        {
            try
            {
                check();
            }
            catch (MissingOsPackageException e)
            {
                missing.Add(e.Package);
            }
        }
        if (missing.Count > 0)
            throw new AppHostException($"Missing Debian package{(missing.Count > 1 ? "s" : "")}: {string.Join(", ", missing)}. Install with: sudo apt-get install -y {string.Join(' ', missing)}   (./run.sh installs them for you)");
    }
}
