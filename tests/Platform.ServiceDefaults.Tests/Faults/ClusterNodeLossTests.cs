using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Platform.Hosting;
using Platform.OutboxProbe;
using Platform.ServiceDefaults.Tests.Messaging;
using Platform.Testing;

namespace Platform.ServiceDefaults.Tests.Faults;

/// <summary>A 3-node RabbitMQ cluster of our own for one test class (what <c>./run.sh --scale</c> runs under Aspire).</summary>
public sealed class DedicatedCluster : IAsyncLifetime
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "platform-tests", $"{Environment.ProcessId}-cluster-{Guid.NewGuid():N}"[..40]);
    private RabbitMqCluster? _cluster;

    public RabbitMqCluster Cluster => _cluster ?? throw new InvalidOperationException("Not started.");

    public async ValueTask InitializeAsync() => _cluster = await RabbitMqCluster.StartAsync(_folder);

    public async ValueTask DisposeAsync()
    {
        if (_cluster is not null) await _cluster.DisposeAsync();
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

/// <summary>Fault test (d): the broker node leading the consumer's quorum queue dies (SIGKILL) while both services publish and consume.</summary>
public sealed class ClusterNodeLossTests(ThrowawayPostgres postgres, DedicatedCluster cluster) : IClassFixture<DedicatedCluster>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);
    private const string ConsumerQueue = "consumer-order-placed";

    [Fact]
    public async Task Losing_the_queue_leaders_node_loses_nothing_duplicates_nothing_and_parks_nothing()
    {
        var nodes = cluster.Cluster.Nodes;
        var vhost = $"cluster-{Guid.NewGuid():N}";
        await CreateVirtualHostAsync(nodes[0], vhost);
        var settings = FaultStream.Settings();
        settings["ConnectionStrings:messaging"] = cluster.Cluster.ConnectionStringFor(vhost);
        var producerDatabase = await postgres.CreateDatabaseAsync("producer");
        var consumerDatabase = await postgres.CreateDatabaseAsync("consumer");
        // The broker URI is overridden by the cluster's connection string in the settings (every node listed).
        await using var producer = await ProbeService.StartAsync(producerDatabase, VirtualHostOn(nodes[0], vhost),
            bus => bus.AddConsumer<OrderAcknowledgedConsumer>(), settings, serviceName: "producer");
        await using var consumer = await ProbeService.StartAsync(consumerDatabase, VirtualHostOn(nodes[0], vhost), ProbeService.RecordOrders, settings, serviceName: "consumer");

        var stream = new FaultStream(producer);
        await stream.CommitAsync(100);
        await Eventually.ReturnsAsync(() => consumer.ConsumedAsync(), c => c.Count >= 20, Patience, "the stream flowing");

        // A quorum queue with a replica on every node: losing one of three keeps a majority.
        var queue = await QueueAsync(nodes[0], vhost, ConsumerQueue);
        Assert.Equal("quorum", queue.GetProperty("type").GetString());
        Assert.Equal(nodes.Count, queue.GetProperty("members").GetArrayLength());
        var leaderName = queue.GetProperty("leader").GetString();
        var leader = nodes.Single(n => n.Node == leaderName);
        var survivor = nodes.First(n => n != leader);

        var loss = Stopwatch.StartNew();
        leader.Kill();
        var duringLoss = await stream.CommitUntilAsync(Task.Delay(TimeSpan.FromSeconds(8), TestContext.Current.CancellationToken), TimeSpan.FromMilliseconds(50));
        await cluster.Cluster.WaitUntilRunningAsync(nodes.Count - 1, Patience, TestContext.Current.CancellationToken);
        var newLeader = (await QueueAsync(survivor, vhost, ConsumerQueue)).GetProperty("leader").GetString();
        FaultStream.Report($"killed {leaderName} (the leader of {ConsumerQueue}); {duringLoss} orders committed in the 8 s after; new leader {newLeader}");
        Assert.NotEqual(leaderName, newLeader);

        var restarting = leader.RestartAsync(TestContext.Current.CancellationToken);
        var duringRestart = await stream.CommitUntilAsync(restarting, TimeSpan.FromMilliseconds(50));
        await cluster.Cluster.WaitUntilRunningAsync(nodes.Count, Patience, TestContext.Current.CancellationToken);
        await stream.CommitAsync(100);
        var converged = await stream.AssertConvergedAsync(() => consumer.ConsumedAsync(), () => FaultStream.OutboxCountIn(consumerDatabase),
            VirtualHostOn(survivor, vhost), ConsumerQueue, Patience);
        FaultStream.Report($"{stream.Committed} orders accepted ({duringRestart} while the node restarted); all consumed and acknowledged exactly once, " +
                           $"converged {converged.TotalSeconds:0.0} s after the last commit, {loss.Elapsed.TotalSeconds:0.0} s after the kill; 0 in error queues");
    }

    private static Uri VirtualHostOn(RabbitMqServer node, string vhost) => new(node.AmqpUri, Uri.EscapeDataString(vhost));

    private static async Task CreateVirtualHostAsync(RabbitMqServer node, string vhost)
    {
        // A vhost is created on every node of the cluster: seconds on a busy machine. Right after the cluster formed the
        // broker has answered 500 (the vhost not yet started on every node); the PUT is idempotent, so it is asked again.
        using var http = node.ManagementClient(TimeSpan.FromSeconds(60));
        var clock = Stopwatch.StartNew();
        while (true)
        {
            using var create = await http.PutAsync(new Uri($"api/vhosts/{vhost}", UriKind.Relative), null, TestContext.Current.CancellationToken);
            if (create.IsSuccessStatusCode) break;
            if ((int)create.StatusCode < 500 || clock.Elapsed > TimeSpan.FromSeconds(60))
                throw new HttpRequestException($"Creating the vhost {vhost}: {(int)create.StatusCode} {await create.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)}");
            FaultStream.Report($"creating the vhost: {(int)create.StatusCode} after {clock.Elapsed.TotalSeconds:0.0} s; asking again");
            await Task.Delay(TimeSpan.FromSeconds(1), TestContext.Current.CancellationToken);
        }
        using var permit = await http.PutAsJsonAsync(new Uri($"api/permissions/{vhost}/{RabbitMqServer.User}", UriKind.Relative),
            new { configure = ".*", write = ".*", read = ".*" }, TestContext.Current.CancellationToken);
        permit.EnsureSuccessStatusCode();
    }

    private static async Task<JsonElement> QueueAsync(RabbitMqServer node, string vhost, string queue)
    {
        using var http = node.ManagementClient(TimeSpan.FromSeconds(30));
        return await http.GetFromJsonAsync<JsonElement>(new Uri($"api/queues/{vhost}/{queue}", UriKind.Relative), TestContext.Current.CancellationToken);
    }
}
