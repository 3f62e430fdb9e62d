using System.Collections.Concurrent;
using Platform.Hosting;

namespace Platform.Dashboard.Tests;

/// <summary>
/// A platform service as its own OS process (its dll from this test's output, its project folder as content root),
/// configured through environment variables exactly as the AppHost does it. Each process has its own OpenTelemetry
/// SDK, so what it exports is its own, under its own service name.
/// </summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private readonly ChildProcess _process;
    private readonly ConcurrentQueue<string> _output;

    private ServiceProcess(string url, ChildProcess process, ConcurrentQueue<string> output)
    {
        Url = url;
        _process = process;
        _output = output;
    }

    public string Url { get; }

    public static async Task<ServiceProcess> StartAsync(string name, string assembly, string projectFolder, IReadOnlyDictionary<string, string?> settings)
    {
        var port = FreePort.Next();
        var url = $"http://127.0.0.1:{port}";
        var environment = new Dictionary<string, string?>(settings)
        {
            ["ASPNETCORE_URLS"] = url,
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["OTEL_SERVICE_NAME"] = name,
            ["Logging__LogLevel__Default"] = "Warning",
        };
        var output = new ConcurrentQueue<string>();
        var process = ChildProcess.Start(new ChildProcessSpec(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet", [Path.Combine(AppContext.BaseDirectory, assembly)])
        {
            WorkingDirectory = Path.Combine(DashboardPlatform.RepositoryRoot(), projectFolder),
            Environment = environment,
        }, (line, _) => output.Enqueue(line));
        var service = new ServiceProcess(url, process, output);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            if (process.HasExited) throw new InvalidOperationException($"{name} exited ({await process.Exited}):{Environment.NewLine}{service.Tail()}");
            try
            {
                using var ready = await http.GetAsync(new Uri(url + "/health/ready"));
                if (ready.IsSuccessStatusCode) return service;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
            }
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{name} was not ready within 60 s:{Environment.NewLine}{service.Tail()}");
            await Task.Delay(100);
        }
    }

    public string Tail() => string.Join(Environment.NewLine, _output.TakeLast(30));

    public async ValueTask DisposeAsync()
    {
        await _process.StopAsync(TimeSpan.FromSeconds(10));
        await _process.DisposeAsync();
    }
}
