using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json;
using Platform.Hosting;
using Platform.Testing;

namespace Platform.AppHost.Tests;

/// <summary>
/// The built AppHost, started as a developer would (with --no-build: the test project built everything),
/// on its own throwaway data folder unless told otherwise.
/// </summary>
public sealed class AppHostProcess : IAsyncDisposable
{
    public static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(90);

    private readonly ConcurrentQueue<string> _output = new();
    private readonly ChildProcess _process;
    private readonly bool _ownsFolder;

    private AppHostProcess(string dataFolder, bool ownsFolder, IEnumerable<string> arguments)
    {
        DataFolder = dataFolder;
        _ownsFolder = ownsFolder;
        _process = ChildProcess.Start(
            new ChildProcessSpec(Executable, [.. arguments]) { WorkingDirectory = RepositoryRoot },
            (line, _) => _output.Enqueue(line));
    }

    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    /// <summary>The AppHost built in the tests' configuration (the test project references it).</summary>
    public static string Executable { get; } = Path.Combine(RepositoryRoot, "AppHost", "bin",
        typeof(AppHostProcess).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()!.Configuration, "net10.0", "Platform.AppHost");

    public string DataFolder { get; }

    public int Pid => _process.Id;

    public Task<int> Exited => _process.Exited;

    public string Output => string.Join('\n', _output);

    public IReadOnlyList<string> OutputLines => [.. _output];

    public string EndpointsFile => Path.Combine(DataFolder, "endpoints.json");

    /// <summary>Starts an AppHost on a new throwaway data folder.</summary>
    public static AppHostProcess Start(params string[] extraArguments)
    {
        var folder = ThrowawayFolder.Create("apphost");
        return new AppHostProcess(folder, ownsFolder: true, ["--no-build", "--data", folder, .. extraArguments]);
    }

    /// <summary>Starts an AppHost on an existing data folder (which the caller cleans up).</summary>
    public static AppHostProcess StartOn(string dataFolder, params string[] extraArguments) =>
        new(dataFolder, ownsFolder: false, ["--no-build", "--data", dataFolder, .. extraArguments]);

    /// <summary>Runs the AppHost with these arguments only and waits for it to exit.</summary>
    public static async Task<(int ExitCode, string Output)> RunToEndAsync(params string[] arguments)
    {
        var output = new ConcurrentQueue<string>();
        var process = ChildProcess.Start(new ChildProcessSpec(Executable, arguments) { WorkingDirectory = RepositoryRoot }, (line, _) => output.Enqueue(line));
        var exitCode = await process.Exited.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        return (exitCode, string.Join('\n', output));
    }

    /// <summary>Waits for endpoints.json, which the AppHost writes once every resource is ready.</summary>
    public async Task<Endpoints> WaitUntilReadyAsync()
    {
        var deadline = DateTime.UtcNow + ReadyTimeout;
        while (!File.Exists(EndpointsFile))
        {
            if (_process.HasExited)
                Assert.Fail($"The AppHost exited with code {await _process.Exited} before it was ready:\n{Output}");
            if (DateTime.UtcNow > deadline)
                Assert.Fail($"The AppHost was not ready within {ReadyTimeout.TotalSeconds} s:\n{Output}");
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
        return Endpoints.Parse(await File.ReadAllTextAsync(EndpointsFile, TestContext.Current.CancellationToken));
    }

    /// <summary>Sends a signal to the AppHost alone (not to its children), as a terminal, systemd or kill -9 would.</summary>
    public void Signal(int signal) => _ = Native.Kill(Pid, signal);

    public const int SigKill = 9;
    public const int SigTerm = 15;

    /// <summary>The service process (dotnet PROJECT.dll) the AppHost runs for a project, if it runs.</summary>
    public ProcessSnapshot? ServiceProcess(string assemblyName) =>
        ProcessTree.Descendants(Pid).FirstOrDefault(p => p.CommandLine.EndsWith($"/{assemblyName}.dll", StringComparison.Ordinal) && p.IsAlive);

    public async ValueTask DisposeAsync()
    {
        await _process.StopAsync(TimeSpan.FromSeconds(30));
        if (_ownsFolder) ThrowawayFolder.Remove(DataFolder);
    }

    private static string FindRepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Platform.sln"))) return folder.FullName;
        }
        throw new InvalidOperationException("Platform.sln not found above the test assembly.");
    }
}

/// <summary>What endpoints.json says.</summary>
public sealed record Endpoints(string OperatorKey, IReadOnlyDictionary<string, Uri> Services, Uri Amqp, Uri Management, IReadOnlyDictionary<string, string> Databases)
{
    public static Endpoints Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        return new Endpoints(
            root.GetProperty("operatorKey").GetString()!,
            root.GetProperty("services").EnumerateObject().ToDictionary(p => p.Name, p => new Uri(p.Value.GetString()!)),
            new Uri(root.GetProperty("rabbitmq").GetProperty("amqp").GetString()!),
            new Uri(root.GetProperty("rabbitmq").GetProperty("management").GetString()!),
            root.GetProperty("postgres").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!));
    }
}
