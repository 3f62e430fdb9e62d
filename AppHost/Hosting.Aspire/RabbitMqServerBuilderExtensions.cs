using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Platform.Hosting.Aspire;

/// <summary>
/// <c>AddRabbitMqServer</c>: what Aspire's <c>AddRabbitMQ(...).WithManagementPlugin()</c> gives, without a
/// container engine. Services get the AMQP URI as <c>ConnectionStrings__NAME</c> through <c>WithReference</c>.
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

        var epmd = builder.AddResource(new EpmdResource($"{name}-epmd", dataDirectory))
            .WithParentRelationship(server)
            .WithArgs([.. RabbitMqNode.EpmdArguments(ports.Epmd)])
            .WithHealthCheck(AddCheck(builder, $"{name}-epmd_check", ct => RabbitMqNode.EpmdAnswersAsync(ports.Epmd, ct), $"epmd does not answer on 127.0.0.1:{ports.Epmd}"));

        builder.Eventing.Subscribe<BeforeResourceStartedEvent>(server, (_, ct) =>
            RabbitMqNode.WriteConfigurationAsync(dataDirectory, ports.Amqp, ports.Management, passwordValue, ct));

        var management = new Uri($"http://127.0.0.1:{ports.Management}/");
        var healthCheck = AddCheck(builder, $"{name}_check", async ct =>
        {
            using var http = RabbitMqNode.ManagementClient(management, passwordValue);
            return await RabbitMqNode.IsReadyAsync(http, ports.Amqp, ct).ConfigureAwait(false);
        }, $"the node does not accept AMQP connections on 127.0.0.1:{ports.Amqp} yet");

        var resource = builder.AddResource(server)
            .WithEndpoint(name: RabbitMqServerResource.PrimaryEndpointName, scheme: "tcp", port: ports.Amqp, targetPort: ports.Amqp, isProxied: false)
            .WithHttpEndpoint(name: RabbitMqServerResource.ManagementEndpointName, port: ports.Management, targetPort: ports.Management, isProxied: false)
            .WithUrlForEndpoint(RabbitMqServerResource.ManagementEndpointName, url => url.DisplayText = "Management UI")
            .WithIconName("Mailbox")
            .WithHealthCheck(healthCheck)
            .WaitFor(epmd);
        foreach (var (variable, value) in RabbitMqNode.Environment(dataDirectory, $"{name}@localhost", ports.Epmd, ports.Amqp, ports.Distribution))
            resource.WithEnvironment(variable, value);
        return resource;
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
