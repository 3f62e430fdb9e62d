using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Platform.OutboxProbe;
using Platform.ServiceDefaults.Persistence;
using Platform.Testing;

namespace Platform.ServiceDefaults.Tests.Persistence;

/// <summary>The start-up path (<see cref="MigrationRunner"/>) on the probe's EF migrations.</summary>
public sealed class StartUpMigrationTests(ThrowawayPostgres postgres)
{
    /// <summary>What the SQL runner of earlier versions recorded for the probe's schema.</summary>
    private static readonly string[] SqlEraIds = ["platform/0001_platform_tables", "platform/0002_outbox_parked", "platform/0002_partner_api_key_expiry", "service/0001_probe_tables"];

    [Fact]
    public async Task Instances_starting_at_the_same_time_apply_each_migration_once()
    {
        var database = await postgres.CreateDatabaseAsync();

        await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Task.Run(() => ApplyAsync(database))));

        Assert.Equal(Migrations(), await AppliedAsync(database));
        Assert.Equal(1L, await ScalarAsync(database, "SELECT count(*) FROM information_schema.tables WHERE table_name = 'orders'"));
    }

    [Fact]
    public async Task A_restart_applies_nothing_and_keeps_the_data()
    {
        var database = await postgres.CreateDatabaseAsync();
        await ApplyAsync(database);
        await ExecuteAsync(database, "INSERT INTO orders (id, number) VALUES ('7b0f3a52-0000-0000-0000-000000000001', 1)");

        await ApplyAsync(database);

        Assert.Equal(Migrations(), await AppliedAsync(database));
        Assert.Equal(1L, await ScalarAsync(database, "SELECT count(*) FROM orders"));
    }

    [Fact]
    public async Task A_database_built_by_the_SQL_migrations_is_taken_as_at_the_first_EF_migration_and_keeps_its_data()
    {
        var database = await SqlEraDatabaseAsync(SqlEraIds);
        await ExecuteAsync(database, "INSERT INTO orders (id, number) VALUES ('7b0f3a52-0000-0000-0000-000000000002', 42)");
        var before = await SchemaSnapshot.ReadAsync(database);

        // Were anything re-created, its CREATE TABLE would fail on the existing table.
        await ApplyAsync(database);

        Assert.Equal(Migrations(), await AppliedAsync(database));
        Assert.Equal(42, await ScalarAsync(database, "SELECT number FROM orders"));
        Assert.Equal(before, await SchemaSnapshot.ReadAsync(database));
    }

    [Fact]
    public async Task A_database_that_missed_an_SQL_migration_stops_the_start_up_with_a_clear_message()
    {
        var database = await SqlEraDatabaseAsync(SqlEraIds.Where(id => id != "platform/0002_outbox_parked"));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => ApplyAsync(database));

        Assert.Contains("platform/0002_outbox_parked", error.Message, StringComparison.Ordinal);
        Assert.Contains("Start the last version with SQL migrations once", error.Message, StringComparison.Ordinal);
        Assert.Equal(0L, await ScalarAsync(database, $"SELECT count(*) FROM information_schema.tables WHERE table_name = '{ServiceDatabaseOptions.MigrationsHistoryTable}'"));
    }

    /// <summary>
    /// A database as the SQL runner left it: the schema of the first EF migration (which builds what the SQL scripts
    /// built, see the report of issue 14), no EF history, and the runner's own history rows.
    /// </summary>
    private async Task<string> SqlEraDatabaseAsync(IEnumerable<string> recorded)
    {
        var database = await postgres.CreateDatabaseAsync("sqlera");
        await using (var context = new ProbeDbContext(ServiceDatabaseOptions.For<ProbeDbContext>(database)))
        {
            await context.Database.MigrateAsync(TestContext.Current.CancellationToken);
        }
        await ExecuteAsync(database, $"""
            DROP TABLE platform."{ServiceDatabaseOptions.MigrationsHistoryTable}";
            CREATE TABLE platform.schema_migrations (id text PRIMARY KEY, checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now());
            """);
        foreach (var id in recorded)
            await ExecuteAsync(database, $"INSERT INTO platform.schema_migrations (id, checksum) VALUES ('{id}', 'sha256 of the script')");
        return database;
    }

    private static async Task ApplyAsync(string database)
    {
        await using var context = new ProbeDbContext(ServiceDatabaseOptions.For<ProbeDbContext>(database));
        await MigrationRunner.ApplyAsync(context, NullLogger.Instance, TestContext.Current.CancellationToken);
    }

    private static List<string> Migrations()
    {
        using var context = new ProbeDbContext(ServiceDatabaseOptions.ForDesignTime<ProbeDbContext>());
        var migrations = context.Database.GetMigrations().ToList();
        Assert.NotEmpty(migrations);
        return migrations;
    }

    private static async Task<List<string>> AppliedAsync(string database)
    {
        await using var context = new ProbeDbContext(ServiceDatabaseOptions.For<ProbeDbContext>(database));
        return [.. await context.Database.GetAppliedMigrationsAsync(TestContext.Current.CancellationToken)];
    }

    private static async Task<object?> ScalarAsync(string database, string sql)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }

    private static async Task ExecuteAsync(string database, string sql)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
