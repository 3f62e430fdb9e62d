using System.Security.Cryptography;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Platform.Hosting.Aspire;

/// <summary>
/// <c>AddRabbitMqServer</c>: what Aspire's <c>AddRabbitMQ(...).WithManagementPlugin()</c> gives, without a
/// container engine; <c>AddRabbitMqCluster</c>: several such nodes as one cluster. Services get the AMQP URI as
/// <c>ConnectionStrings__NAME</c> through <c>WithReference</c>.
/// </summary>
public static class RabbitMqServerBuilderExtensions
{
    /// <param name="dataDirectory">Holds the node's database, configuration, cookie and the platform user's password.</param>
    /// <param name="ports">On 127.0.0.1, not proxied (management UI bookmarks keep working across runs).</param>
    public static IResourceBuilder<RabbitMqServerResource> AddRabbitMqServer(this IDistributedApplicationBuilder builder, string name, string dataDirectory, RabbitMqPorts ports)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(ports);
        ArgumentException.ThrowIfNullOrEmpty(name);
        dataDirectory = Path.GetFullPath(dataDirectory);
        var passwordValue = RabbitMqServer.LoadOrCreatePasswordAsync(dataDirectory).GetAwaiter().GetResult();
        var password = builder.AddParameter($"{name}-password", passwordValue, secret: true);
        var server = new RabbitMqServerResource(name, dataDirectory, password.Resource);
        var epmd = AddEpmd(builder, $"{name}-epmd", dataDirectory, ports.Epmd).WithParentRelationship(server);
        return AddNode(builder, server, passwordValue, new RabbitMqNodePorts(ports.Amqp, ports.Management, ports.Distribution), ports.Epmd, cluster: null)
            .WaitFor(epmd);
    }

    /// <summary>
    /// A cluster of <paramref name="nodes"/>.Count nodes named <c>NAME-1</c>, <c>NAME-2</c>…, each in
    /// <c>dataDirectory/NAME-i</c>, sharing one epmd on <paramref name="epmdPort"/>, the Erlang cookie and the platform
    /// user's password kept in <paramref name="dataDirectory"/>. Healthy while a majority of nodes runs (quorum queues
    /// keep working); references wait until every node runs at start.
    /// </summary>
    public static IResourceBuilder<RabbitMqClusterResource> AddRabbitMqCluster(this IDistributedApplicationBuilder builder, string name, string dataDirectory,
        int epmdPort, IReadOnlyList<RabbitMqNodePorts> nodes)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(nodes);
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (nodes.Count < 3 || nodes.Count % 2 == 0)
            throw new ArgumentException("A cluster for quorum queues has an odd number of nodes, at least 3.", nameof(nodes));
        dataDirectory = Path.GetFullPath(dataDirectory);
        var passwordValue = RabbitMqServer.LoadOrCreatePasswordAsync(dataDirectory).GetAwaiter().GetResult();
        var password = builder.AddParameter($"{name}-password", passwordValue, secret: true);
        var cluster = new RabbitMqClusterResource(name, password.Resource);
        var peers = new RabbitMqClusterPeers(
            [.. Enumerable.Range(1, nodes.Count).Select(i => $"{name}-{i}@localhost")],
            LoadOrCreateCookie(dataDirectory));

        var epmd = AddEpmd(builder, $"{name}-epmd", dataDirectory, epmdPort).WithParentRelationship(cluster);
        for (var i = 0; i < nodes.Count; i++)
        {
            var node = new RabbitMqServerResource($"{name}-{i + 1}", Path.Combine(dataDirectory, $"{name}-{i + 1}"), password.Resource);
            cluster.AddNode(node);
            AddNode(builder, node, passwordValue, nodes[i], epmdPort, peers).WaitFor(epmd).WithParentRelationship(cluster);
        }

        var managements = nodes.Select(n => new Uri($"http://127.0.0.1:{n.Management}/")).ToList();
        var healthCheck = AddCheck(builder, $"{name}_check", ct => MajorityRunsAsync(managements, passwordValue, nodes.Count, ct),
            $"fewer than a majority of the {nodes.Count} nodes run");

        // A cluster is no process of its own: it says it runs once every node has been ready (as Aspire's parents do
        // for containers); at start each queue then gets a replica on every node. Later its health is the majority's.
        var ready = 0;
        foreach (var node in cluster.Nodes)
        {
            builder.Eventing.Subscribe<ResourceReadyEvent>(node, async (nodeReady, _) =>
            {
                if (Interlocked.Increment(ref ready) != cluster.Nodes.Count) return;
                await nodeReady.Services.GetRequiredService<ResourceNotificationService>()
                    .PublishUpdateAsync(cluster, s => s with { State = KnownResourceStates.Running, StartTimeStamp = DateTime.UtcNow }).ConfigureAwait(false);
            });
        }

        var resource = builder.AddResource(cluster)
            .WithInitialState(new CustomResourceSnapshot { ResourceType = "RabbitMqCluster", State = KnownResourceStates.NotStarted, Properties = [] })
            .WithIconName("Mailbox")
            .WithHealthCheck(healthCheck);
        return resource;
    }

    private static IResourceBuilder<EpmdResource> AddEpmd(IDistributedApplicationBuilder builder, string name, string directory, int port) =>
        builder.AddResource(new EpmdResource(name, directory))
            .WithArgs([.. RabbitMqNode.EpmdArguments(port)])
            .WithHealthCheck(AddCheck(builder, $"{name}_check", ct => RabbitMqNode.EpmdAnswersAsync(port, ct), $"epmd does not answer on 127.0.0.1:{port}"));

    private static IResourceBuilder<RabbitMqServerResource> AddNode(IDistributedApplicationBuilder builder, RabbitMqServerResource server, string password,
        RabbitMqNodePorts ports, int epmdPort, RabbitMqClusterPeers? cluster)
    {
        var name = server.Name;
        var dataDirectory = server.DataDirectory;
        builder.Eventing.Subscribe<BeforeResourceStartedEvent>(server, (_, ct) =>
            RabbitMqNode.WriteConfigurationAsync(dataDirectory, ports.Amqp, ports.Management, password, cluster, ct));

        var management = new Uri($"http://127.0.0.1:{ports.Management}/");
        var healthCheck = AddCheck(builder, $"{name}_check", async ct =>
        {
            using var http = RabbitMqNode.ManagementClient(management, password);
            return await RabbitMqNode.IsReadyAsync(http, ports.Amqp, ct).ConfigureAwait(false);
        }, $"the node does not accept AMQP connections on 127.0.0.1:{ports.Amqp} yet");

        var resource = builder.AddResource(server)
            .WithEndpoint(name: RabbitMqServerResource.PrimaryEndpointName, scheme: "tcp", port: ports.Amqp, targetPort: ports.Amqp, isProxied: false)
            .WithHttpEndpoint(name: RabbitMqServerResource.ManagementEndpointName, port: ports.Management, targetPort: ports.Management, isProxied: false)
            .WithUrlForEndpoint(RabbitMqServerResource.ManagementEndpointName, url => url.DisplayText = "Management UI")
            .WithIconName("Mailbox")
            .WithHealthCheck(healthCheck);
        foreach (var (variable, value) in RabbitMqNode.Environment(dataDirectory, $"{name}@localhost", epmdPort, ports.Amqp, ports.Distribution))
            resource.WithEnvironment(variable, value);
        return resource;
    }

    private static async Task<bool> MajorityRunsAsync(IReadOnlyList<Uri> managements, string password, int nodeCount, CancellationToken cancellationToken)
    {
        foreach (var management in managements)
        {
            using var http = RabbitMqNode.ManagementClient(management, password);
            if (await RabbitMqNode.RunningNodesAsync(http, cancellationToken).ConfigureAwait(false) is { } running)
                return running > nodeCount / 2;
        }
        return false;
    }

    private static string LoadOrCreateCookie(string dataDirectory)
    {
        Directory.CreateDirectory(dataDirectory);
        var file = Path.Combine(dataDirectory, "cookie");
        if (!File.Exists(file)) File.WriteAllText(file, Convert.ToHexString(RandomNumberGenerator.GetBytes(20)));
        return File.ReadAllText(file).Trim();
    }

    private static string AddCheck(IDistributedApplicationBuilder builder, string key, Func<CancellationToken, Task<bool>> probe, string unhealthy)
    {
        builder.Services.AddHealthChecks().AddAsyncCheck(key, async ct =>
            await probe(ct).ConfigureAwait(false) ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy(unhealthy));
        return key;
    }
}

/// <summary>The TCP ports of one node on 127.0.0.1.</summary>
public sealed record RabbitMqPorts(int Amqp, int Management, int Distribution, int Epmd);

/// <summary>The TCP ports of one cluster node on 127.0.0.1 (the cluster's nodes share one epmd).</summary>
public sealed record RabbitMqNodePorts(int Amqp, int Management, int Distribution);
