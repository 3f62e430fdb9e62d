using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;

namespace Platform.Hosting;

/// <summary>What makes nodes one cluster: every member's name (<c>name@localhost</c>) and the Erlang cookie they share.</summary>
public sealed record RabbitMqClusterPeers(IReadOnlyList<string> Nodes, string Cookie);

/// <summary>
/// How a RabbitMQ 3.10 node of ours is configured and started (with the management plugin and its own epmd, so
/// nothing it starts outlives us): one recipe for the AppHost's Aspire resources, the test fixtures and the
/// benches (<see cref="RabbitMqServer"/> runs it as a child process).
/// </summary>
public static class RabbitMqNode
{
    /// <summary>Writes <c>rabbitmq.conf</c> and <c>enabled_plugins</c> (and, in a cluster, the shared Erlang cookie) into the node's data directory.</summary>
    /// <param name="cluster">The cluster this node belongs to; null for a single node.</param>
    public static async Task WriteConfigurationAsync(string dataDirectory, int amqpPort, int managementPort, string password,
        RabbitMqClusterPeers? cluster = null, CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(dataDirectory);
        await File.WriteAllTextAsync(Path.Combine(dataDirectory, "enabled_plugins"), "[rabbitmq_management].", cancellationToken).ConfigureAwait(false);
        // default_user only takes effect when the node's database is first created; the password file keeps it stable.
        var configuration = string.Create(CultureInfo.InvariantCulture, $"""
            listeners.tcp.default = 127.0.0.1:{amqpPort}
            management.tcp.ip = 127.0.0.1
            management.tcp.port = {managementPort}
            default_user = {RabbitMqServer.User}
            default_pass = {password}
            default_user_tags.administrator = true
            loopback_users = none
            log.console = true
            log.console.level = warning
            log.file = false

            """);
        if (cluster is not null)
        {
            // Classic peer discovery: a new node joins whichever listed peer answers (or forms the cluster when none
            // does yet); a restarted node rejoins from its own database. A minority side pauses instead of diverging.
            var peers = new StringBuilder("cluster_formation.peer_discovery_backend = classic_config\n");
            for (var i = 0; i < cluster.Nodes.Count; i++)
                peers.Append(CultureInfo.InvariantCulture, $"cluster_formation.classic_config.nodes.{i + 1} = {cluster.Nodes[i]}\n");
            peers.Append("cluster_partition_handling = pause_minority\n");
            configuration += peers;
            await WriteCookieAsync(dataDirectory, cluster.Cookie, cancellationToken).ConfigureAwait(false);
        }
        await File.WriteAllTextAsync(Path.Combine(dataDirectory, "rabbitmq.conf"), configuration, cancellationToken).ConfigureAwait(false);
    }

    // Erlang reads the cookie from $HOME (the data directory) and refuses one that others may read.
    private static async Task WriteCookieAsync(string dataDirectory, string cookie, CancellationToken cancellationToken)
    {
        var file = Path.Combine(dataDirectory, ".erlang.cookie");
        if (File.Exists(file) && (await File.ReadAllTextAsync(file, cancellationToken).ConfigureAwait(false)) == cookie) return;
        File.Delete(file);
        await File.WriteAllTextAsync(file, cookie, cancellationToken).ConfigureAwait(false);
        File.SetUnixFileMode(file, UnixFileMode.UserRead);
    }

    /// <summary>The arguments of <c>epmd</c> (the Erlang port mapper) on 127.0.0.1:<paramref name="epmdPort"/>.</summary>
    public static IReadOnlyList<string> EpmdArguments(int epmdPort) => ["-port", epmdPort.ToString(CultureInfo.InvariantCulture), "-address", "127.0.0.1"];

    /// <summary>The environment of <c>rabbitmq-server</c> for a node named <paramref name="node"/> (<c>name@localhost</c>).</summary>
    public static Dictionary<string, string?> Environment(string dataDirectory, string node, int epmdPort, int amqpPort, int distributionPort) => new()
    {
        ["HOME"] = dataDirectory, // the Erlang cookie lives here
        ["ERL_EPMD_PORT"] = epmdPort.ToString(CultureInfo.InvariantCulture),
        ["RABBITMQ_NODENAME"] = node,
        ["RABBITMQ_NODE_IP_ADDRESS"] = "127.0.0.1",
        ["RABBITMQ_NODE_PORT"] = amqpPort.ToString(CultureInfo.InvariantCulture),
        ["RABBITMQ_DIST_PORT"] = distributionPort.ToString(CultureInfo.InvariantCulture),
        ["RABBITMQ_MNESIA_BASE"] = Path.Combine(dataDirectory, "mnesia"),
        ["RABBITMQ_LOG_BASE"] = Path.Combine(dataDirectory, "log"),
        ["RABBITMQ_ENABLED_PLUGINS_FILE"] = Path.Combine(dataDirectory, "enabled_plugins"),
        ["RABBITMQ_CONFIG_FILE"] = Path.Combine(dataDirectory, "rabbitmq.conf"),
        ["RABBITMQ_ADVANCED_CONFIG_FILE"] = Path.Combine(dataDirectory, "advanced.config"),
        ["RABBITMQ_LOGS"] = "-",
        // Never a daemonized epmd of its own (it would outlive us): not at boot, and not from RabbitMQ's epmd monitor,
        // which starts one (through a child erl, which reads ERL_FLAGS too) when ours went away before the node did.
        ["ERL_FLAGS"] = "-start_epmd false",
        // Idle schedulers sleep instead of spinning: several nodes share two cores with the services (RabbitMQ's
        // runtime tuning guide for shared hosts).
        ["RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS"] = "+sbwt none +sbwtdcpu none +sbwtdio none",
        // Makes the start script exec the VM instead of staying as a shell parent.
        ["RUNNING_UNDER_SYSTEMD"] = "true",
    };

    /// <summary>True when epmd answers a NAMES_REQ on the port.</summary>
    public static async Task<bool> EpmdAnswersAsync(int epmdPort, CancellationToken cancellationToken)
    {
        try
        {
            // A NAMES_REQ (length 1, 'n'): epmd answers with its port number, then closes.
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, epmdPort, cancellationToken).ConfigureAwait(false);
            var stream = client.GetStream();
            await stream.WriteAsync(new byte[] { 0, 1, (byte)'n' }, cancellationToken).ConfigureAwait(false);
            await stream.ReadExactlyAsync(new byte[4], cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (e is SocketException or IOException)
        {
            return false;
        }
    }

    /// <summary>True once the node has booted with its plugins and accepts AMQP connections on <paramref name="amqpPort"/>.</summary>
    public static async Task<bool> IsReadyAsync(HttpClient management, int amqpPort, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(management);
        try
        {
            using var response = await management.GetAsync(new Uri("api/health/checks/port-listener/" + amqpPort.ToString(CultureInfo.InvariantCulture), UriKind.Relative), cancellationToken).ConfigureAwait(false);
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>How many of the cluster's nodes the node behind <paramref name="management"/> sees running; null when it does not answer.</summary>
    public static async Task<int?> RunningNodesAsync(HttpClient management, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(management);
        try
        {
            using var response = await management.GetAsync(new Uri("api/nodes?columns=name,running", UriKind.Relative), cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode) return null;
            using var nodes = await System.Text.Json.JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false), cancellationToken: cancellationToken).ConfigureAwait(false);
            return nodes.RootElement.EnumerateArray().Count(n => n.TryGetProperty("running", out var running) && running.ValueKind == System.Text.Json.JsonValueKind.True);
        }
        catch (Exception e) when (e is HttpRequestException or System.Text.Json.JsonException || (e is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return null;
        }
    }

    /// <summary>An HTTP client for the management API, authenticated as the platform user.</summary>
    public static HttpClient ManagementClient(Uri managementUri, string password, TimeSpan? timeout = null)
    {
        var client = new HttpClient { BaseAddress = managementUri, Timeout = timeout ?? TimeSpan.FromSeconds(5) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{RabbitMqServer.User}:{password}")));
        return client;
    }
}
