using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Platform.ServiceDefaults.Persistence;
using Platform.Testing;

namespace Platform.ServiceDefaults.Tests.Persistence;

public sealed class MigrationRunnerTests(ThrowawayPostgres postgres)
{
    private static readonly Migration[] Migrations =
    [
        // Plain CREATE TABLE: running it twice would fail, so a double application cannot go unnoticed.
        new("service/0001_councils", "CREATE TABLE councils (id int PRIMARY KEY, name text NOT NULL);"),
        new("service/0002_council_region", "ALTER TABLE councils ADD COLUMN region text;"),
    ];

    [Fact]
    public async Task Instances_starting_at_the_same_time_apply_each_migration_once()
    {
        var database = await postgres.CreateDatabaseAsync();

        await Task.WhenAll(Enumerable.Range(0, 6).Select(_ =>
            Task.Run(() => MigrationRunner.ApplyAsync(database, Migrations, NullLogger.Instance, TestContext.Current.CancellationToken))));

        Assert.Equal(["service/0001_councils", "service/0002_council_region"], await AppliedAsync(database));
        Assert.Equal(1L, await ScalarAsync(database, "SELECT count(*) FROM information_schema.columns WHERE table_name = 'councils' AND column_name = 'region'"));
    }

    [Fact]
    public async Task A_restart_applies_only_what_is_new()
    {
        var database = await postgres.CreateDatabaseAsync();
        await MigrationRunner.ApplyAsync(database, Migrations[..1], NullLogger.Instance, TestContext.Current.CancellationToken);
        await ExecuteAsync(database, "INSERT INTO councils (id, name) VALUES (1, 'first council session')");

        await MigrationRunner.ApplyAsync(database, Migrations, NullLogger.Instance, TestContext.Current.CancellationToken);

        Assert.Equal(2, (await AppliedAsync(database)).Count);
        Assert.Equal("first council session", await ScalarAsync(database, "SELECT name FROM councils WHERE id = 1"));
    }

    [Fact]
    public async Task A_failing_migration_leaves_the_schema_at_the_last_good_version()
    {
        var database = await postgres.CreateDatabaseAsync();
        Migration[] broken = [Migrations[0], new("service/0002_broken", "ALTER TABLE councils ADD COLUMN region text; SELECT 1/0;")];

        await Assert.ThrowsAsync<PostgresException>(() => MigrationRunner.ApplyAsync(database, broken, NullLogger.Instance, TestContext.Current.CancellationToken));

        Assert.Equal(["service/0001_councils"], await AppliedAsync(database));
        Assert.Equal(0L, await ScalarAsync(database, "SELECT count(*) FROM information_schema.columns WHERE table_name = 'councils' AND column_name = 'region'"));
    }

    [Fact]
    public async Task An_applied_migration_that_was_edited_stops_the_start_up_with_a_clear_message()
    {
        var database = await postgres.CreateDatabaseAsync();
        await MigrationRunner.ApplyAsync(database, Migrations[..1], NullLogger.Instance, TestContext.Current.CancellationToken);
        Migration[] edited = [new("service/0001_councils", "CREATE TABLE councils (id bigint PRIMARY KEY);")];

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => MigrationRunner.ApplyAsync(database, edited, NullLogger.Instance, TestContext.Current.CancellationToken));

        Assert.Contains("service/0001_councils", error.Message, StringComparison.Ordinal);
        Assert.Contains("add a new one", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_platform_tables_come_first_then_the_service_migrations_in_file_order()
    {
        var migrations = Migration.For(typeof(MigrationRunnerTests).Assembly);
        Assert.Equal("platform/0001_platform_tables", migrations[0].Id);
        var origins = migrations.Select(m => m.Id.Split('/')[0]).ToList();
        Assert.Equal(origins.OrderBy(o => o == "platform" ? 0 : 1), origins);
        Assert.Equal(migrations.Select(m => m.Id).Where(id => id.StartsWith("platform/", StringComparison.Ordinal)).Order(StringComparer.Ordinal),
                     migrations.Select(m => m.Id).Where(id => id.StartsWith("platform/", StringComparison.Ordinal)));
    }

    private static async Task<List<string>> AppliedAsync(string database)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT id FROM platform.schema_migrations ORDER BY id", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var ids = new List<string>();
        while (await reader.ReadAsync()) ids.Add(reader.GetString(0));
        return ids;
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
