using System.Collections.Concurrent;

namespace Platform.AppHost.Output;

/// <summary>One <see cref="ResourceLog"/> per name, created on first use, closed together at the end of the run.</summary>
public sealed class ResourceLogs(ConsoleOutput console, string logFolder) : IDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<ResourceLog>> _logs = new();

    public ConsoleOutput Console => console;

    /// <summary>The log of <paramref name="name"/> if anything was written to it.</summary>
    public ResourceLog? Find(string name) => _logs.TryGetValue(name, out var log) && log.IsValueCreated ? log.Value : null;

    public ResourceLog For(string name) => _logs.GetOrAdd(name, n => new Lazy<ResourceLog>(() => new ResourceLog(n, console, logFolder))).Value;

    public void Dispose()
    {
        foreach (var log in _logs.Values.Where(l => l.IsValueCreated)) log.Value.Dispose();
    }
}
