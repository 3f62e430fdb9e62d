using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;

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
        EpmdPort = FreePort.Next();
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

    public Uri AmqpUri => new($"amqp://{User}:{Password}@127.0.0.1:{AmqpPort}/");
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

        Directory.CreateDirectory(options.DataDirectory);
        var passwordFile = Path.Combine(options.DataDirectory, "password");
        if (!File.Exists(passwordFile))
            await File.WriteAllTextAsync(passwordFile, Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)), cancellationToken).ConfigureAwait(false);
        var password = (await File.ReadAllTextAsync(passwordFile, cancellationToken).ConfigureAwait(false)).Trim();

        var server = new RabbitMqServer(options, amqp, management, password);
        await server.StartAsync(cancellationToken).ConfigureAwait(false);
        return server;
    }

    private async Task StartAsync(CancellationToken cancellationToken)
    {
        var directory = _options.DataDirectory;
        await File.WriteAllTextAsync(Path.Combine(directory, "enabled_plugins"), "[rabbitmq_management].", cancellationToken).ConfigureAwait(false);
        // default_user only takes effect when the node's database is first created; the password file keeps it stable.
        await File.WriteAllTextAsync(Path.Combine(directory, "rabbitmq.conf"), string.Create(CultureInfo.InvariantCulture, $"""
            listeners.tcp.default = 127.0.0.1:{AmqpPort}
            management.tcp.ip = 127.0.0.1
            management.tcp.port = {ManagementPort}
            default_user = {User}
            default_pass = {Password}
            default_user_tags.administrator = true
            loopback_users = none
            log.console = true
            log.console.level = warning
            log.file = false
            """), cancellationToken).ConfigureAwait(false);

        _epmd = ChildProcess.Start(
            new ChildProcessSpec(OsPackages.Epmd(), ["-port", EpmdPort.ToString(CultureInfo.InvariantCulture), "-address", "127.0.0.1"]),
            _output.Write);
        _node = ChildProcess.Start(
            new ChildProcessSpec(OsPackages.RabbitMq("rabbitmq-server"), []) { Environment = NodeEnvironment(), WorkingDirectory = directory },
            _output.Write);

        await WaitUntilReadyAsync(cancellationToken).ConfigureAwait(false);
    }

    private Dictionary<string, string?> NodeEnvironment()
    {
        var directory = _options.DataDirectory;
        return new()
        {
            ["HOME"] = directory, // the Erlang cookie lives here
            ["ERL_EPMD_PORT"] = EpmdPort.ToString(CultureInfo.InvariantCulture),
            ["RABBITMQ_NODENAME"] = Node,
            ["RABBITMQ_NODE_IP_ADDRESS"] = "127.0.0.1",
            ["RABBITMQ_NODE_PORT"] = AmqpPort.ToString(CultureInfo.InvariantCulture),
            ["RABBITMQ_DIST_PORT"] = DistributionPort.ToString(CultureInfo.InvariantCulture),
            ["RABBITMQ_MNESIA_BASE"] = Path.Combine(directory, "mnesia"),
            ["RABBITMQ_LOG_BASE"] = Path.Combine(directory, "log"),
            ["RABBITMQ_ENABLED_PLUGINS_FILE"] = Path.Combine(directory, "enabled_plugins"),
            ["RABBITMQ_CONFIG_FILE"] = Path.Combine(directory, "rabbitmq.conf"),
            ["RABBITMQ_ADVANCED_CONFIG_FILE"] = Path.Combine(directory, "advanced.config"),
            ["RABBITMQ_LOGS"] = "-",
            // Makes the start script exec the VM instead of staying as a shell parent.
            ["RUNNING_UNDER_SYSTEMD"] = "true",
        };
    }

    private async Task WaitUntilReadyAsync(CancellationToken cancellationToken)
    {
        using var http = ManagementClient();
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (_node!.HasExited)
                throw new InvalidOperationException($"RabbitMQ exited during start-up (exit {_node.Exited.Result}):{Environment.NewLine}{_output.Tail()}");
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"RabbitMQ did not become ready within 90 s:{Environment.NewLine}{_output.Tail()}");
            try
            {
                // Answers once the node has booted with its plugins and accepts AMQP connections.
                using var response = await http.GetAsync(new Uri("api/health/checks/port-listener/" + AmqpPort.ToString(CultureInfo.InvariantCulture), UriKind.Relative), cancellationToken).ConfigureAwait(false);
                if (response.IsSuccessStatusCode) return;
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
            }
            await Task.Delay(200, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>An HTTP client for the management API, authenticated as the platform user.</summary>
    public HttpClient ManagementClient()
    {
        var client = new HttpClient { BaseAddress = ManagementUri, Timeout = TimeSpan.FromSeconds(5) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{User}:{Password}")));
        return client;
    }

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
