using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.Logging;

namespace Platform.ServiceDefaults.Persistence;

/// <summary>
/// How every service DbContext reaches PostgreSQL: at run time, at design time (<c>dotnet ef</c>) and in tests alike,
/// so the migrations history table is always the same one.
/// </summary>
public static class ServiceDatabaseOptions
{
    /// <summary>EF Core's history of applied migrations, kept with the other platform tables.</summary>
    public const string MigrationsHistoryTable = "__EFMigrationsHistory";

    public static DbContextOptionsBuilder UseServiceDatabase(this DbContextOptionsBuilder options, string connectionString) =>
        options.UseNpgsql(connectionString, npgsql => npgsql.MigrationsHistoryTable(MigrationsHistoryTable, PlatformDbContext.Schema));

    public static DbContextOptions<TDbContext> For<TDbContext>(string connectionString) where TDbContext : DbContext
    {
        var options = new DbContextOptionsBuilder<TDbContext>();
        options.UseServiceDatabase(connectionString);
        return options.Options;
    }

    /// <summary>
    /// For a service's <see cref="IDesignTimeDbContextFactory{TContext}"/>: <c>dotnet ef migrations add</c> never
    /// connects, so a placeholder will do; <c>dotnet ef database update --connection "…"</c> overrides it.
    /// </summary>
    public static DbContextOptions<TDbContext> ForDesignTime<TDbContext>() where TDbContext : DbContext =>
        For<TDbContext>("Host=localhost;Database=design_time;Username=design_time");
}

/// <summary>
/// Applies pending EF Core migrations at start-up. An advisory lock makes concurrent starts of several instances
/// safe: one applies, the others wait and then find nothing to do (EF's own migration lock alone does not cover
/// the first creation of its history table). A database built by the SQL scripts of earlier versions is
/// baselined first: see <see cref="PlatformDbContext.SqlEraServiceMigrations"/>.
/// </summary>
public static partial class MigrationRunner
{
    // Any constant works; it only has to be the same for every instance of every service.
    private const long AdvisoryLockKey = 0x706c_6174_666f_726d; // "platform"

    /// <summary>What the SQL runner recorded in <c>platform.schema_migrations</c> for the platform tables.</summary>
    private static readonly string[] SqlEraPlatformMigrations = ["platform/0001_platform_tables", "platform/0002_outbox_parked", "platform/0002_partner_api_key_expiry"];

    public static async Task ApplyAsync(PlatformDbContext context, ILogger logger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var database = context.Database;
        // One connection for the lock and everything done under it: the lock belongs to the session.
        await database.OpenConnectionAsync(cancellationToken);
        try
        {
            await database.ExecuteSqlRawAsync("SELECT pg_advisory_lock({0})", [AdvisoryLockKey], cancellationToken);
            try
            {
                if (!database.GetMigrations().Any())
                {
                    // Test doubles and benches only: every service has migrations (its SchemaTests fail without).
                    await database.EnsureCreatedAsync(cancellationToken);
                    LogCreatedFromModel(logger, context.GetType().Name);
                    return;
                }

                await BaselineSqlEraDatabaseAsync(context, logger, cancellationToken);
                // Npgsql's EF provider reads the history table without checking that it exists and logs the failure
                // as an error on every first start (npgsql/efcore.pg#3407): create it first.
                await database.ExecuteSqlRawAsync(context.GetService<IHistoryRepository>().GetCreateIfNotExistsScript(), cancellationToken);
                var pending = (await database.GetPendingMigrationsAsync(cancellationToken)).ToList();
                await database.MigrateAsync(cancellationToken);
                foreach (var id in pending) LogApplied(logger, id);

                var unknown = (await database.GetAppliedMigrationsAsync(cancellationToken)).Except(database.GetMigrations()).ToList();
                if (unknown.Count > 0) LogUnknown(logger, string.Join(", ", unknown));
            }
            finally
            {
                await database.ExecuteSqlRawAsync("SELECT pg_advisory_unlock({0})", [AdvisoryLockKey], CancellationToken.None);
            }
        }
        finally
        {
            await database.CloseConnectionAsync();
        }
    }

    /// <summary>
    /// A database made by the SQL runner (rows in <c>platform.schema_migrations</c>, no EF history) holds exactly the
    /// schema of the first EF migration when every SQL script was applied: record that migration as applied. One that
    /// missed a script cannot be brought there safely, so start-up stops.
    /// </summary>
    private static async Task BaselineSqlEraDatabaseAsync(PlatformDbContext context, ILogger logger, CancellationToken cancellationToken)
    {
        var database = context.Database;
        var sqlEra = await database.SqlQueryRaw<bool>(
            $"SELECT to_regclass('platform.schema_migrations') IS NOT NULL AND to_regclass('platform.\"{ServiceDatabaseOptions.MigrationsHistoryTable}\"') IS NULL AS \"Value\"")
            .SingleAsync(cancellationToken);
        if (!sqlEra) return;
        var recorded = await database.SqlQueryRaw<string>("SELECT id AS \"Value\" FROM platform.schema_migrations").ToListAsync(cancellationToken);
        if (recorded.Count == 0) return;

        var initial = database.GetMigrations().First();
        var missing = SqlEraPlatformMigrations.Concat(context.SqlEraServiceMigrations).Except(recorded, StringComparer.Ordinal).ToList();
        if (missing.Count > 0)
            throw new InvalidOperationException(
                $"The database was built by the SQL migrations of an earlier version and lacks {string.Join(", ", missing)}. " +
                $"Start the last version with SQL migrations once (it applies them), then this one; only a complete SQL-era schema is taken as EF migration '{initial}'.");

        var history = context.GetService<IHistoryRepository>();
        await database.ExecuteSqlRawAsync(history.GetCreateIfNotExistsScript(), cancellationToken);
        await database.ExecuteSqlRawAsync(history.GetInsertScript(new HistoryRow(initial, ProductInfo.GetVersion())), cancellationToken);
        LogBaselined(logger, initial);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Applied migration {MigrationId}")]
    private static partial void LogApplied(ILogger logger, string migrationId);

    [LoggerMessage(Level = LogLevel.Information, Message = "The database was built by the SQL migrations of an earlier version: recorded {MigrationId} as applied")]
    private static partial void LogBaselined(ILogger logger, string migrationId);

    [LoggerMessage(Level = LogLevel.Information, Message = "{DbContext} has no migrations: its schema was created from the EF model")]
    private static partial void LogCreatedFromModel(ILogger logger, string dbContext);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The database has migrations this build does not know ({MigrationIds}); a newer version of the service ran against it")]
    private static partial void LogUnknown(ILogger logger, string migrationIds);
}
