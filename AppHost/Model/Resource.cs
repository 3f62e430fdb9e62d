using Platform.AppHost.Running;

namespace Platform.AppHost.Model;

/// <summary>
/// Something the AppHost provides: a server, a database, a service. Program.cs declares resources and how they
/// depend on each other; the <see cref="Orchestrator"/> prepares, starts and stops them.
/// </summary>
public abstract class Resource(string name)
{
    private readonly List<Resource> _waitsFor = [];

    public string Name { get; } = name;

    /// <summary>Resources that must be ready before this one starts.</summary>
    public IReadOnlyList<Resource> WaitsFor => _waitsFor;

    /// <summary>False for an optional resource whose code is not there (yet): it is skipped, and so are references to it.</summary>
    public virtual bool IsPresent => true;

    /// <summary>What it is, as the dashboard shows it: <c>service</c>, <c>postgres</c>, <c>database</c>, <c>rabbitmq</c>.</summary>
    internal abstract string Kind { get; }

    /// <summary>The supervisor keeping its process running, if it has a process of its own.</summary>
    internal virtual Supervisor? Supervision => null;

    /// <summary>Where to reach it, for people (a URL or host:port), if anywhere.</summary>
    internal virtual string? Address => null;

    /// <summary>Stopping goes in waves, lowest first: services (0), then the broker (1), then the database server (2).</summary>
    internal virtual int StopWave => 0;

    private protected void AddWait(Resource resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        if (resource == this) throw new ArgumentException($"'{Name}' cannot wait for itself.", nameof(resource));
        if (!_waitsFor.Contains(resource)) _waitsFor.Add(resource);
    }

    /// <summary>Throws <see cref="Hosting.MissingOsPackageException"/> when a program it runs is not installed.</summary>
    internal virtual void CheckOsPackages()
    {
    }

    /// <summary>Picks ports and loads secrets, so every reference to this resource resolves before anything starts.</summary>
    internal virtual Task PrepareAsync(RunContext context, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Starts the resource; completes when it is ready for what waits for it.</summary>
    internal abstract Task StartAsync(RunContext context, CancellationToken cancellationToken);

    /// <summary>Stops it gracefully, killing it when it does not stop in time.</summary>
    internal virtual Task StopAsync() => Task.CompletedTask;
}

/// <summary>A resource a service can reference: it hands the service its address through environment variables.</summary>
public interface IReferenceable
{
    /// <summary>The resource's name, as used in the variable names.</summary>
    string Name { get; }

    /// <summary>Adds <c>ConnectionStrings__NAME</c> or <c>services__NAME__http__0</c> (Aspire's configuration contract).</summary>
    void AddReferenceTo(IDictionary<string, string?> environment);
}
