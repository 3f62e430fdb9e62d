using System.Globalization;
using Npgsql;

namespace Platform.Hosting;

/// <summary>
/// How a PostgreSQL 15 cluster of ours is laid out, initialized and started: one recipe for the AppHost's
/// Aspire resource, the test fixtures and the benches (<see cref="PostgresServer"/> runs it as a child process).
/// A data directory holds <c>cluster/</c> (initdb), <c>socket/</c> and <c>password</c> (the superuser's).
/// </summary>
public static class PostgresCluster
{
    private const string UnprivilegedUser = "postgres";

    public static string ClusterDirectory(string dataDirectory) => Path.Combine(dataDirectory, "cluster");

    private static string SocketDirectory(string dataDirectory) => Path.Combine(dataDirectory, "socket");

    /// <summary>initdb and postgres refuse to run as root: as root they run as the 'postgres' user.</summary>
    public static string? RunAsUser => Posix.IsRoot ? UnprivilegedUser : null;

    /// <summary>The arguments of <c>postgres</c> for a server on 127.0.0.1:<paramref name="port"/>.</summary>
    /// <param name="durable">False for throwaway test servers: no fsync, much faster, lost on a machine crash.</param>
    public static IReadOnlyList<string> ServerArguments(string dataDirectory, int port, bool durable)
    {
        List<string> arguments =
        [
            "-D", ClusterDirectory(dataDirectory), "-p", port.ToString(CultureInfo.InvariantCulture), "-k", SocketDirectory(dataDirectory),
            "-c", "listen_addresses=127.0.0.1", "-c", "max_connections=300", "-c", "shared_buffers=256MB",
            "-c", "logging_collector=off", "-c", "log_min_messages=warning",
        ];
        if (!durable)
            arguments.AddRange(["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"]);
        return arguments;
    }

    /// <summary>
    /// Creates the cluster with initdb when the folder holds none (about a second), and gives the folder to the
    /// server's user. A folder that holds something else is refused, never overwritten.
    /// </summary>
    public static async Task InitializeAsync(string dataDirectory, bool durable, ServerOutput output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        var cluster = ClusterDirectory(dataDirectory);
        Directory.CreateDirectory(SocketDirectory(dataDirectory));
        if (File.Exists(Path.Combine(cluster, "PG_VERSION"))) { GiveToServerUser(dataDirectory); return; }
        if (Directory.Exists(cluster) && Directory.EnumerateFileSystemEntries(cluster).Any())
            throw new InvalidOperationException($"'{cluster}' is not empty but holds no PostgreSQL cluster. Remove it (or start with --fresh) to create a new one.");

        Directory.CreateDirectory(cluster);
        GiveToServerUser(dataDirectory);
        await using var initdb = ChildProcess.Start(
            new ChildProcessSpec(OsPackages.Postgres("initdb"),
            [
                "-D", cluster, "-U", PostgresServer.Superuser, "-E", "UTF8", "--no-locale",
                "--auth-local=trust", "--auth-host=scram-sha-256", $"--pwfile={PostgresServer.PasswordFile(dataDirectory)}",
                .. durable ? Array.Empty<string>() : ["--no-sync"],
            ])
            { RunAsUser = RunAsUser },
            output.Write);
        var exitCode = await initdb.Exited.WaitAsync(cancellationToken).ConfigureAwait(false);
        if (exitCode != 0)
            throw new InvalidOperationException($"initdb failed (exit {exitCode}) for '{cluster}':{Environment.NewLine}{output.Tail()}");
    }

    /// <summary>Creates the database unless it exists; <paramref name="serverConnectionString"/> names any database the superuser can reach.</summary>
    public static async Task EnsureDatabaseAsync(string serverConnectionString, string database, CancellationToken cancellationToken = default)
    {
        await using var connection = new NpgsqlConnection(serverConnectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = $1", connection) { Parameters = { new() { Value = database } } };
        if (await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not null) return;
        await using var create = new NpgsqlCommand($"CREATE DATABASE \"{database.Replace("\"", "\"\"", StringComparison.Ordinal)}\"", connection);
        try
        {
            await create.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.DuplicateDatabase)
        {
            // Created concurrently by someone else: that is what we wanted.
        }
    }

    private static void GiveToServerUser(string directory)
    {
        if (!Posix.IsRoot) return;
        var info = ChildProcessRunner.Run("chown", ["-R", $"{UnprivilegedUser}:{UnprivilegedUser}", directory]);
        if (info.ExitCode != 0)
            throw new InvalidOperationException($"Could not give '{directory}' to the '{UnprivilegedUser}' user: {info.Output}");
        // The server user must be able to reach the folder through its parents.
        var parent = Path.GetDirectoryName(Path.GetFullPath(directory));
        while (parent is not null && parent != "/")
        {
            var mode = File.GetUnixFileMode(parent);
            if (!mode.HasFlag(UnixFileMode.OtherExecute))
                File.SetUnixFileMode(parent, mode | UnixFileMode.OtherExecute);
            parent = Path.GetDirectoryName(parent);
        }
    }
}
