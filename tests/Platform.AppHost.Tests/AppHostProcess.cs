using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json;
using Platform.Hosting;
using Platform.Testing;

namespace Platform.AppHost.Tests;

/// <summary>
/// The built AppHost binary, started as <c>./run.sh</c> starts it (the test project built everything, in the
/// tests' configuration), on its own throwaway data folder unless told otherwise.
/// </summary>
public sealed class AppHostProcess : IAsyncDisposable
{
    /// <summary>
    /// Usually 15–30 s; a cold <c>dotnet run</c> of five services on two cores shared with two other test lanes took
    /// over 180 s once in CI.
    /// </summary>
    public static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(300);

    /// <summary>
    /// After the AppHost has gone, DCP stops what it ran within about 10 s on a quiet machine; DCP itself was seen
    /// still exiting after 20 s with the other test lane busy, so the bound leaves room for a loaded CI machine.
    /// </summary>
    public static readonly TimeSpan CleanupTimeout = TimeSpan.FromSeconds(45);

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

    /// <summary>Release or Debug: the tests' own, which is also what the AppHost and the services were built in.</summary>
    public static string Configuration { get; } =
        typeof(AppHostProcess).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()!.Configuration;

    /// <summary>The AppHost built in the tests' configuration (the test project references it).</summary>
    public static string Executable { get; } = Path.Combine(RepositoryRoot, "AppHost", "bin", Configuration, "net10.0", "Platform.AppHost");

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
        return new AppHostProcess(folder, ownsFolder: true, ["--data", folder, .. extraArguments]);
    }

    /// <summary>Starts an AppHost on a throwaway folder the caller prepared; removed with the AppHost.</summary>
    public static AppHostProcess StartOwning(string dataFolder, params string[] extraArguments) =>
        new(dataFolder, ownsFolder: true, ["--data", dataFolder, .. extraArguments]);

    /// <summary>Starts an AppHost on an existing data folder (which the caller cleans up).</summary>
    public static AppHostProcess StartOn(string dataFolder, params string[] extraArguments) =>
        new(dataFolder, ownsFolder: false, ["--data", dataFolder, .. extraArguments]);

    /// <summary>Runs the AppHost with these arguments only and waits for it to exit.</summary>
    public static async Task<(int ExitCode, string Output)> RunToEndAsync(params string[] arguments)
    {
        var output = new ConcurrentQueue<string>();
        var process = ChildProcess.Start(new ChildProcessSpec(Executable, arguments) { WorkingDirectory = RepositoryRoot }, (line, _) => output.Enqueue(line));
        var exitCode = await process.Exited.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        return (exitCode, string.Join('\n', output));
    }

    /// <summary>Waits for endpoints.json, which the AppHost writes once every resource is healthy.</summary>
    public async Task<Endpoints> WaitUntilReadyAsync()
    {
        var deadline = DateTime.UtcNow + ReadyTimeout;
        while (!File.Exists(EndpointsFile))
        {
            if (_process.HasExited)
                Assert.Fail($"The AppHost exited with code {await _process.Exited} before it was ready:\n{Output}");
            if (DateTime.UtcNow > deadline)
                Assert.Fail($"The AppHost was not ready within {ReadyTimeout.TotalSeconds} s:\n{Output}\n{LogTails()}");
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
        return Endpoints.Parse(await File.ReadAllTextAsync(EndpointsFile, TestContext.Current.CancellationToken));
    }

    /// <summary>Sends a signal to the AppHost alone (not to its children), as a terminal, systemd or kill -9 would.</summary>
    public void Signal(int signal) => _ = Native.Kill(Pid, signal);

    public const int SigKill = 9;
    public const int SigTerm = 15;

    /// <summary>Every process of the platform this AppHost runs (see <see cref="ProcessTree.PlatformOf"/>).</summary>
    public IReadOnlyList<ProcessSnapshot> PlatformProcesses() => ProcessTree.PlatformOf(Pid, DataFolder);

    /// <summary>
    /// A service's own process, if it runs: the native apphost <c>services/X/NAME/bin/CONFIGURATION/net10.0/NAME</c>,
    /// which <c>dotnet run --project … --no-build</c> (started by DCP) runs as its child.
    /// </summary>
    public ProcessSnapshot? ServiceProcess(string projectName) =>
        PlatformProcesses().FirstOrDefault(p => IsServiceProcess(p, projectName) && p.IsAlive);

    public static bool IsServiceProcess(ProcessSnapshot process, string projectName) =>
        process.CommandLine.Split(' ')[0].EndsWith($"/bin/{Configuration}/net10.0/{projectName}", StringComparison.Ordinal);

    /// <summary>Waits until none of <paramref name="processes"/> and nothing mentioning the data folder runs; what still runs.</summary>
    public async Task<IReadOnlyList<ProcessSnapshot>> WaitUntilGoneAsync(IReadOnlyList<ProcessSnapshot> processes, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var left = processes.Where(p => p.IsAlive).Concat(ProcessTree.Mentioning(DataFolder)).DistinctBy(p => p.Pid).ToList();
            if (left.Count == 0 || DateTime.UtcNow > deadline) return left;
            await Task.Delay(200, CancellationToken.None);
        }
    }

    /// <summary>The last lines of every resource's log file, for a failure message.</summary>
    public string LogTails()
    {
        var logs = Path.Combine(DataFolder, "logs");
        if (!Directory.Exists(logs)) return "(no logs folder)";
        return string.Join('\n', Directory.EnumerateFiles(logs, "*.log").Order(StringComparer.Ordinal).Select(file =>
        {
            var lines = File.ReadAllLines(file);
            return $"== {Path.GetFileName(file)} (last 15 of {lines.Length} lines)\n" + string.Join('\n', lines.TakeLast(15));
        }));
    }

    public async ValueTask DisposeAsync()
    {
        var platform = _process.HasExited ? [] : PlatformProcesses();
        await _process.StopAsync(TimeSpan.FromSeconds(60));
        // The next test should not share the machine with this platform's stragglers, nor its folder with them.
        foreach (var straggler in await WaitUntilGoneAsync(platform, CleanupTimeout))
            _ = Native.Kill(straggler.Pid, SigKill);
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

/// <summary>What endpoints.json says (the URIs as written, so they can be compared with what the services get).</summary>
public sealed record Endpoints(
    string OperatorKey,
    IReadOnlyDictionary<string, Uri> Services,
    string Amqp,
    string Management,
    IReadOnlyDictionary<string, string> Databases,
    AspireDashboardEndpoints AspireDashboard)
{
    public Uri AmqpUri => new(Amqp);

    public Uri ManagementUri => new(Management);

    public static Endpoints Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        var aspire = root.GetProperty("aspireDashboard");
        return new Endpoints(
            root.GetProperty("operatorKey").GetString()!,
            root.GetProperty("services").EnumerateObject().ToDictionary(p => p.Name, p => new Uri(p.Value.GetString()!)),
            root.GetProperty("rabbitmq").GetProperty("amqp").GetString()!,
            root.GetProperty("rabbitmq").GetProperty("management").GetString()!,
            root.GetProperty("postgres").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!),
            new AspireDashboardEndpoints(
                aspire.GetProperty("url").GetString()!,
                aspire.GetProperty("loginUrl").GetString()!,
                aspire.GetProperty("telemetryApiKey").GetString()!));
    }
}

public sealed record AspireDashboardEndpoints(string Url, string LoginUrl, string TelemetryApiKey);
