using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Platform.ServiceDefaults.Persistence;

/// <summary>One versioned schema change: a SQL script embedded in an assembly.</summary>
/// <param name="Id">Origin and file name, e.g. <c>platform/0001_platform_tables</c> or <c>service/0001_organizations</c>.</param>
/// <param name="Sql">The script; it runs in one transaction.</param>
public sealed record Migration(string Id, string Sql)
{
    public string Checksum { get; } = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Sql.ReplaceLineEndings("\n"))));

    /// <summary>
    /// The platform's own migrations (ServiceDefaults) followed by the service's, each set in file-name order.
    /// Services embed theirs as <c>Persistence/Migrations/NNNN_name.sql</c> (see the service csproj).
    /// </summary>
    public static IReadOnlyList<Migration> For(Assembly serviceAssembly) =>
        [.. FromAssembly(typeof(Migration).Assembly, "platform"), .. FromAssembly(serviceAssembly, "service")];

    private static IEnumerable<Migration> FromAssembly(Assembly assembly, string origin)
    {
        var prefix = $"migrations/{origin}/";
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(prefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var reader = new StreamReader(stream);
            yield return new Migration($"{origin}/{Path.GetFileNameWithoutExtension(name[prefix.Length..])}", reader.ReadToEnd());
        }
    }
}

/// <summary>
/// Applies pending migrations at start-up. An advisory lock makes concurrent starts of several instances
/// safe: one applies, the others wait and then find nothing to do. Each migration runs in its own
/// transaction together with its history row, so a failure leaves the schema at the last good version.
/// </summary>
public static partial class MigrationRunner
{
    // Any constant works; it only has to be the same for every instance of every service.
    private const long AdvisoryLockKey = 0x706c_6174_666f_726d; // "platform"

    public static async Task ApplyAsync(string connectionString, IReadOnlyList<Migration> migrations, ILogger logger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(migrations);
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await ExecuteAsync(connection, null, "SELECT pg_advisory_lock($1)", cancellationToken, AdvisoryLockKey);
        try
        {
            await ExecuteAsync(connection, null, """
                CREATE SCHEMA IF NOT EXISTS platform;
                CREATE TABLE IF NOT EXISTS platform.schema_migrations (
                    id text PRIMARY KEY,
                    checksum text NOT NULL,
                    applied_at timestamptz NOT NULL DEFAULT now());
                """, cancellationToken);

            var applied = new Dictionary<string, string>(StringComparer.Ordinal);
            await using (var read = new NpgsqlCommand("SELECT id, checksum FROM platform.schema_migrations", connection))
            await using (var reader = await read.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                    applied[reader.GetString(0)] = reader.GetString(1);
            }

            foreach (var migration in migrations)
            {
                if (applied.TryGetValue(migration.Id, out var checksum))
                {
                    if (checksum != migration.Checksum)
                        throw new InvalidOperationException($"Migration '{migration.Id}' was changed after it was applied. Never edit an applied migration; add a new one.");
                    continue;
                }

                await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                await ExecuteAsync(connection, transaction, migration.Sql, cancellationToken);
                await ExecuteAsync(connection, transaction, "INSERT INTO platform.schema_migrations (id, checksum) VALUES ($1, $2)", cancellationToken, migration.Id, migration.Checksum);
                await transaction.CommitAsync(cancellationToken);
                LogApplied(logger, migration.Id);
            }

            var unknown = applied.Keys.Except(migrations.Select(m => m.Id)).ToList();
            if (unknown.Count > 0)
                LogUnknown(logger, string.Join(", ", unknown));
        }
        finally
        {
            await ExecuteAsync(connection, null, "SELECT pg_advisory_unlock($1)", CancellationToken.None, AdvisoryLockKey);
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, CancellationToken cancellationToken, params object[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        foreach (var parameter in parameters)
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Applied migration {MigrationId}")]
    private static partial void LogApplied(ILogger logger, string migrationId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The database has migrations this build does not know ({MigrationIds}); a newer version of the service ran against it")]
    private static partial void LogUnknown(ILogger logger, string migrationIds);
}
