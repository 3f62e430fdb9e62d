using System.Security.Cryptography;

namespace Platform.Hosting;

public sealed record RabbitMqOptions
{
    /// <summary>Folder for the node's database, logs, cookie and configuration.</summary>
    public required string DataDirectory { get; init; }

    /// <summary>Erlang node name (the part before @localhost); distinct per node on one machine.</summary>
    public string NodeName { get; init; } = "platform";

    /// <summary>AMQP port on 127.0.0.1; 0 picks a free one. The other ports follow the same rule.</summary>
    public int AmqpPort { get; init; }
    public int ManagementPort { get; init; }

    public Action<string, bool>? Output { get; init; }

    /// <summary>A cluster member: the peers and cookie, the epmd all members share (started by <see cref="RabbitMqCluster"/>), the cluster's password.</summary>
    public RabbitMqClusterPeers? Cluster { get; init; }
    public int? SharedEpmdPort { get; init; }
    public string? Password { get; init; }
}

/// <summary>
/// A RabbitMQ 3.10 node (with the management plugin) run from the OS binaries as our child process,
/// with its own epmd so nothing it starts outlives us.
/// </summary>
public sealed class RabbitMqServer : IAsyncDisposable
{
    private readonly RabbitMqOptions _options;
    private readonly ServerOutput _output;
    private ChildProcess? _epmd;
    private ChildProcess? _node;

    private RabbitMqServer(RabbitMqOptions options, int amqpPort, int managementPort, string password)
    {
        _options = options;
        AmqpPort = amqpPort;
        ManagementPort = managementPort;
        Password = password;
        DistributionPort = FreePort.Next();
        EpmdPort = options.SharedEpmdPort ?? FreePort.Next();
        _output = new ServerOutput(options.Output);
    }

    public const string User = "platform";
    public int AmqpPort { get; }
    public int ManagementPort { get; }
    public int DistributionPort { get; }
    public int EpmdPort { get; }
    public string Password { get; }
    public string Node => $"{_options.NodeName}@localhost";
    public ChildProcess? Process => _node;

    public Uri AmqpUri => AmqpUriFor(AmqpPort, Password);

    /// <summary>The AMQP URI of a node listening on <paramref name="amqpPort"/> whose platform user has this password.</summary>
    public static Uri AmqpUriFor(int amqpPort, string password) => new($"amqp://{User}:{password}@127.0.0.1:{amqpPort}/");

    /// <summary>
    /// The platform user's password for the node kept in <paramref name="dataDirectory"/>: created on first use, then
    /// stable, so the AMQP URI can be handed out before the node starts.
    /// </summary>
    public static async Task<string> LoadOrCreatePasswordAsync(string dataDirectory, CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(dataDirectory);
        var passwordFile = Path.Combine(dataDirectory, "password");
        if (!File.Exists(passwordFile))
            await File.WriteAllTextAsync(passwordFile, Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)), cancellationToken).ConfigureAwait(false);
        return (await File.ReadAllTextAsync(passwordFile, cancellationToken).ConfigureAwait(false)).Trim();
    }
    public Uri ManagementUri => new($"http://127.0.0.1:{ManagementPort}/");

    /// <summary>Starts the node and waits until it and its management API answer.</summary>
    public static async Task<RabbitMqServer> StartAsync(RabbitMqOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var amqp = options.AmqpPort == 0 ? FreePort.Next() : options.AmqpPort;
        var management = options.ManagementPort == 0 ? FreePort.Next() : options.ManagementPort;
        foreach (var (port, what) in new[] { (options.AmqpPort, "AMQP"), (options.ManagementPort, "management") })
        {
            if (port != 0 && FreePort.IsInUse(port))
                throw new InvalidOperationException($"RabbitMQ cannot listen for {what} on 127.0.0.1:{port}: the port is in use. Stop what uses it or choose another port.");
        }

        var password = options.Password ?? await LoadOrCreatePasswordAsync(options.DataDirectory, cancellationToken).ConfigureAwait(false);
        var server = new RabbitMqServer(options, amqp, management, password);
        await server.StartAsync(cancellationToken).ConfigureAwait(false);
        return server;
    }

    private async Task StartAsync(CancellationToken cancellationToken)
    {
        var directory = _options.DataDirectory;
        await RabbitMqNode.WriteConfigurationAsync(directory, AmqpPort, ManagementPort, Password, _options.Cluster, cancellationToken).ConfigureAwait(false);

        try
        {
            if (_options.SharedEpmdPort is null)
            {
                _epmd = ChildProcess.Start(
                    new ChildProcessSpec(OsPackages.Epmd(), RabbitMqNode.EpmdArguments(EpmdPort)),
                    _output.Write);
                // The node starts a daemonized epmd of its own when it finds none, and that one would outlive us.
                await WaitUntilEpmdListensAsync(cancellationToken).ConfigureAwait(false);
            }
            _node = ChildProcess.Start(
                new ChildProcessSpec(OsPackages.RabbitMq("rabbitmq-server"), []) { Environment = RabbitMqNode.Environment(directory, Node, EpmdPort, AmqpPort, DistributionPort), WorkingDirectory = directory },
                _output.Write);

            await WaitUntilReadyAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            // Failed or cancelled half-way: nothing we started may keep running without an owner.
            await StopAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task WaitUntilEpmdListensAsync(CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!await RabbitMqNode.EpmdAnswersAsync(EpmdPort, cancellationToken).ConfigureAwait(false))
        {
            if (_epmd!.HasExited)
                throw new InvalidOperationException($"epmd (Erlang port mapper) could not start on 127.0.0.1:{EpmdPort} (exit {await _epmd.Exited.ConfigureAwait(false)}):{Environment.NewLine}{_output.Tail()}");
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"epmd (Erlang port mapper) did not answer on 127.0.0.1:{EpmdPort} within 10 s.");
            await Task.Delay(20, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task WaitUntilReadyAsync(CancellationToken cancellationToken)
    {
        using var http = ManagementClient();
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (_node!.HasExited)
                throw new InvalidOperationException(StartupFailure(await _node.Exited.ConfigureAwait(false)));
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"RabbitMQ did not become ready within 90 s:{Environment.NewLine}{_output.Tail()}");
            if (await RabbitMqNode.IsReadyAsync(http, AmqpPort, cancellationToken).ConfigureAwait(false)) return;
            // The broker is on the critical path of every start: poll often, the call is cheap.
            await Task.Delay(50, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Why the node stopped during start-up, in words a user can act on, with its last output.</summary>
    private string StartupFailure(int exitCode)
    {
        var tail = _output.Tail();
        if (tail.Contains("eaddrinuse", StringComparison.Ordinal))
            return $"RabbitMQ could not listen on one of its ports (AMQP 127.0.0.1:{AmqpPort}, management 127.0.0.1:{ManagementPort}, distribution {DistributionPort}): the port is in use by another program. Stop that program, or use other ports:{Environment.NewLine}{tail}";
        return $"RabbitMQ exited during start-up (exit {exitCode}):{Environment.NewLine}{tail}";
    }

    /// <summary>An HTTP client for the management API, authenticated as the platform user.</summary>
    /// <summary>A client of the node's management API; 5 s per request unless told otherwise (health checks poll with it).</summary>
    public HttpClient ManagementClient(TimeSpan? timeout = null) => RabbitMqNode.ManagementClient(ManagementUri, Password, timeout);

    /// <summary>SIGKILL: the node dies as on a lost machine (no goodbye to its peers or clients).</summary>
    public void Kill() => _node?.Kill();

    /// <summary>Stops the node gracefully (as an operator restart would); <see cref="RestartAsync"/> brings it back on the same ports.</summary>
    public async Task StopAsync()
    {
        if (_node is not null) await _node.StopAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(false);
        if (_epmd is not null) await _epmd.StopAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
    }

    /// <summary>Stops the node and starts it again with the same ports and data (durable queues survive).</summary>
    public async Task RestartAsync(CancellationToken cancellationToken = default)
    {
        await StopAsync().ConfigureAwait(false);
        await StartAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);
}
