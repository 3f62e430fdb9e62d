using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Npgsql;

namespace Platform.Hosting;

public sealed record PostgresOptions
{
    /// <summary>Folder that holds the cluster (created with initdb when empty) and the server's socket.</summary>
    public required string DataDirectory { get; init; }

    /// <summary>TCP port on 127.0.0.1; 0 picks a free one.</summary>
    public int Port { get; init; }

    /// <summary>False for throwaway test servers: no fsync, much faster, lost on a machine crash.</summary>
    public bool Durable { get; init; } = true;

    public Action<string, bool>? Output { get; init; }
}

/// <summary>A PostgreSQL 15 server run from the OS binaries as our child process.</summary>
public sealed class PostgresServer : IAsyncDisposable
{
    public const string Superuser = "postgres";

    private readonly PostgresOptions _options;
    private readonly ServerOutput _output;
    private ChildProcess? _process;

    private PostgresServer(PostgresOptions options, int port, string password)
    {
        _options = options;
        Port = port;
        Password = password;
        _output = new ServerOutput(options.Output);
    }

    public int Port { get; }
    public string Password { get; }
    public ChildProcess? Process => _process;
    public string ClusterDirectory => PostgresCluster.ClusterDirectory(_options.DataDirectory);

    public string ConnectionString(string database) => ConnectionString(Port, Password, database);

    /// <summary>The connection string a server on <paramref name="port"/> with this superuser password will accept.</summary>
    public static string ConnectionString(int port, string password, string database) =>
        new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1",
            Port = port,
            Username = Superuser,
            Password = password,
            Database = database,
        }.ConnectionString;

    /// <summary>
    /// The superuser password of the cluster kept in <paramref name="dataDirectory"/>: created on first use, then
    /// stable, so connection strings can be handed out before the server starts.
    /// </summary>
    public static async Task<string> LoadOrCreatePasswordAsync(string dataDirectory, CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(dataDirectory);
        var passwordFile = PasswordFile(dataDirectory);
        if (!File.Exists(passwordFile))
            await File.WriteAllTextAsync(passwordFile, Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)), cancellationToken).ConfigureAwait(false);
        return (await File.ReadAllTextAsync(passwordFile, cancellationToken).ConfigureAwait(false)).Trim();
    }

    internal static string PasswordFile(string dataDirectory) => Path.Combine(dataDirectory, "password");

    /// <summary>
    /// The password of a database owner role (<see cref="DatabaseOwner"/>) of the cluster in <paramref name="dataDirectory"/>:
    /// created on first use (readable by its owner only), then stable.
    /// </summary>
    public static async Task<string> LoadOrCreateRolePasswordAsync(string dataDirectory, string role, CancellationToken cancellationToken = default)
    {
        var folder = Path.Combine(dataDirectory, "roles");
        Directory.CreateDirectory(folder);
        var file = Path.Combine(folder, role + ".password");
        if (!File.Exists(file))
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite };
            try
            {
                await using var stream = new FileStream(file, options);
                await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16))), cancellationToken).ConfigureAwait(false);
            }
            catch (IOException) when (File.Exists(file))
            {
                // Written concurrently: the first one stays.
            }
        }
        return (await File.ReadAllTextAsync(file, cancellationToken).ConfigureAwait(false)).Trim();
    }

    /// <summary>Initializes the cluster if needed, starts the server and waits until it accepts connections.</summary>
    public static async Task<PostgresServer> StartAsync(PostgresOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var port = options.Port == 0 ? FreePort.Next() : options.Port;
        if (options.Port != 0 && FreePort.IsInUse(port))
            throw new InvalidOperationException($"PostgreSQL cannot listen on 127.0.0.1:{port}: the port is in use. Stop what uses it or choose another port.");

        var password = await LoadOrCreatePasswordAsync(options.DataDirectory, cancellationToken).ConfigureAwait(false);
        var server = new PostgresServer(options, port, password);
        await server.InitializeClusterAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await server.StartProcessAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            // Failed or cancelled half-way: the server process must not keep running without an owner.
            await server.StopAsync().ConfigureAwait(false);
            throw;
        }
        return server;
    }

    private Task InitializeClusterAsync(CancellationToken cancellationToken) =>
        PostgresCluster.InitializeAsync(_options.DataDirectory, _options.Durable, _output, cancellationToken);

    private async Task StartProcessAsync(CancellationToken cancellationToken)
    {
        var arguments = PostgresCluster.ServerArguments(_options.DataDirectory, Port, _options.Durable);
        _process = ChildProcess.Start(new ChildProcessSpec(OsPackages.Postgres("postgres"), arguments) { RunAsUser = PostgresCluster.RunAsUser }, _output.Write);

        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (_process.HasExited)
                throw new InvalidOperationException(StartupFailure(await _process.Exited.ConfigureAwait(false)));
            try
            {
                await using var connection = new NpgsqlConnection(ConnectionString("postgres") + ";Pooling=false;Timeout=2");
                await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (NpgsqlException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Why the server stopped during start-up, in words a user can act on, with its last output.</summary>
    private string StartupFailure(int exitCode)
    {
        var tail = _output.Tail();
        if (tail.Contains("Address already in use", StringComparison.Ordinal))
            return $"PostgreSQL could not listen on 127.0.0.1:{Port}: the port is in use by another program. Stop that program, or use another port.";
        if (tail.Contains("Is another postmaster", StringComparison.Ordinal))
            return $"The PostgreSQL cluster in '{ClusterDirectory}' is already used by another PostgreSQL server. Stop that server, or use another data folder:{Environment.NewLine}{tail}";
        return $"PostgreSQL exited during start-up (exit {exitCode}):{Environment.NewLine}{tail}";
    }

    /// <summary>Creates the database unless it exists.</summary>
    public Task EnsureDatabaseAsync(string database, CancellationToken cancellationToken = default) =>
        PostgresCluster.EnsureDatabaseAsync(ConnectionString("postgres"), database, cancellationToken);

    public async Task StopAsync()
    {
        if (_process is null) return;
        // SIGINT is PostgreSQL's "fast" shutdown: it ends open sessions (pools stay open) and checkpoints.
        await _process.StopAsync(TimeSpan.FromSeconds(15), ChildProcess.SigInt).ConfigureAwait(false);
        NpgsqlConnection.ClearAllPools();
    }

    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);
}

internal static class Posix
{
    [DllImport("libc", EntryPoint = "geteuid")]
    private static extern uint GetEffectiveUserId();

    public static bool IsRoot { get; } = GetEffectiveUserId() == 0;
}

internal static class ChildProcessRunner
{
    public static (int ExitCode, string Output) Run(string fileName, IEnumerable<string> arguments)
    {
        var info = new System.Diagnostics.ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        using var process = System.Diagnostics.Process.Start(info)!;
        var output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output);
    }
}
