using Microsoft.EntityFrameworkCore;
using Npgsql;
using Platform.ServiceDefaults.Persistence;

namespace Platform.Testing;

/// <summary>
/// The shape of a database as PostgreSQL reports it (tables, columns, constraints, indexes), used to prove that a
/// service's EF Core migrations build exactly the schema its EF model expects.
/// </summary>
public static class SchemaSnapshot
{
    /// <summary>
    /// Builds one database with the migrations and another from the EF model (<c>EnsureCreated</c>), and returns
    /// the lines that differ (empty when they match). Triggers and functions, which only migrations hold, are not
    /// compared.
    /// </summary>
    public static async Task<IReadOnlyList<string>> CompareMigrationsWithModelAsync<TDbContext>(
        ThrowawayPostgres postgres, Func<DbContextOptions<TDbContext>, TDbContext> create)
        where TDbContext : PlatformDbContext
    {
        ArgumentNullException.ThrowIfNull(postgres);
        ArgumentNullException.ThrowIfNull(create);
        var migrated = await postgres.CreateDatabaseAsync("migrated");
        await using (var context = create(ServiceDatabaseOptions.For<TDbContext>(migrated)))
        {
            // EF's migrator itself, not the start-up runner: a context without migrations must show up here as missing tables.
            await context.Database.MigrateAsync();
        }

        var fromModel = await postgres.CreateDatabaseAsync("model");
        await using (var context = create(ServiceDatabaseOptions.For<TDbContext>(fromModel)))
        {
            await context.Database.EnsureCreatedAsync();
        }

        var expected = await ReadAsync(fromModel);
        var actual = await ReadAsync(migrated);
        return [.. expected.Except(actual).Select(line => "missing from migrations: " + line),
                .. actual.Except(expected).Select(line => "not in the EF model:     " + line)];
    }

    /// <summary>
    /// True when the EF model has changed since the last migration's snapshot: the change needs
    /// <c>dotnet ef migrations add</c> before it can reach a database.
    /// </summary>
    public static bool HasPendingModelChanges<TDbContext>(Func<DbContextOptions<TDbContext>, TDbContext> create)
        where TDbContext : PlatformDbContext
    {
        ArgumentNullException.ThrowIfNull(create);
        using var context = create(ServiceDatabaseOptions.ForDesignTime<TDbContext>());
        return context.Database.HasPendingModelChanges();
    }

    public static async Task<IReadOnlySet<string>> ReadAsync(string connectionString)
    {
        const string userSchemas = "NOT IN ('pg_catalog', 'information_schema', 'pg_toast')";
        // Bookkeeping of migrations (EF's, and the SQL runner's of earlier versions), not part of the model.
        var historyTables = $"('schema_migrations', '{ServiceDatabaseOptions.MigrationsHistoryTable}')";
        var sql = $"""
            SELECT format('column %s.%s.%s %s(%s) null=%s identity=%s default=%s', table_schema, table_name, column_name,
                          data_type, coalesce(character_maximum_length::text, numeric_precision::text, ''), is_nullable, is_identity, coalesce(column_default, ''))
              FROM information_schema.columns
             WHERE table_schema {userSchemas} AND table_name NOT IN {historyTables}
            UNION ALL
            SELECT format('constraint %s %s %s', conrelid::regclass, conname, pg_get_constraintdef(oid))
              FROM pg_constraint
             WHERE connamespace::regnamespace::text {userSchemas} AND conrelid::regclass::text NOT IN ('platform.schema_migrations', 'platform."__EFMigrationsHistory"')
            UNION ALL
            SELECT format('index %s', indexdef)
              FROM pg_indexes
             WHERE schemaname {userSchemas} AND tablename NOT IN {historyTables}
            """;
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var lines = new HashSet<string>(StringComparer.Ordinal);
        while (await reader.ReadAsync())
            lines.Add(reader.GetString(0));
        return lines;
    }
}
