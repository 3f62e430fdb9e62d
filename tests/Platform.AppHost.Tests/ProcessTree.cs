using System.Globalization;

namespace Platform.AppHost.Tests;

/// <summary>A process identified by pid and start time, so a recycled pid is not mistaken for it.</summary>
public sealed record ProcessSnapshot(int Pid, int ParentPid, long StartTime, string CommandLine)
{
    /// <summary>Still running: the same process exists and is not a zombie waiting to be reaped.</summary>
    public bool IsAlive => ProcessTree.Read(Pid) is { } now && now.StartTime == StartTime && ProcessTree.State(Pid) is not ('Z' or 'X');

    public override string ToString() => $"{Pid} {CommandLine}";
}

/// <summary>Reads processes from /proc.</summary>
public static class ProcessTree
{
    public static ProcessSnapshot? Read(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // The command name is in parentheses and may contain anything; the fields after it are plain.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var commandLine = File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ').Trim();
            return new ProcessSnapshot(pid, int.Parse(fields[1], CultureInfo.InvariantCulture), long.Parse(fields[19], CultureInfo.InvariantCulture), commandLine);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    public static char? State(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[stat.LastIndexOf(')') + 2];
        }
        catch (IOException)
        {
            return null;
        }
    }

    public static IReadOnlyList<ProcessSnapshot> All() =>
        Directory.EnumerateDirectories("/proc")
            .Select(Path.GetFileName)
            .Where(name => name!.All(char.IsAsciiDigit))
            .Select(name => Read(int.Parse(name!, CultureInfo.InvariantCulture)))
            .OfType<ProcessSnapshot>()
            .ToList();

    /// <summary>Every process below <paramref name="pid"/>: children, grandchildren…</summary>
    public static IReadOnlyList<ProcessSnapshot> Descendants(int pid)
    {
        var byParent = All().ToLookup(p => p.ParentPid);
        var found = new List<ProcessSnapshot>();
        var pending = new Queue<int>([pid]);
        while (pending.TryDequeue(out var parent))
        {
            foreach (var child in byParent[parent])
            {
                found.Add(child);
                pending.Enqueue(child.Pid);
            }
        }
        return found;
    }

    /// <summary>
    /// Every process of the platform an AppHost runs: the AppHost's own descendants, DCP (which Aspire starts
    /// detached, so it is not the AppHost's child; it watches the AppHost's pid: <c>dcp start-apiserver --monitor PID</c>)
    /// with everything below it (the <c>dotnet run</c> wrappers, the services, the servers, the Aspire dashboard),
    /// and any process whose command line or environment mentions the data folder, with its descendants.
    /// </summary>
    public static IReadOnlyList<ProcessSnapshot> PlatformOf(int appHostPid, string dataFolder)
    {
        var all = All();
        var byParent = all.ToLookup(p => p.ParentPid);
        var roots = new List<int> { appHostPid };
        roots.AddRange(all.Where(p => IsDcpMonitoring(p, appHostPid)).Select(p => p.Pid));
        roots.AddRange(Mentioning(dataFolder).Select(p => p.Pid));

        var found = new Dictionary<int, ProcessSnapshot>();
        var pending = new Queue<int>(roots);
        while (pending.TryDequeue(out var pid))
        {
            if (pid != appHostPid && !found.ContainsKey(pid) && all.FirstOrDefault(p => p.Pid == pid) is { } self)
                found[pid] = self;
            foreach (var child in byParent[pid])
            {
                if (found.TryAdd(child.Pid, child)) pending.Enqueue(child.Pid);
            }
        }
        return [.. found.Values.Where(p => p.Pid != Environment.ProcessId)];
    }

    /// <summary>DCP's API server, started by an AppHost, which stops everything when that AppHost's pid is gone.</summary>
    private static bool IsDcpMonitoring(ProcessSnapshot process, int appHostPid)
    {
        var words = process.CommandLine.Split(' ');
        return words.Length > 0 && words[0].EndsWith("/dcp", StringComparison.Ordinal)
            && words.Zip(words.Skip(1)).Any(pair => pair.First == "--monitor" && pair.Second == appHostPid.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>Live processes whose command line or environment mentions <paramref name="text"/> (e.g. a data folder).</summary>
    public static IReadOnlyList<ProcessSnapshot> Mentioning(string text) =>
        All().Where(p => p.Pid != Environment.ProcessId && p.IsAlive && (p.CommandLine.Contains(text, StringComparison.Ordinal) || EnvironmentOf(p.Pid).Contains(text, StringComparison.Ordinal))).ToList();

    public static string EnvironmentOf(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/environ");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "";
        }
    }

    /// <summary>A process's environment variables (as the AppHost gave them to it).</summary>
    public static Dictionary<string, string> EnvironmentVariables(int pid) =>
        EnvironmentOf(pid).Split('\0', StringSplitOptions.RemoveEmptyEntries)
            .Select(entry => entry.Split('=', 2))
            .Where(pair => pair.Length == 2)
            .GroupBy(pair => pair[0], StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Last()[1], StringComparer.Ordinal);
}
