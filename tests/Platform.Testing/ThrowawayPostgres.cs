using Platform.Hosting;
using Xunit;

namespace Platform.Testing;

/// <summary>
/// One throwaway PostgreSQL server per test assembly (use as an assembly fixture). Each test class asks
/// for its own fresh database with <see cref="CreateDatabaseAsync"/>.
/// </summary>
public sealed class ThrowawayPostgres : IAsyncLifetime
{
    private string? _folder;
    private PostgresServer? _server;
    private int _databases;

    public PostgresServer Server => _server ?? throw new InvalidOperationException("The PostgreSQL fixture has not started.");

    public async ValueTask InitializeAsync()
    {
        _folder = ThrowawayFolder.Create("pg");
        _server = await PostgresServer.StartAsync(new PostgresOptions { DataDirectory = _folder, Durable = false });
    }

    /// <summary>Creates a new, empty database and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string prefix = "test")
    {
        var name = $"{prefix}_{Interlocked.Increment(ref _databases)}_{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 20, 63)];
        await Server.EnsureDatabaseAsync(name);
        return Server.ConnectionString(name);
    }

    /// <summary>Ends one server process (<c>pg_terminate_backend</c>), as a dropped network connection would; false if it was gone.</summary>
    public static async Task<bool> TerminateBackendAsync(string connectionString, int pid, CancellationToken cancellationToken)
    {
        await using var connection = new Npgsql.NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var terminate = new Npgsql.NpgsqlCommand("SELECT pg_terminate_backend(@pid)", connection);
        terminate.Parameters.AddWithValue("pid", pid);
        return (bool)(await terminate.ExecuteScalarAsync(cancellationToken))!;
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync();
        if (_folder is not null) ThrowawayFolder.Remove(_folder);
    }
}
