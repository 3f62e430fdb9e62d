using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace Platform.Hosting.Aspire;

/// <summary>
/// <c>AddPostgresServer</c> / <c>AddDatabase</c>: what Aspire's <c>AddPostgres</c> gives, without a container
/// engine. Services get <c>ConnectionStrings__NAME</c> through <c>WithReference</c> (as the database's own role, not
/// the superuser); <c>WaitFor</c> waits for the health check (a database waits until it has been created and its
/// role can connect).
/// </summary>
public static class PostgresServerBuilderExtensions
{
    /// <param name="dataDirectory">Holds the cluster (created with initdb on first start) and the superuser's password.</param>
    /// <param name="port">TCP port on 127.0.0.1 (not proxied: database tools keep the same address across runs).</param>
    public static IResourceBuilder<PostgresServerResource> AddPostgresServer(this IDistributedApplicationBuilder builder, string name, string dataDirectory, int port)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(name);
        dataDirectory = Path.GetFullPath(dataDirectory);
        // Stable per data folder, so connection strings can be handed out before the server runs.
        var password = builder.AddParameter($"{name}-password", PostgresServer.LoadOrCreatePasswordAsync(dataDirectory).GetAwaiter().GetResult(), secret: true);
        var server = new PostgresServerResource(name, dataDirectory, password.Resource);

        builder.Eventing.Subscribe<BeforeResourceStartedEvent>(server, (_, ct) =>
            PostgresCluster.InitializeAsync(dataDirectory, durable: true, new ServerOutput(), ct));

        string? connectionString = null;
        builder.Eventing.Subscribe<ConnectionStringAvailableEvent>(server, async (_, ct) =>
            connectionString = await server.ConnectionStringExpression.GetValueAsync(ct).ConfigureAwait(false));
        builder.Eventing.Subscribe<ResourceReadyEvent>(server, async (ready, ct) =>
        {
            // Aspire hands a parent's state down to its children only for containers: ours say it themselves.
            var notifications = ready.Services.GetRequiredService<ResourceNotificationService>();
            foreach (var database in server.Databases)
            {
                var owner = new DatabaseOwner(database.RoleName, (await database.PasswordParameter.GetValueAsync(ct).ConfigureAwait(false))!);
                await PostgresCluster.EnsureDatabaseAsync(Server(connectionString), database.DatabaseName, owner, ct).ConfigureAwait(false);
                await notifications.PublishUpdateAsync(database, s => s with { State = KnownResourceStates.Running, StartTimeStamp = DateTime.UtcNow }).ConfigureAwait(false);
            }
        });
        builder.Eventing.Subscribe<ResourceStoppedEvent>(server, async (stopped, _) =>
        {
            var notifications = stopped.Services.GetRequiredService<ResourceNotificationService>();
            foreach (var database in server.Databases)
                await notifications.PublishUpdateAsync(database, s => s with { State = KnownResourceStates.Exited, StopTimeStamp = DateTime.UtcNow }).ConfigureAwait(false);
        });

        var healthCheck = $"{name}_check";
        builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(healthCheck, _ => new PostgresHealthCheck(() => Server(connectionString)), failureStatus: null, tags: null));

        List<string> arguments = PostgresCluster.RunAsUser is { } user
            ? [$"--reuid={user}", $"--regid={user}", "--init-groups", "--", OsPackages.Postgres("postgres")]
            : [];
        arguments.AddRange(PostgresCluster.ServerArguments(dataDirectory, port, durable: true));

        return builder.AddResource(server)
            .WithArgs([.. arguments])
            .WithEndpoint(name: PostgresServerResource.PrimaryEndpointName, scheme: "tcp", port: port, targetPort: port, isProxied: false)
            .WithIconName("DatabaseMultiple")
            .WithHealthCheck(healthCheck);
    }

    /// <summary>
    /// A database on the server, created (unless it exists) as soon as the server is ready, owned by a role of its own
    /// (named like the database; its password a secret parameter <c>NAME-password</c>, kept in the server's data folder).
    /// </summary>
    public static IResourceBuilder<PostgresDatabaseResource> AddDatabase(this IResourceBuilder<PostgresServerResource> builder, string name, string? databaseName = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(name);
        databaseName ??= name;
        var role = databaseName;
        var password = builder.ApplicationBuilder.AddParameter($"{name}-password",
            PostgresServer.LoadOrCreateRolePasswordAsync(builder.Resource.DataDirectory, role).GetAwaiter().GetResult(), secret: true);
        var database = new PostgresDatabaseResource(name, databaseName, builder.Resource, role, password.Resource);
        builder.Resource.AddDatabase(database);

        string? connectionString = null;
        builder.ApplicationBuilder.Eventing.Subscribe<ConnectionStringAvailableEvent>(database, async (_, ct) =>
            connectionString = await database.ConnectionStringExpression.GetValueAsync(ct).ConfigureAwait(false));

        var healthCheck = $"{name}_check";
        builder.ApplicationBuilder.Services.AddHealthChecks().Add(new HealthCheckRegistration(healthCheck,
            _ => new PostgresHealthCheck(() => connectionString ?? throw new InvalidOperationException($"The connection string of '{name}' is not known yet.")), failureStatus: null, tags: null));
        return builder.ApplicationBuilder.AddResource(database)
            .WithInitialState(new CustomResourceSnapshot { ResourceType = "PostgresDatabase", State = KnownResourceStates.NotStarted, Properties = [] })
            .WithHealthCheck(healthCheck);
    }

    private static string Server(string? connectionString) =>
        (connectionString ?? throw new InvalidOperationException("The server's connection string is not known yet.")) + ";Database=postgres";
}

/// <summary>Healthy when a connection opens (no pooling: a pooled connection would hide a restarted server).</summary>
internal sealed class PostgresHealthCheck(Func<string> connectionString) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var connection = new NpgsqlConnection(connectionString() + ";Pooling=false;Timeout=3");
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            return HealthCheckResult.Healthy();
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException)
        {
            return HealthCheckResult.Unhealthy(e.Message, e);
        }
    }
}
