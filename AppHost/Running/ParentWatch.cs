using System.Runtime.InteropServices;

namespace Platform.AppHost.Running;

/// <summary>
/// Under `dotnet run` the CLI is our parent and forwards Ctrl+C and SIGTERM to us; if it is killed outright,
/// nothing would tell us to stop, and we would run on as an orphan. So we notice being re-parented and stop
/// as if told to. Started some other way (a script, a test), we stay independent of our parent.
/// </summary>
public static class ParentWatch
{
    public static async Task WaitUntilDotnetRunExitsAsync(CancellationToken cancellationToken)
    {
        var parent = GetParentProcessId();
        if (!IsDotnetRun(parent))
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
            return;
        }
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        while (await timer.WaitForNextTickAsync(cancellationToken))
        {
            if (GetParentProcessId() != parent) return;
        }
    }

    private static bool IsDotnetRun(int pid)
    {
        try
        {
            var arguments = File.ReadAllText($"/proc/{pid}/cmdline").Split('\0');
            return arguments.Length > 1 && Path.GetFileName(arguments[0]) == "dotnet" && arguments[1] == "run";
        }
        catch (IOException)
        {
            return false;
        }
    }

    [DllImport("libc", EntryPoint = "getppid")]
    private static extern int GetParentProcessId();
}
