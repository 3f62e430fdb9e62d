using System.Diagnostics;
using Platform.AppHost.Output;
using Platform.Hosting;

namespace Platform.AppHost.Running;

/// <summary>A started process as the supervisor sees it: how to notice it ended, and how to stop it gracefully.</summary>
public sealed record RunningProcess(ChildProcess Process, Func<Task> StopAsync);

/// <summary>
/// Keeps one process resource running. <paramref name="start"/> starts the process and completes once it is
/// ready; when the process later exits on its own, it is started again after 1 s, 2 s, 4 s… (at most 30 s);
/// the delay goes back to 1 s once a run has stayed up 60 s.
/// </summary>
/// <param name="log">Where the supervisor notes starts, crashes and restarts.</param>
/// <param name="start">Starts the process and completes once it is ready; cleans up after itself when it fails.</param>
/// <param name="retryFirstStart">
/// Services: a failed first start is retried like a crash (the developer sees why and can fix it).
/// Servers: a failed first start ends the run, with the reason (port in use, damaged data…).
/// </param>
/// <param name="stopping">Cancelled when the whole run stops: abandons start attempts and restarts.</param>
public sealed class Supervisor(ResourceLog log, Func<CancellationToken, Task<RunningProcess>> start, bool retryFirstStart, CancellationToken stopping)
{
    private static readonly TimeSpan FirstDelay = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan StableAfter = TimeSpan.FromSeconds(60);

    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task? _loop;

    /// <summary>The pid of the current process, if one runs.</summary>
    public int? ProcessId { get; private set; }

    /// <summary><c>starting</c>, <c>running</c>, <c>restarting</c> (waiting to start again), <c>stopped</c> or <c>failed</c>.</summary>
    public string State { get; private set; } = "starting";

    /// <summary>When the current process became ready.</summary>
    public DateTimeOffset? StartedAt { get; private set; }

    /// <summary>How many times the process was started again after a crash or a failed start.</summary>
    public int Restarts { get; private set; }

    public int? LastExitCode { get; private set; }

    /// <summary>Why the last run ended or the last start failed.</summary>
    public string? Problem { get; private set; }

    /// <summary>Starts supervising; completes when the process is first ready (or faults when it cannot start).</summary>
    public Task StartAsync()
    {
        _loop ??= KeepRunningAsync();
        return _ready.Task;
    }

    /// <summary>Stops the process gracefully and restarts no more.</summary>
    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        if (_loop is not null) await _loop;
    }

    private async Task KeepRunningAsync()
    {
        using var abandon = CancellationTokenSource.CreateLinkedTokenSource(stopping, _stop.Token);
        var delay = FirstDelay;
        try
        {
            while (!abandon.IsCancellationRequested)
            {
                var startedAt = Stopwatch.GetTimestamp();
                RunningProcess running;
                try
                {
                    running = await start(abandon.Token);
                }
                catch (OperationCanceledException) when (abandon.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception e) when (retryFirstStart || _ready.Task.IsCompleted)
                {
                    State = "restarting";
                    Problem = $"could not start: {e.Message}";
                    Restarts++;
                    log.Note($"could not start: {e.Message}");
                    if (!await WaitAsync(delay, abandon.Token)) return;
                    delay = Next(delay);
                    continue;
                }
                catch (Exception e)
                {
                    State = "failed";
                    Problem = e.Message;
                    _ready.TrySetException(e);
                    return;
                }

                ProcessId = running.Process.Id;
                State = "running";
                StartedAt = DateTimeOffset.Now;
                Problem = null;
                _ready.TrySetResult();

                // Only an explicit StopAsync stops a ready process: the run stops its resources in order.
                await ((Task)running.Process.Exited.WaitAsync(_stop.Token)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                if (_stop.IsCancellationRequested)
                {
                    await running.StopAsync();
                    LastExitCode = await running.Process.Exited;
                    State = "stopped";
                    log.Note($"stopped (exit code {LastExitCode})");
                    return;
                }

                var exitCode = await running.Process.Exited;
                ProcessId = null;
                LastExitCode = exitCode;
                StartedAt = null;
                State = "restarting";
                Restarts++;
                // What the crashed run left behind (e.g. RabbitMQ's epmd) goes before the next start.
                await running.StopAsync();
                var uptime = Stopwatch.GetElapsedTime(startedAt);
                if (uptime >= StableAfter) delay = FirstDelay;
                if (stopping.IsCancellationRequested) return;
                Problem = $"exited unexpectedly with code {exitCode} after {uptime.TotalSeconds:0.0} s";
                log.Note($"exited unexpectedly with code {exitCode} after {uptime.TotalSeconds:0.0} s; restarting in {delay.TotalSeconds:0} s");
                if (!await WaitAsync(delay, abandon.Token)) return;
                delay = Next(delay);
            }
        }
        finally
        {
            ProcessId = null;
            if (State is not "failed") State = "stopped";
            _ready.TrySetCanceled(CancellationToken.None);
        }
    }

    private static TimeSpan Next(TimeSpan delay) => delay * 2 > MaxDelay ? MaxDelay : delay * 2;

    private static async Task<bool> WaitAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        await Task.Delay(delay, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        return !cancellationToken.IsCancellationRequested;
    }
}
