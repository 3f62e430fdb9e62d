using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Platform.Hosting;

namespace Platform.AppHost.Local;

/// <summary>
/// What one run of the AppHost on this machine needs before Aspire starts: the command line, the OS packages,
/// the data folder (locked while we run), stable ports, the operator key, and the Aspire dashboard's address
/// and keys, handed to Aspire as configuration so the dashboard needs no launch profile and no certificate.
/// </summary>
public sealed class LocalRun : IDisposable
{
    private readonly Dictionary<string, Uri> _services = new(StringComparer.Ordinal);

    private LocalRun(AppHostOptions options, DataFolder dataFolder, PortAllocator ports, string operatorKey)
    {
        Options = options;
        DataFolder = dataFolder;
        Ports = ports;
        OperatorKey = operatorKey;
        ConfiguredAspireDashboardUrl = $"http://127.0.0.1:{ports.Keep("aspire-dashboard")}";
        AspireOtlpUrl = $"http://127.0.0.1:{ports.Keep("aspire-otlp")}";
    }

    public AppHostOptions Options { get; }

    /// <summary>Instances of each service when scaled out (<c>--scale</c>).</summary>
    public const int InstancesPerService = 2;
    public DataFolder DataFolder { get; }
    public PortAllocator Ports { get; }
    public string OperatorKey { get; }

    private string ConfiguredAspireDashboardUrl { get; }
    private string AspireOtlpUrl { get; }

    /// <summary>New each run: the dashboard's login link and the key of its telemetry API (<c>x-api-key</c>).</summary>
    public string AspireBrowserToken { get; } = NewToken();
    public string AspireTelemetryApiKey { get; } = NewToken();

    /// <summary>
    /// Where the Aspire dashboard answers once DCP has allocated its endpoint: the configured port, or a random one
    /// under Aspire.Hosting.Testing (which randomizes proxied ports). Null when the AppHost runs without it
    /// (Aspire.Hosting.Testing with <c>DisableDashboard</c>): then there is no dashboard resource.
    /// </summary>
    public static string? AspireDashboardUrl(DistributedApplicationModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var dashboard = model.Resources.OfType<IResourceWithEndpoints>().SingleOrDefault(r => r.Name == "aspire-dashboard");
        return dashboard?.GetEndpoint("http").Url.TrimEnd('/');
    }

    /// <summary>The Aspire dashboard's login link (with this run's browser token); null without the dashboard.</summary>
    public string? AspireLoginUrl(DistributedApplicationModel model) => AspireDashboardUrl(model) is { } url ? $"{url}/login?t={AspireBrowserToken}" : null;

    /// <summary>Base URL of each platform service, by resource name.</summary>
    public IReadOnlyDictionary<string, Uri> Services => _services;

    /// <summary>
    /// Reads the command line and prepares the data folder. Null when there is nothing to run: then
    /// <paramref name="exitCode"/> is 0 (help shown), 1 (a problem, explained in one line) or 2 (bad command line).
    /// </summary>
    public static LocalRun? Open(string[] args, out int exitCode)
    {
        var options = AppHostOptions.Read(args, Console.Out, Console.Error, out exitCode);
        if (options is null) return null;

        DataFolder? data = null;
        try
        {
            RequireOsPackages();
            // A scaled-out run keeps its own databases and broker: queues of a single node are not a cluster's.
            data = DataFolder.Open(options.DataFolder ?? Path.Combine(RepositoryRoot(), options.Scale ? ".data-scale" : ".data"), options.Fresh);
            var ports = PortAllocator.LoadAsync(data.Combine("ports.json"), CancellationToken.None).GetAwaiter().GetResult();
            var operatorKey = data.OperatorKeyAsync(CancellationToken.None).GetAwaiter().GetResult();
            File.Delete(data.EndpointsFile);
            exitCode = 0;
            return new LocalRun(options, data, ports, operatorKey);
        }
        catch (AppHostException e)
        {
            data?.Dispose();
            Console.Error.WriteLine(e.Message);
            exitCode = 1;
            return null;
        }
    }

    /// <summary>Aspire's own settings, as configuration: where its dashboard listens, its keys, a quiet console.</summary>
    public DistributedApplicationOptions BuilderOptions() => new()
    {
        Args =
        [
            $"--ASPNETCORE_URLS={ConfiguredAspireDashboardUrl}",
            $"--ASPIRE_DASHBOARD_OTLP_HTTP_ENDPOINT_URL={AspireOtlpUrl}",
            // Plain http on loopback: no development certificate needed.
            "--ASPIRE_ALLOW_UNSECURED_TRANSPORT=true",
            $"--ASPIRE_DASHBOARD_FRONTEND_BROWSERTOKEN={AspireBrowserToken}",
            $"--AppHost:DashboardApiKey={AspireTelemetryApiKey}",
            $"--AppHost:OtlpApiKey={NewToken()}",
            $"--AppHost:McpApiKey={NewToken()}",
            // The console shows our summary and failures; everything the servers say is in the dashboard and DIR/logs.
            "--Logging:LogLevel:Default=Warning",
            "--Logging:LogLevel:Aspire.Hosting.Dcp=Error",
        ],
    };

    /// <summary>A fixed port for a platform service (kept across runs when free), remembered for endpoints.json.</summary>
    public int ServicePort(string name)
    {
        var port = Ports.Keep(name);
        _services[name] = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}");
        return port;
    }

    /// <summary>
    /// The console summary, endpoints.json and DIR/logs once the resources are declared; remembers this run's
    /// ports for the next one.
    /// </summary>
    public void ReportTo(IDistributedApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        Ports.SaveAsync(CancellationToken.None).GetAwaiter().GetResult();
        foreach (var move in Ports.Moves)
            Console.WriteLine(move);
        // On BeforeStartEvent, not as hosted services: Aspire's own hosted service does not return from its start
        // until every resource has started, and ours must watch them start.
        builder.Eventing.Subscribe<BeforeStartEvent>((start, cancellationToken) =>
        {
            var services = start.Services;
            var stopping = services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
            var model = services.GetRequiredService<DistributedApplicationModel>();
            _ = new ResourceLogFiles(this, model, services.GetRequiredService<ResourceLoggerService>()).CopyAllAsync(stopping);
            _ = new ReadyReport(this, model, services.GetRequiredService<ResourceNotificationService>(), services.GetRequiredService<ResourceCommandService>(), services.GetRequiredService<IHostApplicationLifetime>()).RunAsync(stopping);
            return Task.CompletedTask;
        });
    }

    private static string NewToken() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(24));

    /// <summary>The folder holding Platform.sln, found from the AppHost's binary (its default data folder is .data there).</summary>
    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Platform.sln"))) return folder.FullName;
        }
        throw new AppHostException($"No Platform.sln found in '{AppContext.BaseDirectory}' or above: run the AppHost from the repository (./run.sh), or name a data folder with --data DIR.");
    }

    /// <summary>Names every missing OS package at once, with the command that installs them.</summary>
    private static void RequireOsPackages()
    {
        Action[] checks =
        [
            () => OsPackages.Postgres("initdb"), () => OsPackages.Postgres("postgres"),
            () => OsPackages.RabbitMq("rabbitmq-server"), () => OsPackages.Epmd(), () => OsPackages.Setpriv(),
        ];
        var missing = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var check in checks)
        {
            try
            {
                check();
            }
            catch (MissingOsPackageException e)
            {
                missing.Add(e.Package);
            }
        }
        if (missing.Count > 0)
            throw new AppHostException($"Missing Debian package{(missing.Count > 1 ? "s" : "")}: {string.Join(", ", missing)}. Install with: sudo apt-get install -y {string.Join(' ', missing)}   (./run.sh installs them for you)");
    }

    public void Dispose() => DataFolder.Dispose();
}
