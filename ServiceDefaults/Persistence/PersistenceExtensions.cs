using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Platform.ServiceDefaults.Persistence;

public static class PersistenceExtensions
{
    /// <summary>
    /// The service's PostgreSQL database from <c>ConnectionStrings:{connectionName}</c>: its DbContext (also
    /// resolvable as <see cref="PlatformDbContext"/> for the outbox, inbox and API keys), its EF Core migrations
    /// applied at start-up before anything else runs, and a readiness check.
    /// </summary>
    public static WebApplicationBuilder AddServiceDatabase<TDbContext>(this WebApplicationBuilder builder, string connectionName)
        where TDbContext : PlatformDbContext
    {
        ArgumentNullException.ThrowIfNull(builder);
        var connectionString = builder.Configuration.GetConnectionString(connectionName)
            ?? throw new InvalidOperationException($"Connection string '{connectionName}' is missing: set ConnectionStrings__{connectionName}.");

        // Pooled: a new context per request built its options and its internal services again (7 % of the events
        // service's CPU under load). Its options are then built once: add interceptors with AddDbContextInterceptor.
        builder.Services.AddDbContextPool<TDbContext>(options => options.UseServiceDatabase(connectionString));
        builder.Services.AddScoped<PlatformDbContext>(provider => provider.GetRequiredService<TDbContext>());
        builder.Services.AddSingleton(new ServiceDatabase(connectionString));
        // Registered first among hosted services: the schema is in place before workers and the server start.
        builder.Services.Insert(0, ServiceDescriptor.Singleton<IHostedService, DatabaseMigrationService<TDbContext>>());
        builder.Services.AddHealthChecks().AddDbContextCheck<TDbContext>("database", tags: ["ready"]);
        return builder;
    }

    /// <summary>
    /// Adds <typeparamref name="TInterceptor"/>, one instance for the process, to every <typeparamref name="TDbContext"/>.
    /// The contexts are pooled and share one options instance, so an interceptor lives as long as the process.
    /// </summary>
    public static IServiceCollection AddDbContextInterceptor<TDbContext, TInterceptor>(this IServiceCollection services)
        where TDbContext : DbContext
        where TInterceptor : class, IInterceptor
    {
        services.TryAddSingleton<TInterceptor>();
        return services.ConfigureDbContext<TDbContext>(
            (provider, options) => options.AddInterceptors(provider.GetRequiredService<TInterceptor>()), ServiceLifetime.Singleton);
    }
}

/// <summary>The service's connection string, for the few places that use Npgsql directly.</summary>
public sealed record ServiceDatabase(string ConnectionString);

internal sealed class DatabaseMigrationService<TDbContext>(IServiceScopeFactory scopes, ILoggerFactory loggers) : IHostedService
    where TDbContext : PlatformDbContext
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var context = scope.ServiceProvider.GetRequiredService<TDbContext>();
        await MigrationRunner.ApplyAsync(context, loggers.CreateLogger(typeof(MigrationRunner)), cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
