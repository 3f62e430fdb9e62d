using Platform.AppHost.Running;
using Platform.Hosting;

namespace Platform.AppHost.Model;

/// <summary>
/// A RabbitMQ node with the management UI, run as a child process (with its own epmd); its state lives in
/// <c>DIR/NAME</c>. Services get its AMQP URI as <c>ConnectionStrings__NAME</c>.
/// </summary>
public sealed class RabbitMqResource(string name) : Resource(name), IReferenceable
{
    private Supervisor? _supervisor;
    private string? _password;
    private string? _dataDirectory;

    public int AmqpPort { get; private set; }

    public int ManagementPort { get; private set; }

    public string User => RabbitMqServer.User;

    public string Password => _password ?? throw new InvalidOperationException($"'{Name}' is not prepared yet.");

    public Uri AmqpUri => RabbitMqServer.AmqpUriFor(AmqpPort, Password);

    public Uri ManagementUri => new($"http://127.0.0.1:{ManagementPort}/");

    internal int? ProcessId => _supervisor?.ProcessId;

    public void AddReferenceTo(IDictionary<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        environment[$"ConnectionStrings__{Name}"] = AmqpUri.ToString();
    }

    internal override int StopWave => 1;

    internal override string Kind => "rabbitmq";

    internal override Supervisor? Supervision => _supervisor;

    internal override string? Address => ManagementPort == 0 ? null : ManagementUri.ToString();

    internal override void CheckOsPackages()
    {
        OsPackages.RabbitMq("rabbitmq-server");
        OsPackages.Epmd();
    }

    internal override async Task PrepareAsync(RunContext context, CancellationToken cancellationToken)
    {
        _dataDirectory = context.DataFolder.Combine(Name);
        AmqpPort = context.Ports.Keep($"{Name}-amqp");
        ManagementPort = context.Ports.Keep($"{Name}-management");
        _password = await RabbitMqServer.LoadOrCreatePasswordAsync(_dataDirectory, cancellationToken);
    }

    internal override Task StartAsync(RunContext context, CancellationToken cancellationToken)
    {
        var log = context.Logs.For(Name);
        // Every node has its own epmd on its own port, so the node name only has to be stable per data folder.
        var options = new RabbitMqOptions { DataDirectory = _dataDirectory!, NodeName = Name, AmqpPort = AmqpPort, ManagementPort = ManagementPort, Output = log.Write };
        _supervisor = new Supervisor(log, async token =>
        {
            var server = await RabbitMqServer.StartAsync(options, token);
            log.Note($"ready: AMQP on 127.0.0.1:{AmqpPort}, management UI on {ManagementUri} (pid {server.Process!.Id})");
            return new RunningProcess(server.Process, server.StopAsync);
        }, retryFirstStart: false, cancellationToken);
        return _supervisor.StartAsync();
    }

    internal override Task StopAsync() => _supervisor?.StopAsync() ?? Task.CompletedTask;
}
