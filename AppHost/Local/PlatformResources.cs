using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Platform.Hosting.Aspire;

namespace Platform.AppHost.Local;

public static class PlatformResources
{
    /// <summary>
    /// A platform service: a fixed port on loopback (kept across runs when free; not proxied, so a partner's
    /// bookmark or generated client keeps working), healthy when its readiness checks pass, the operator key.
    /// </summary>
    /// <param name="port">Where it listens; by default the service's own port (the one partners and endpoints.json know).</param>
    public static IResourceBuilder<ProjectResource> AsPlatformService(this IResourceBuilder<ProjectResource> project, LocalRun run, int? port = null)
    {
        ArgumentNullException.ThrowIfNull(project);
        ArgumentNullException.ThrowIfNull(run);
        return project
            .WithHttpEndpoint(port: port ?? run.ServicePort(project.Resource.Name), isProxied: false)
            .WithHttpHealthCheck("/health/ready")
            .WithEnvironment("Platform__OperatorKey", OperatorKeyParameter(project.ApplicationBuilder, run));
    }

    /// <summary>
    /// A platform service named <paramref name="name"/>, configured per instance by <paramref name="configure"/>
    /// (databases, broker, references). Scaled out (<c>--scale</c>), it is <see cref="LocalRun.InstancesPerService"/>
    /// instances (<c>NAME-1</c>, <c>NAME-2</c>) behind a load balancer that takes the name and the port, so everything
    /// that references the service, and every partner, goes through the balancer.
    /// </summary>
    public static IResourceBuilder<ProjectResource> AddPlatformService<TProject>(this IDistributedApplicationBuilder builder, string name, LocalRun run,
        Func<IResourceBuilder<ProjectResource>, IResourceBuilder<ProjectResource>> configure)
        where TProject : IProjectMetadata, new()
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(configure);
        if (!run.Options.Scale) return configure(builder.AddProject<TProject>(name, launchProfileName: null).AsPlatformService(run));

        var balancer = builder.AddProject<Projects.Platform_Balancer>(name, launchProfileName: null)
            .WithHttpEndpoint(port: run.ServicePort(name), isProxied: false)
            // Healthy once an instance behind it is ready (the balancer forwards the probe).
            .WithHttpHealthCheck("/health/ready")
            .WithEnvironment("Balancer__Name", name)
            .WithIconName("ArrowSplit");
        for (var i = 1; i <= LocalRun.InstancesPerService; i++)
        {
            var instance = configure(builder.AddProject<TProject>($"{name}-{i}", launchProfileName: null)
                .AsPlatformService(run, run.Ports.Keep($"{name}-{i}"))
                .WithParentRelationship(balancer));
            balancer.WithEnvironment($"Balancer__Destinations__{i - 1}", instance.GetEndpoint("http"));
        }
        return balancer;
    }

    /// <summary>The broker: one RabbitMQ node, or scaled out a 3-node cluster with quorum queues on every node.</summary>
    public static IResourceBuilder<IRabbitMqBrokerResource> AddPlatformBroker(this IDistributedApplicationBuilder builder, string name, LocalRun run)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(run);
        var directory = run.DataFolder.Combine(name);
        if (!run.Options.Scale)
        {
            return builder.AddRabbitMqServer(name, directory, new RabbitMqPorts(
                Amqp: run.Ports.Keep($"{name}-amqp"), Management: run.Ports.Keep($"{name}-management"),
                Distribution: run.Ports.Fresh(), Epmd: run.Ports.Fresh()));
        }
        return builder.AddRabbitMqCluster(name, directory, run.Ports.Fresh(), [.. Enumerable.Range(1, 3).Select(i => new RabbitMqNodePorts(
            Amqp: run.Ports.Keep($"{name}-{i}-amqp"), Management: run.Ports.Keep($"{name}-{i}-management"), Distribution: run.Ports.Fresh()))]);
    }

    /// <summary>Lets the webhooks service deliver to localhost and the LAN, only when the AppHost runs in Development.</summary>
    public static IResourceBuilder<ProjectResource> AllowingPrivateWebhookTargetsInDevelopment(this IResourceBuilder<ProjectResource> webhooks)
    {
        ArgumentNullException.ThrowIfNull(webhooks);
        return webhooks.ApplicationBuilder.Environment.IsDevelopment() ? webhooks.WithEnvironment("Webhooks__AllowPrivateTargets", "true") : webhooks;
    }

    public const string OperatorKeyParameterName = "operator-key";

    /// <summary>The operator key as a secret parameter: the Aspire dashboard masks it wherever it shows it (parameters, environment).</summary>
    private static IResourceBuilder<ParameterResource> OperatorKeyParameter(IDistributedApplicationBuilder builder, LocalRun run) =>
        builder.Resources.OfType<ParameterResource>().FirstOrDefault(p => p.Name == OperatorKeyParameterName) is { } existing
            ? builder.CreateResourceBuilder(existing)
            : builder.AddParameter(OperatorKeyParameterName, run.OperatorKey, secret: true);

    /// <summary>
    /// Sets <paramref name="variable"/> to the Aspire dashboard's address (known once DCP allocated it) at start;
    /// leaves it unset when the AppHost runs without the Aspire dashboard.
    /// </summary>
    public static IResourceBuilder<T> WithAspireDashboardUrl<T>(this IResourceBuilder<T> resource, string variable) where T : IResourceWithEnvironment
    {
        ArgumentNullException.ThrowIfNull(resource);
        return resource.WithEnvironment(context =>
        {
            if (LocalRun.AspireDashboardUrl(context.ExecutionContext.Services.GetRequiredService<DistributedApplicationModel>()) is { } url)
                context.EnvironmentVariables[variable] = url;
        });
    }

    /// <summary>Our resources (not Aspire's own, such as parameters or its dashboard).</summary>
    internal static bool IsOurs(IResource resource) =>
        resource is ProjectResource or PostgresServerResource or PostgresDatabaseResource or RabbitMqServerResource or RabbitMqClusterResource or EpmdResource;
}
