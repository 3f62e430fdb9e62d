using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Platform.ServiceDefaults.Persistence;

public static class PersistenceExtensions
{
    /// <summary>
    /// The service's PostgreSQL database from <c>ConnectionStrings:{connectionName}</c>: its DbContext (also
    /// resolvable as <see cref="PlatformDbContext"/> for the outbox, inbox and API keys), migrations applied
    /// at start-up before anything else runs, and a readiness check.
    /// </summary>
    public static WebApplicationBuilder AddServiceDatabase<TDbContext>(this WebApplicationBuilder builder, string connectionName)
        where TDbContext : PlatformDbContext
    {
        ArgumentNullException.ThrowIfNull(builder);
        var connectionString = builder.Configuration.GetConnectionString(connectionName)
            ?? throw new InvalidOperationException($"Connection string '{connectionName}' is missing: set ConnectionStrings__{connectionName}.");

        builder.Services.AddDbContext<TDbContext>(options => options.UseNpgsql(connectionString));
        builder.Services.AddScoped<PlatformDbContext>(provider => provider.GetRequiredService<TDbContext>());
        builder.Services.AddSingleton(new ServiceDatabase(connectionString, Migration.For(typeof(TDbContext).Assembly)));
        // Registered first among hosted services: the schema is in place before workers and the server start.
        builder.Services.Insert(0, ServiceDescriptor.Singleton<IHostedService, DatabaseMigrationService>());
        builder.Services.AddHealthChecks().AddDbContextCheck<TDbContext>("database", tags: ["ready"]);
        return builder;
    }
}

/// <summary>The service's connection string and the migrations its schema needs.</summary>
public sealed record ServiceDatabase(string ConnectionString, IReadOnlyList<Migration> Migrations);

internal sealed class DatabaseMigrationService(ServiceDatabase database, ILogger<DatabaseMigrationService> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) =>
        MigrationRunner.ApplyAsync(database.ConnectionString, database.Migrations, logger, cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
