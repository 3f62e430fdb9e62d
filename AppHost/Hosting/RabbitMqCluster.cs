using System.Globalization;
using System.Security.Cryptography;

namespace Platform.Hosting;

/// <summary>
/// A RabbitMQ cluster of <see cref="Nodes"/> on this machine as our child processes (one shared epmd and cookie,
/// classic peer discovery): what the tests and benches use where the AppHost's <c>--scale</c> runs its Aspire twin.
/// </summary>
public sealed class RabbitMqCluster : IAsyncDisposable
{
    private readonly ChildProcess _epmd;
    private readonly List<RabbitMqServer> _nodes;

    private RabbitMqCluster(ChildProcess epmd, List<RabbitMqServer> nodes, string password)
    {
        _epmd = epmd;
        _nodes = nodes;
        Password = password;
    }

    public IReadOnlyList<RabbitMqServer> Nodes => _nodes;

    public string Password { get; }

    /// <summary>Every node's AMQP address in one URI (<c>amqp://user:password@127.0.0.1:P1,127.0.0.1:P2,…/vhost</c>), as ServiceDefaults reads it.</summary>
    public string ConnectionStringFor(string virtualHost) =>
        $"amqp://{RabbitMqServer.User}:{Password}@{string.Join(',', _nodes.Select(n => string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{n.AmqpPort}")))}/{Uri.EscapeDataString(virtualHost)}";

    /// <summary>Starts <paramref name="nodeCount"/> nodes together and waits until each sees all of them running.</summary>
    public static async Task<RabbitMqCluster> StartAsync(string dataDirectory, int nodeCount = 3, Action<string, bool>? output = null, CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(dataDirectory);
        var epmdPort = FreePort.Next();
        var epmd = ChildProcess.Start(new ChildProcessSpec(OsPackages.Epmd(), RabbitMqNode.EpmdArguments(epmdPort)), output ?? ((_, _) => { }));
        var nodes = new List<RabbitMqServer>();
        try
        {
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (!await RabbitMqNode.EpmdAnswersAsync(epmdPort, cancellationToken).ConfigureAwait(false))
            {
                if (DateTime.UtcNow > deadline) throw new TimeoutException($"epmd did not answer on 127.0.0.1:{epmdPort} within 10 s.");
                await Task.Delay(20, cancellationToken).ConfigureAwait(false);
            }
            var password = await RabbitMqServer.LoadOrCreatePasswordAsync(dataDirectory, cancellationToken).ConfigureAwait(false);
            var prefix = $"c{Environment.ProcessId}x{Guid.NewGuid():N}"[..16];
            var peers = new RabbitMqClusterPeers([.. Enumerable.Range(1, nodeCount).Select(i => $"{prefix}-{i}@localhost")], Convert.ToHexString(RandomNumberGenerator.GetBytes(20)));
            var starting = Enumerable.Range(1, nodeCount).Select(i => RabbitMqServer.StartAsync(new RabbitMqOptions
            {
                DataDirectory = Path.Combine(dataDirectory, $"node-{i}"),
                NodeName = $"{prefix}-{i}",
                Cluster = peers,
                SharedEpmdPort = epmdPort,
                Password = password,
                Output = output,
            }, cancellationToken)).ToList();
            try
            {
                nodes.AddRange(await Task.WhenAll(starting).ConfigureAwait(false));
            }
            catch
            {
                // Stop the ones that did start (below), whichever failed.
                nodes.AddRange(starting.Where(t => t.IsCompletedSuccessfully).Select(t => t.Result));
                throw;
            }
            var cluster = new RabbitMqCluster(epmd, nodes, password);
            await cluster.WaitUntilRunningAsync(nodeCount, TimeSpan.FromSeconds(90), cancellationToken).ConfigureAwait(false);
            return cluster;
        }
        catch
        {
            foreach (var node in nodes) await node.StopAsync().ConfigureAwait(false);
            await epmd.StopAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Waits until a live node's management API reports <paramref name="running"/> nodes running.</summary>
    public async Task WaitUntilRunningAsync(int running, TimeSpan patience, CancellationToken cancellationToken = default)
    {
        var deadline = DateTime.UtcNow + patience;
        while (true)
        {
            foreach (var node in _nodes.Where(n => n.Process is { HasExited: false }))
            {
                using var http = node.ManagementClient();
                if (await RabbitMqNode.RunningNodesAsync(http, cancellationToken).ConfigureAwait(false) == running) return;
            }
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"The cluster did not report {running} running nodes within {patience.TotalSeconds:0} s.");
            await Task.Delay(200, cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in _nodes) await node.StopAsync().ConfigureAwait(false);
        await _epmd.StopAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
    }
}
