using Microsoft.Extensions.DependencyInjection;
using Platform.Hosting.Aspire;

namespace Platform.AppHost.Local;

public static class PlatformResources
{
    /// <summary>
    /// A platform service: a fixed port on loopback (kept across runs when free; not proxied, so a partner's
    /// bookmark or generated client keeps working), healthy when its readiness checks pass, the operator key.
    /// </summary>
    public static IResourceBuilder<ProjectResource> AsPlatformService(this IResourceBuilder<ProjectResource> project, LocalRun run)
    {
        ArgumentNullException.ThrowIfNull(project);
        ArgumentNullException.ThrowIfNull(run);
        return project
            .WithHttpEndpoint(port: run.ServicePort(project.Resource.Name), isProxied: false)
            .WithHttpHealthCheck("/health/ready")
            .WithEnvironment("Platform__OperatorKey", OperatorKeyParameter(project.ApplicationBuilder, run));
    }

    public const string OperatorKeyParameterName = "operator-key";

    /// <summary>The operator key as a secret parameter: the Aspire dashboard masks it wherever it shows it (parameters, environment).</summary>
    private static IResourceBuilder<ParameterResource> OperatorKeyParameter(IDistributedApplicationBuilder builder, LocalRun run) =>
        builder.Resources.OfType<ParameterResource>().FirstOrDefault(p => p.Name == OperatorKeyParameterName) is { } existing
            ? builder.CreateResourceBuilder(existing)
            : builder.AddParameter(OperatorKeyParameterName, run.OperatorKey, secret: true);

    /// <summary>Sets <paramref name="variable"/> to the Aspire dashboard's address (known once DCP allocated it) at start.</summary>
    public static IResourceBuilder<T> WithAspireDashboardUrl<T>(this IResourceBuilder<T> resource, string variable) where T : IResourceWithEnvironment
    {
        ArgumentNullException.ThrowIfNull(resource);
        return resource.WithEnvironment(context =>
            context.EnvironmentVariables[variable] = LocalRun.AspireDashboardUrl(context.ExecutionContext.Services.GetRequiredService<DistributedApplicationModel>()));
    }

    /// <summary>Our resources (not Aspire's own, such as parameters or its dashboard).</summary>
    internal static bool IsOurs(IResource resource) =>
        resource is ProjectResource or PostgresServerResource or PostgresDatabaseResource or RabbitMqServerResource or EpmdResource;
}
