using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;

namespace Platform.AppHost.Local;

/// <summary>
/// The folder that holds everything a run keeps: databases, broker state, logs, the operator key and
/// endpoints.json. One AppHost at a time: the one running holds a lock on <c>apphost.lock</c>
/// (an OS file lock, so it is released even when the AppHost is killed) and writes its pid beside it.
/// </summary>
public sealed class DataFolder : IDisposable
{
    private const string LockFileName = "apphost.lock";
    private const string PidFileName = "apphost.pid";
    private readonly FileStream _lock;

    private DataFolder(string path, FileStream lockFile)
    {
        FullPath = path;
        _lock = lockFile;
    }

    public string FullPath { get; }

    public string Logs => Combine("logs");

    public string EndpointsFile => Combine("endpoints.json");

    public string Combine(string name) => Path.Combine(FullPath, name);

    /// <summary>Creates the folder if needed, takes the lock, and wipes what was there when <paramref name="fresh"/>.</summary>
    /// <exception cref="AppHostException">The folder cannot be written, or another AppHost uses it.</exception>
    public static DataFolder Open(string path, bool fresh)
    {
        path = Path.GetFullPath(path);
        try
        {
            Directory.CreateDirectory(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw NotWritable(path, e);
        }

        var lockFile = TakeLock(path);
        try
        {
            if (fresh) Wipe(path);
            File.WriteAllText(Path.Combine(path, PidFileName), Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
            Directory.CreateDirectory(Path.Combine(path, "logs"));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            lockFile.Dispose();
            throw NotWritable(path, e);
        }
        return new DataFolder(path, lockFile);
    }

    private static FileStream TakeLock(string path)
    {
        var lockPath = Path.Combine(path, LockFileName);
        try
        {
            // FileShare.None makes .NET take an exclusive flock(2): the kernel drops it when we die, however we die.
            return new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (UnauthorizedAccessException e)
        {
            throw NotWritable(path, e);
        }
        catch (IOException e) when (e.HResult == EWouldBlock)
        {
            var pid = ReadPid(path);
            var who = pid is null ? "Another AppHost" : $"Another AppHost (pid {pid})";
            var stop = pid is null ? "Stop it (Ctrl+C in its terminal)" : $"Stop it (Ctrl+C in its terminal, or kill {pid})";
            throw new AppHostException($"{who} is using the data folder '{path}'. {stop}, or choose another folder with --data DIR.");
        }
        catch (IOException e)
        {
            throw NotWritable(path, e);
        }
    }

    // What .NET reports (as HResult) when flock finds the file locked by another process.
    private const int EWouldBlock = 11;

    private static string? ReadPid(string path)
    {
        try
        {
            return File.ReadAllText(Path.Combine(path, PidFileName)).Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static void Wipe(string path)
    {
        foreach (var entry in new DirectoryInfo(path).EnumerateFileSystemInfos())
        {
            if (entry.Name == LockFileName) continue;
            if (entry is DirectoryInfo directory) directory.Delete(recursive: true);
            else entry.Delete();
        }
    }

    private static AppHostException NotWritable(string path, Exception e) =>
        new($"The data folder '{path}' is not writable: {e.Message} Choose another folder with --data DIR, or fix its permissions (for example: sudo chown -R $(id -un) '{path}').");

    /// <summary>The operator API key: created once per data folder (32 random bytes, base64url), then kept.</summary>
    public async Task<string> OperatorKeyAsync(CancellationToken cancellationToken)
    {
        var file = Combine("operator-key");
        if (File.Exists(file)) return (await File.ReadAllTextAsync(file, cancellationToken)).Trim();

        var key = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        // Only the owner may read it: it opens every operator API.
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite };
        await using (var stream = new FileStream(file, options))
        await using (var writer = new StreamWriter(stream))
            await writer.WriteAsync(key.AsMemory(), cancellationToken);
        return key;
    }

    /// <summary>
    /// Writes a file only its owner may read (endpoints.json holds passwords and the operator key), so readers
    /// never see half of it (scripts and tests poll for it).
    /// </summary>
    public async Task WriteSecretAtomicallyAsync(string path, string contents, CancellationToken cancellationToken)
    {
        var temporary = path + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite };
        await using (var stream = new FileStream(temporary, options))
        await using (var writer = new StreamWriter(stream))
            await writer.WriteAsync(contents.AsMemory(), cancellationToken);
        File.Move(temporary, path, overwrite: true);
    }

    public void Dispose()
    {
        // The pid file goes first: once the lock is released, the next AppHost may write its own.
        try
        {
            File.Delete(Combine(PidFileName));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
        _lock.Dispose();
    }
}
