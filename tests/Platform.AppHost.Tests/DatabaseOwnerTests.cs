using Npgsql;
using Platform.Hosting;
using Platform.Testing;

namespace Platform.AppHost.Tests;

/// <summary>
/// The recipe the AppHost runs for each service database (<see cref="PostgresCluster.EnsureDatabaseAsync(string, string, DatabaseOwner?, CancellationToken)"/>),
/// on a PostgreSQL server of its own: a database from an earlier run, made by the superuser, is handed to its role,
/// which can then migrate it and can open nothing else. No platform start.
/// </summary>
public sealed class DatabaseOwnerTests : IAsyncLifetime
{
    private string _folder = "";
    private PostgresServer? _server;

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    private PostgresServer Server => _server ?? throw new InvalidOperationException("Not started.");

    public async ValueTask InitializeAsync()
    {
        _folder = ThrowawayFolder.Create("roles");
        _server = await PostgresServer.StartAsync(new PostgresOptions { DataDirectory = _folder, Durable = false }, Cancellation);
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync();
        ThrowawayFolder.Remove(_folder);
    }

    [Fact]
    public async Task A_database_the_superuser_made_earlier_goes_to_its_role_which_can_migrate_it_and_open_nothing_else()
    {
        // What an earlier AppHost left: the database and what the service's migrations made, all the superuser's.
        await Server.EnsureDatabaseAsync("membershipdb", Cancellation);
        await Server.EnsureDatabaseAsync("eventsdb", Cancellation);
        await ExecuteAsync(Server.ConnectionString("membershipdb"), """
            CREATE SCHEMA platform;
            CREATE TABLE platform.outbox_messages (sequence bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, body text);
            CREATE TABLE organizations (id uuid PRIMARY KEY, name text);
            CREATE VIEW organization_names AS SELECT name FROM organizations;
            CREATE TYPE kind AS ENUM ('college', 'enterprise');
            CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
            INSERT INTO organizations VALUES ('0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b', 'Shandong Technician College');
            """);

        var membership = new DatabaseOwner("membershipdb", "pw-membership-1");
        await PostgresCluster.EnsureDatabaseAsync(Server.ConnectionString("postgres"), "membershipdb", membership, Cancellation);
        await PostgresCluster.EnsureDatabaseAsync(Server.ConnectionString("postgres"), "eventsdb", new DatabaseOwner("eventsdb", "pw-events-1"), Cancellation);
        // Twice is the same (every AppHost start runs it).
        await PostgresCluster.EnsureDatabaseAsync(Server.ConnectionString("postgres"), "membershipdb", membership, Cancellation);

        var asRole = RoleConnectionString("membershipdb", membership);
        // A later migration: altering, adding, replacing what the earlier run made.
        await ExecuteAsync(asRole, """
            ALTER TABLE organizations ADD COLUMN region text;
            ALTER TABLE platform.outbox_messages ADD COLUMN attempts int NOT NULL DEFAULT 0;
            INSERT INTO platform.outbox_messages (body) VALUES ('{}');
            CREATE OR REPLACE VIEW organization_names AS SELECT name, region FROM organizations;
            ALTER TYPE kind ADD VALUE 'institute';
            CREATE OR REPLACE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
            CREATE TABLE public.charters (id uuid PRIMARY KEY);
            CREATE SCHEMA reporting;
            """);
        Assert.Equal(1L, await ScalarAsync(asRole, "SELECT count(*) FROM organizations"));

        // A password from the role's own password file, not the superuser's.
        await using (var wrong = new NpgsqlConnection(RoleConnectionString("membershipdb", new DatabaseOwner("membershipdb", Server.Password))))
            Assert.Equal(PostgresErrorCodes.InvalidPassword, (await Assert.ThrowsAsync<PostgresException>(() => wrong.OpenAsync(Cancellation))).SqlState);

        foreach (var other in new[] { "eventsdb", "postgres", "template1" })
        {
            await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(asRole) { Database = other }.ConnectionString);
            Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, (await Assert.ThrowsAsync<PostgresException>(() => connection.OpenAsync(Cancellation))).SqlState);
        }
        foreach (var forbidden in new[] { "CREATE DATABASE sneaky", "CREATE ROLE sneaky", "ALTER ROLE membershipdb CREATEDB", "ALTER ROLE membershipdb SUPERUSER" })
            Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, (await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(asRole, forbidden))).SqlState);

        // A changed password file: the role follows on the next start.
        var renewed = new DatabaseOwner("membershipdb", "pw-membership-2");
        await PostgresCluster.EnsureDatabaseAsync(Server.ConnectionString("postgres"), "membershipdb", renewed, Cancellation);
        Assert.Equal(1L, await ScalarAsync(RoleConnectionString("membershipdb", renewed), "SELECT count(*) FROM organizations"));
    }

    [Fact]
    public async Task A_role_password_is_random_kept_in_the_data_folder_and_readable_by_its_owner_only()
    {
        var first = await PostgresServer.LoadOrCreateRolePasswordAsync(_folder, "eventsdb", Cancellation);
        Assert.Matches("^[0-9a-f]{32}$", first);
        Assert.Equal(first, await PostgresServer.LoadOrCreateRolePasswordAsync(_folder, "eventsdb", Cancellation));
        Assert.NotEqual(first, await PostgresServer.LoadOrCreateRolePasswordAsync(_folder, "membershipdb", Cancellation));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(_folder, "roles", "eventsdb.password")));
        Assert.Throws<ArgumentException>(() => new DatabaseOwner("events\"; DROP ROLE postgres; --", "pw"));
        Assert.DoesNotContain("pw-secret", new DatabaseOwner("eventsdb", "pw-secret").ToString(), StringComparison.Ordinal);
    }

    private string RoleConnectionString(string database, DatabaseOwner owner) =>
        new NpgsqlConnectionStringBuilder { Host = "127.0.0.1", Port = Server.Port, Username = owner.Role, Password = owner.Password, Database = database, Pooling = false }.ConnectionString;

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(Cancellation);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(Cancellation);
    }

    private static async Task<object?> ScalarAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(Cancellation);
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync(Cancellation);
    }
}
