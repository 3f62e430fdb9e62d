using Platform.AppHost.Building;
using Platform.AppHost.Running;
using Platform.Hosting;

namespace Platform.AppHost.Model;

/// <summary>
/// A platform service: an ASP.NET Core project, run from its built dll (<c>dotnet PROJECT.dll</c>) on a fresh port
/// of 127.0.0.1, configured through environment variables, ready when <c>/health/ready</c> answers 200, and
/// restarted when it crashes.
/// </summary>
public sealed class ServiceResource : Resource, IReferenceable
{
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(120);

    private readonly List<IReferenceable> _references = [];
    private Supervisor? _supervisor;

    internal ServiceResource(string name, string projectFolder, bool optional) : base(name)
    {
        ProjectFolder = projectFolder;
        IsOptional = optional;
    }

    /// <summary>Absolute path of the folder holding the project file (named like the folder).</summary>
    public string ProjectFolder { get; }

    public string ProjectFile => Path.Combine(ProjectFolder, Path.GetFileName(ProjectFolder) + ".csproj");

    public bool IsOptional { get; }

    public override bool IsPresent => !IsOptional || Directory.Exists(ProjectFolder);

    /// <summary>Whether every other service sends its telemetry here (OTLP over HTTP).</summary>
    public bool IsTelemetryReceiver { get; private set; }

    public int Port { get; private set; }

    /// <summary>Base URL, without a trailing slash (as in <c>services__NAME__http__0</c>).</summary>
    public string Url => $"http://127.0.0.1:{Port}";

    internal int? ProcessId => _supervisor?.ProcessId;

    internal override string Kind => "service";

    internal override Supervisor? Supervision => _supervisor;

    internal override string? Address => Port == 0 ? null : Url;

    /// <summary>Whether this service gets the AppHost's status endpoint (<c>Dashboard__AppHost__Url</c>).</summary>
    public bool ReadsAppHostStatus { get; private set; }

    private RabbitMqResource? _managedBroker;

    /// <summary>Gives this service the resource's address (connection string or base URL) in its environment.</summary>
    public ServiceResource WithReference(IReferenceable resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        if (!_references.Contains(resource)) _references.Add(resource);
        return this;
    }

    /// <summary>Starts this service only once <paramref name="resource"/> is ready.</summary>
    public ServiceResource WaitFor(Resource resource)
    {
        AddWait(resource);
        return this;
    }

    /// <summary>
    /// Gives this service the AppHost's loopback status endpoint (every resource's state, restarts and console
    /// output; needs the operator key) as <c>Dashboard__AppHost__Url</c>.
    /// </summary>
    public ServiceResource WithAppHostStatus()
    {
        ReadsAppHostStatus = true;
        return this;
    }

    /// <summary>Gives this service the broker's management API as <c>Dashboard__RabbitMq__ManagementUrl</c> (credentials: those of its AMQP URI).</summary>
    public ServiceResource WithRabbitMqManagement(RabbitMqResource broker)
    {
        ArgumentNullException.ThrowIfNull(broker);
        _managedBroker = broker;
        return this;
    }

    /// <summary>Makes this service the OTLP endpoint of every other service.</summary>
    public ServiceResource ReceivesTelemetry()
    {
        IsTelemetryReceiver = true;
        return this;
    }

    public void AddReferenceTo(IDictionary<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        environment[$"services__{Name}__http__0"] = Url;
    }

    internal override Task PrepareAsync(RunContext context, CancellationToken cancellationToken)
    {
        Port = context.Ports.Fresh();
        return Task.CompletedTask;
    }

    /// <summary>The dll `dotnet build` produced for this project.</summary>
    internal string AssemblyPath(BuildSettings build) =>
        Path.Combine(ProjectFolder, "bin", build.Configuration, build.TargetFramework, Path.GetFileName(ProjectFolder) + ".dll");

    internal Dictionary<string, string?> Environment(RunContext context)
    {
        var environment = new Dictionary<string, string?>
        {
            ["ASPNETCORE_URLS"] = Url,
            // Base images often set these; ASPNETCORE_URLS would win anyway, but without a warning in the log.
            ["ASPNETCORE_HTTP_PORTS"] = null,
            ["ASPNETCORE_HTTPS_PORTS"] = null,
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["DOTNET_ENVIRONMENT"] = "Development",
            ["OTEL_SERVICE_NAME"] = Name,
            ["OTEL_RESOURCE_ATTRIBUTES"] = $"service.instance.id={Name}-{Port},deployment.environment.name=development",
            ["Platform__OperatorKey"] = context.OperatorKey,
        };
        if (context.TelemetryReceiver is { } receiver && receiver != this)
        {
            environment["OTEL_EXPORTER_OTLP_ENDPOINT"] = receiver.Url;
            environment["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf";
        }
        if (ReadsAppHostStatus && context.StatusUrl is { } status)
            environment["Dashboard__AppHost__Url"] = status;
        if (_managedBroker is { IsPresent: true } broker)
            environment["Dashboard__RabbitMq__ManagementUrl"] = broker.ManagementUri.ToString();
        foreach (var reference in _references)
        {
            if (reference is Resource { IsPresent: false }) continue;
            reference.AddReferenceTo(environment);
        }
        return environment;
    }

    internal override Task StartAsync(RunContext context, CancellationToken cancellationToken)
    {
        var assembly = AssemblyPath(context.Build);
        if (!File.Exists(assembly))
            throw new AppHostException($"'{assembly}' does not exist: {Name} is not built. Start without --no-build, or build it: dotnet build {Path.GetRelativePath(context.RepositoryRoot, ProjectFile)}");

        var log = context.Logs.For(Name);
        // The project folder is the working folder, as with `dotnet run`: the content root holds appsettings*.json.
        var spec = new ChildProcessSpec(context.Build.DotnetHost, [assembly]) { Environment = Environment(context), WorkingDirectory = ProjectFolder };
        var readyUrl = new Uri(Url + "/health/ready");
        _supervisor = new Supervisor(log, async token =>
        {
            var process = ChildProcess.Start(spec, log.Write);
            log.Note($"started (pid {process.Id}) on {Url}");
            try
            {
                await ReadinessProbe.WaitUntilReadyAsync(readyUrl, process, ReadyTimeout, token);
            }
            catch (Exception e)
            {
                await process.StopAsync(StopGrace);
                // The port was free when the run began; another program may have taken it since.
                if (e is InvalidOperationException && FreePort.IsInUse(Port))
                    throw new AppHostException($"{e.Message}: 127.0.0.1:{Port} is in use by another program. Stop that program, or restart the AppHost (services get new free ports at every start).");
                throw;
            }
            log.Note("ready");
            return new RunningProcess(process, () => process.StopAsync(StopGrace));
        }, retryFirstStart: true, cancellationToken);
        return _supervisor.StartAsync();
    }

    internal override Task StopAsync() => _supervisor?.StopAsync() ?? Task.CompletedTask;
}
