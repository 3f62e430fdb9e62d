using System.Collections.Concurrent;
using Platform.AppHost.Model;
using Platform.AppHost.Output;
using Platform.AppHost.Running;

namespace Platform.AppHost.Status;

/// <summary>
/// Where each resource is in its start (<c>waiting</c> for what it needs, <c>starting</c>, <c>ready</c>, <c>failed</c>);
/// once ready, its supervisor knows more (running, restarting after a crash, restarts, exit codes).
/// </summary>
public sealed class ResourceStates(IReadOnlyList<Resource> resources, ResourceLogs logs)
{
    private readonly ConcurrentDictionary<Resource, (string State, string? Problem)> _start = new();

    internal void Set(Resource resource, string state, string? problem = null) => _start[resource] = (state, problem);

    public IReadOnlyList<ResourceSnapshot> Snapshot() => [.. resources.Select(Describe)];

    public IReadOnlyList<ConsoleLine>? Console(string name, int lines)
    {
        var resource = resources.FirstOrDefault(r => r.Name == name);
        if (resource is null) return null;
        // A database's lines are its server's.
        var logName = resource is PostgresDatabaseResource database ? database.Server.Name : name;
        return logs.Find(logName)?.Recent(lines) ?? [];
    }

    private ResourceSnapshot Describe(Resource resource)
    {
        var (start, problem) = _start.GetValueOrDefault(resource, ("waiting", null));
        var supervisor = resource is PostgresDatabaseResource database ? database.Server.Supervision : resource.Supervision;
        if (supervisor is null || start is "waiting" or "failed" || (start == "starting" && supervisor.State == "starting"))
            return new ResourceSnapshot(resource.Name, resource.Kind, start, false, resource.Address, null, null, 0, null, problem);
        var snapshot = Describe(resource.Name, resource.Kind, resource.Address, supervisor, start, problem);
        // A database has no process of its own: its server's pid would mislead.
        return resource is PostgresDatabaseResource ? snapshot with { ProcessId = null } : snapshot;
    }

    /// <summary>A supervised resource, <paramref name="start"/> being where its first start is (<c>starting</c> or <c>ready</c>).</summary>
    public static ResourceSnapshot Describe(string name, string kind, string? address, Supervisor supervisor, string start, string? problem = null)
    {
        ArgumentNullException.ThrowIfNull(supervisor);
        var state = start == "starting" ? supervisor.State switch { "running" => "starting", var s => s } : supervisor.State;
        var ready = start == "ready" && supervisor.State == "running";
        return new ResourceSnapshot(name, kind, state, ready, address, supervisor.ProcessId, supervisor.StartedAt, supervisor.Restarts, supervisor.LastExitCode, supervisor.Problem ?? problem);
    }
}
