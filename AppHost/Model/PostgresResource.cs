using Platform.AppHost.Running;
using Platform.Hosting;

namespace Platform.AppHost.Model;

/// <summary>A PostgreSQL 15 server run as a child process; its data lives in <c>DIR/NAME</c>.</summary>
public sealed class PostgresResource : Resource
{
    private readonly DistributedApplication _application;
    private Supervisor? _supervisor;
    private string? _password;
    private string? _dataDirectory;

    internal PostgresResource(string name, DistributedApplication application) : base(name) => _application = application;

    public int Port { get; private set; }

    public string Password => _password ?? throw new InvalidOperationException($"'{Name}' is not prepared yet.");

    /// <summary>The running server (a new one after a crash and restart).</summary>
    internal PostgresServer? Server { get; private set; }

    internal int? ProcessId => _supervisor?.ProcessId;

    /// <summary>A database on this server, created at start unless it exists; services get it as <c>ConnectionStrings__NAME</c>.</summary>
    public PostgresDatabaseResource AddDatabase(string name) => _application.Add(new PostgresDatabaseResource(name, this));

    internal string ConnectionString(string database) => PostgresServer.ConnectionString(Port, Password, database);

    internal override int StopWave => 2;

    internal override string Kind => "postgres";

    internal override Supervisor? Supervision => _supervisor;

    internal override string? Address => Port == 0 ? null : $"127.0.0.1:{Port}";

    internal override void CheckOsPackages()
    {
        OsPackages.Postgres("initdb");
        OsPackages.Postgres("postgres");
    }

    internal override async Task PrepareAsync(RunContext context, CancellationToken cancellationToken)
    {
        _dataDirectory = context.DataFolder.Combine(Name);
        Port = context.Ports.Keep(Name);
        _password = await PostgresServer.LoadOrCreatePasswordAsync(_dataDirectory, cancellationToken);
    }

    internal override Task StartAsync(RunContext context, CancellationToken cancellationToken)
    {
        var log = context.Logs.For(Name);
        var options = new PostgresOptions { DataDirectory = _dataDirectory!, Port = Port, Output = log.Write };
        _supervisor = new Supervisor(log, async token =>
        {
            var server = await PostgresServer.StartAsync(options, token);
            Server = server;
            log.Note($"accepting connections on 127.0.0.1:{Port} (pid {server.Process!.Id})");
            return new RunningProcess(server.Process, server.StopAsync);
        }, retryFirstStart: false, cancellationToken);
        return _supervisor.StartAsync();
    }

    internal override Task StopAsync() => _supervisor?.StopAsync() ?? Task.CompletedTask;
}

/// <summary>One service's database on a <see cref="PostgresResource"/>.</summary>
public sealed class PostgresDatabaseResource : Resource, IReferenceable
{
    internal PostgresDatabaseResource(string name, PostgresResource server) : base(name)
    {
        Server = server;
        AddWait(server);
    }

    public PostgresResource Server { get; }

    public string ConnectionString => Server.ConnectionString(Name);

    internal override string Kind => "database";

    public void AddReferenceTo(IDictionary<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        environment[$"ConnectionStrings__{Name}"] = ConnectionString;
    }

    internal override async Task StartAsync(RunContext context, CancellationToken cancellationToken)
    {
        var server = Server.Server ?? throw new InvalidOperationException($"'{Server.Name}' is not running.");
        await server.EnsureDatabaseAsync(Name, cancellationToken);
        context.Logs.For(Server.Name).Note($"database {Name} ready");
    }
}
