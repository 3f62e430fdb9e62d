using System.Text.Json;

namespace Platform.Bench;

/// <summary>Machine-readable bench summaries in <c>bench/results/NAME.json</c>, so a later change can be compared.</summary>
public static class BenchResults
{
    public static async Task WriteAsync(string name, object summary)
    {
        var folder = Path.Combine(ServiceProcess.RepositoryRoot(), "bench", "results");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, name + ".json");
        await File.WriteAllTextAsync(path, JsonSerializer.Serialize(summary, new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true }) + "\n");
        Console.WriteLine($"summary written to {path}");
    }

    /// <summary>What the figures were measured on: cores, load at the end, OS.</summary>
    public static object Machine()
    {
        var load = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[..3] : [];
        return new { cores = Environment.ProcessorCount, loadAverage = load, os = Environment.OSVersion.VersionString, runtime = Environment.Version.ToString() };
    }
}
