using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Platform.Hosting;

/// <summary>What to run: a program, its arguments, environment and working folder.</summary>
public sealed record ChildProcessSpec(string FileName, IReadOnlyList<string> Arguments)
{
    public IReadOnlyDictionary<string, string?> Environment { get; init; } = new Dictionary<string, string?>();
    public string? WorkingDirectory { get; init; }

    /// <summary>Run as this unprivileged OS user (PostgreSQL refuses to run as root).</summary>
    public string? RunAsUser { get; init; }
}

/// <summary>
/// A child process that can never outlive us: it is started through <c>setpriv --pdeathsig KILL</c>,
/// so the kernel kills it when our process dies, however it dies (Ctrl+C, SIGTERM, SIGKILL, crash).
/// It also gets its own session (<c>setsid</c>), so a terminal's Ctrl+C reaches only us and we decide
/// in which order children stop.
/// </summary>
public sealed class ChildProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly TaskCompletionSource<int> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ChildProcess(Process process) => _process = process;

    public int Id => _process.Id;

    /// <summary>Completes with the exit code when the process ends.</summary>
    public Task<int> Exited => _exited.Task;

    public bool HasExited => _exited.Task.IsCompleted;

    /// <summary>Starts the process; every line it writes goes to <paramref name="onOutput"/> (isError for stderr).</summary>
    public static ChildProcess Start(ChildProcessSpec spec, Action<string, bool> onOutput)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(onOutput);

        // setsid does not fork here (a freshly forked child is never a process-group leader), so the
        // pid we get is the pid of the program itself once setsid and setpriv have exec'd it.
        var info = new ProcessStartInfo
        {
            FileName = "setsid",
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = spec.WorkingDirectory ?? System.Environment.CurrentDirectory,
        };
        info.ArgumentList.Add("setpriv");
        if (spec.RunAsUser is { } user)
        {
            info.ArgumentList.Add($"--reuid={user}");
            info.ArgumentList.Add($"--regid={user}");
            info.ArgumentList.Add("--init-groups");
        }
        // setpriv applies the death signal after switching user, so it survives the switch.
        info.ArgumentList.Add("--pdeathsig=KILL");
        info.ArgumentList.Add("--");
        info.ArgumentList.Add(spec.FileName);
        foreach (var argument in spec.Arguments)
            info.ArgumentList.Add(argument);
        foreach (var (name, value) in spec.Environment)
        {
            if (value is null) info.Environment.Remove(name);
            else info.Environment[name] = value;
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var child = new ChildProcess(process);
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) onOutput(e.Data, false); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) onOutput(e.Data, true); };
        process.Exited += (_, _) =>
        {
            // WaitForExit() without a timeout drains the output pipes before we report the exit.
            process.WaitForExit();
            child._exited.TrySetResult(process.ExitCode);
        };

        LauncherThread.Run(() => process.Start());
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    public const int SigInt = 2;
    public const int SigTerm = 15;

    /// <summary>Asks the process to stop (SIGTERM unless told otherwise), and kills it if it has not stopped within <paramref name="grace"/>.</summary>
    public async Task StopAsync(TimeSpan grace, int signal = SigTerm)
    {
        if (HasExited) return;
        _ = NativeMethods.Kill(_process.Id, signal);
        using var timeout = new CancellationTokenSource(grace);
        try
        {
            await _exited.Task.WaitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            Kill();
            await _exited.Task.ConfigureAwait(false);
        }
    }

    /// <summary>Kills the process at once (SIGKILL), as a crash would.</summary>
    public void Kill()
    {
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        _process.Dispose();
    }

    private static class NativeMethods
    {
        [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
        public static extern int Kill(int pid, int signal);
    }

    /// <summary>
    /// The kernel sends the death signal when the <em>thread</em> that forked the child ends, not only the
    /// process. Thread-pool threads come and go, so every child is forked from this one long-lived thread.
    /// </summary>
    private static class LauncherThread
    {
        private static readonly BlockingCollection<(Action Work, TaskCompletionSource Done)> Queue = new();

        static LauncherThread()
        {
            var thread = new Thread(() =>
            {
                foreach (var (work, done) in Queue.GetConsumingEnumerable())
                {
                    try { work(); done.SetResult(); }
                    catch (Exception e) { done.SetException(e); }
                }
            })
            { IsBackground = true, Name = "child-process-launcher" };
            thread.Start();
        }

        public static void Run(Action work)
        {
            var done = new TaskCompletionSource();
            Queue.Add((work, done));
            done.Task.GetAwaiter().GetResult();
        }
    }
}
