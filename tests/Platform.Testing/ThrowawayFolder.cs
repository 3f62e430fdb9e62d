using System.Diagnostics;
using System.Globalization;

namespace Platform.Testing;

/// <summary>
/// Temp folders for throwaway servers, named after the owning test process, so a later run removes what a
/// crashed run left behind (its servers died with it: they are started with a parent-death signal).
/// </summary>
public static class ThrowawayFolder
{
    private static readonly string Root = Path.Combine(Path.GetTempPath(), "platform-tests");

    public static string Create(string purpose)
    {
        RemoveLeftovers();
        var path = Path.Combine(Root, $"{Environment.ProcessId}-{purpose}-{Guid.NewGuid():N}"[..^24]);
        Directory.CreateDirectory(path);
        return path;
    }

    public static void Remove(string path)
    {
        try
        {
            if (Directory.Exists(path)) Directory.Delete(path, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static void RemoveLeftovers()
    {
        if (!Directory.Exists(Root)) return;
        foreach (var folder in Directory.EnumerateDirectories(Root))
        {
            var owner = Path.GetFileName(folder).Split('-')[0];
            if (int.TryParse(owner, CultureInfo.InvariantCulture, out var pid) && !IsRunning(pid))
                Remove(folder);
        }
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
