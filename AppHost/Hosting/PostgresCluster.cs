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
    public static Task EnsureDatabaseAsync(string serverConnectionString, string database, CancellationToken cancellationToken = default) =>
        EnsureDatabaseAsync(serverConnectionString, database, owner: null, cancellationToken);

    /// <summary>
    /// Creates the database unless it exists. With <paramref name="owner"/>, the database belongs to that role (created
    /// or brought up to date: LOGIN with the given password, nothing else: not superuser, no CREATEDB, CREATEROLE,
    /// REPLICATION or BYPASSRLS), and only that role (and superusers) may connect to it. A service connecting as
    /// the owner can run its migrations (PostgreSQL 15: <c>public</c> belongs to <c>pg_database_owner</c>) and can
    /// open no other service's database. Objects an earlier run created as the superuser are handed to the owner.
    /// </summary>
    public static async Task EnsureDatabaseAsync(string serverConnectionString, string database, DatabaseOwner? owner, CancellationToken cancellationToken = default)
    {
        await using var connection = new NpgsqlConnection(serverConnectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        if (owner is not null) await EnsureRoleAsync(connection, owner, cancellationToken).ConfigureAwait(false);

        await using var exists = new NpgsqlCommand("SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = $1", connection) { Parameters = { new() { Value = database } } };
        var currentOwner = (string?)await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        if (currentOwner is null)
        {
            var create = $"CREATE DATABASE {Quote(database)}" + (owner is null ? "" : $" OWNER {Quote(owner.Role)}");
            try
            {
                await ExecuteAsync(connection, create, cancellationToken).ConfigureAwait(false);
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.DuplicateDatabase)
            {
                // Created concurrently by someone else: that is what we wanted.
            }
        }
        if (owner is null) return;

        if (currentOwner is not null && currentOwner != owner.Role)
            await ExecuteAsync(connection, $"ALTER DATABASE {Quote(database)} OWNER TO {Quote(owner.Role)}", cancellationToken).ConfigureAwait(false);
        // PUBLIC may connect to every database by default: only the owner (and superusers) may here; the maintenance
        // databases are no service's business either.
        await ExecuteAsync(connection,
            $"REVOKE ALL ON DATABASE {Quote(database)} FROM PUBLIC; REVOKE CONNECT ON DATABASE postgres FROM PUBLIC; REVOKE CONNECT ON DATABASE template1 FROM PUBLIC",
            cancellationToken).ConfigureAwait(false);

        var inside = new NpgsqlConnectionStringBuilder(serverConnectionString) { Database = database, Pooling = false }.ConnectionString;
        await using var own = new NpgsqlConnection(inside);
        await own.OpenAsync(cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(own, HandOverSql(owner.Role), cancellationToken).ConfigureAwait(false);
    }

    private static async Task EnsureRoleAsync(NpgsqlConnection connection, DatabaseOwner owner, CancellationToken cancellationToken)
    {
        await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_roles WHERE rolname = $1", connection) { Parameters = { new() { Value = owner.Role } } };
        var verb = await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is null ? "CREATE" : "ALTER";
        // The password cannot be a bind parameter in DDL; the server stores it as a SCRAM hash. Existence is checked
        // first, so the statement does not fail (a failing statement would be written to the server log).
        await ExecuteAsync(connection,
            $"{verb} ROLE {Quote(owner.Role)} WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS INHERIT PASSWORD '{owner.Password.Replace("'", "''", StringComparison.Ordinal)}'",
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Schemas, tables, views, sequences of their own, routines and types that another role owns go to <paramref name="role"/>.</summary>
    private static string HandOverSql(string role) => $$"""
        DO $$
        DECLARE
          owner_oid oid := (SELECT oid FROM pg_roles WHERE rolname = '{{role}}');
          r record;
        BEGIN
          FOR r IN SELECT nspname FROM pg_namespace
                   WHERE nspowner <> owner_oid AND nspname NOT LIKE 'pg\_%' AND nspname NOT IN ('information_schema', 'public') LOOP
            EXECUTE format('ALTER SCHEMA %I OWNER TO %I', r.nspname, '{{role}}');
          END LOOP;
          FOR r IN SELECT c.oid::regclass::text AS name, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                   WHERE c.relowner <> owner_oid AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S')
                     AND n.nspname NOT LIKE 'pg\_%' AND n.nspname <> 'information_schema'
                     -- a sequence of an identity or serial column follows its table
                     AND NOT (c.relkind = 'S' AND EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype IN ('a', 'i'))) LOOP
            EXECUTE format('ALTER %s %s OWNER TO %I',
              CASE r.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW' WHEN 'f' THEN 'FOREIGN TABLE' WHEN 'S' THEN 'SEQUENCE' ELSE 'TABLE' END,
              r.name, '{{role}}');
          END LOOP;
          FOR r IN SELECT p.oid::regprocedure::text AS name FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                   WHERE p.proowner <> owner_oid AND n.nspname NOT LIKE 'pg\_%' AND n.nspname <> 'information_schema'
                     AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e') LOOP
            EXECUTE format('ALTER ROUTINE %s OWNER TO %I', r.name, '{{role}}');
          END LOOP;
          FOR r IN SELECT t.oid::regtype::text AS name FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
                   WHERE t.typowner <> owner_oid AND t.typtype IN ('e', 'd', 'r', 'm')
                     AND n.nspname NOT LIKE 'pg\_%' AND n.nspname <> 'information_schema'
                     AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = t.oid AND d.deptype IN ('e', 'i')) LOOP
            EXECUTE format('ALTER TYPE %s OWNER TO %I', r.name, '{{role}}');
          END LOOP;
        END $$;
        """;

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static string Quote(string identifier) => $"\"{identifier.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";

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

/// <summary>
/// The role that owns a service's database and that the service connects as. <see cref="Role"/>: lower-case letters,
/// digits and underscores (it is written into SQL).
/// </summary>
public sealed record DatabaseOwner
{
    public DatabaseOwner(string role, string password)
    {
        if (!System.Text.RegularExpressions.Regex.IsMatch(role, "^[a-z_][a-z0-9_]{0,62}$"))
            throw new ArgumentException($"'{role}' is not a plain role name (a-z, 0-9, _; at most 63).", nameof(role));
        ArgumentException.ThrowIfNullOrEmpty(password);
        Role = role;
        Password = password;
    }

    public string Role { get; }

    public string Password { get; }

    /// <summary>Not the password: records print themselves, and this one must never reach a log.</summary>
    public override string ToString() => $"DatabaseOwner {{ Role = {Role} }}";
}
