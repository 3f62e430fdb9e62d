using Platform.Hosting;

namespace Platform.Bench;

/// <summary>Which service to start: its folder under services/, its project, and the name of its connection string.</summary>
public sealed record ServiceSpec(string Folder, string Project, string ConnectionName)
{
    public static readonly ServiceSpec Membership = new("Membership", "Platform.Membership", "membershipdb");
    public static readonly ServiceSpec TalentPipeline = new("TalentPipeline", "Platform.TalentPipeline", "talentpipelinedb");
    public static readonly ServiceSpec Events = new("Events", "Platform.Events", "eventsdb");
    public static readonly ServiceSpec Webhooks = new("Webhooks", "Platform.Webhooks", "webhooksdb");
}

/// <summary>
/// A service as deployed: its built dll started as a child process with Aspire-style settings (connection strings,
/// URL, operator key), on its own database and the bench's broker (same virtual host for all services).
/// </summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    public const string OperatorKey = "bench-operator-key-6d1f0c";
    private readonly ChildProcess _process;
    private readonly Queue<string> _output = new();

    private ServiceProcess(ChildProcess process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    /// <summary>The service's own process (not a wrapper): its RSS is the service's.</summary>
    public int ProcessId => _process.Id;

    public static async Task<ServiceProcess> StartAsync(ServiceSpec spec, string configuration, string connectionString, Uri amqp,
        IReadOnlyDictionary<string, string>? settings = null)
    {
        var dll = Path.Combine(RepositoryRoot(), "services", spec.Folder, spec.Project, "bin", configuration, "net10.0", spec.Project + ".dll");
        if (!File.Exists(dll)) throw new FileNotFoundException($"Build the service first ({dll}).");
        var url = new Uri($"http://127.0.0.1:{FreePort.Next()}");
        ServiceProcess? service = null;
        var environment = new Dictionary<string, string?>
        {
            ["ASPNETCORE_URLS"] = url.ToString(),
            [$"ConnectionStrings__{spec.ConnectionName}"] = connectionString,
            ["ConnectionStrings__messaging"] = amqp.ToString(),
            ["Platform__OperatorKey"] = OperatorKey,
            // A bench drives one key far beyond a partner's limit.
            ["Platform__RateLimit__PermitsPerSecond"] = "100000",
            ["Platform__RateLimit__Burst"] = "100000",
            ["Logging__LogLevel__Default"] = "Warning",
        };
        foreach (var (name, value) in settings ?? new Dictionary<string, string>()) environment[name] = value;
        var process = ChildProcess.Start(new ChildProcessSpec("dotnet", [dll]) { Environment = environment }, (line, _) =>
        {
            lock (OutputLock)
            {
                service?._output.Enqueue(line);
                if (service?._output.Count > 200) service._output.Dequeue();
            }
        });
        service = new ServiceProcess(process, url);
        using var http = new HttpClient { BaseAddress = url };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            if (process.HasExited) throw new InvalidOperationException("The service exited:\n" + service.Tail());
            try
            {
                using var ready = await http.GetAsync(new Uri("/health/ready", UriKind.Relative));
                if (ready.IsSuccessStatusCode) return service;
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            if (DateTime.UtcNow > deadline) throw new TimeoutException("The service did not become ready:\n" + service.Tail());
            await Task.Delay(200);
        }
    }

    private static readonly object OutputLock = new();

    public string Tail()
    {
        lock (OutputLock) return string.Join('\n', _output);
    }

    public HttpClient Client()
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromMinutes(2) };
        client.DefaultRequestHeaders.Add("X-Api-Key", OperatorKey);
        return client;
    }

    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Platform.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException("Run the bench from inside the repository.");
    }

    public async ValueTask DisposeAsync()
    {
        await _process.StopAsync(TimeSpan.FromSeconds(10));
        await _process.DisposeAsync();
    }
}
