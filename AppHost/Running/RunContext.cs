using Platform.AppHost.Building;
using Platform.AppHost.Data;
using Platform.AppHost.Model;
using Platform.AppHost.Output;

namespace Platform.AppHost.Running;

/// <summary>What resources need from the run they take part in.</summary>
public sealed class RunContext
{
    public required string RepositoryRoot { get; init; }

    public required DataFolder DataFolder { get; init; }

    public required PortAllocator Ports { get; init; }

    public required string OperatorKey { get; init; }

    public required BuildSettings Build { get; init; }

    public required ResourceLogs Logs { get; init; }

    /// <summary>The AppHost's status endpoint (base URL with a trailing slash), when a service reads it.</summary>
    public string? StatusUrl { get; init; }

    /// <summary>The service every other one sends its telemetry to, if there is one.</summary>
    public ServiceResource? TelemetryReceiver { get; init; }
}
