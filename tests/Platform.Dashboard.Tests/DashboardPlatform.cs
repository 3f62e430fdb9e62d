extern alias apphost;
extern alias dashboard;
extern alias events;
extern alias membership;
extern alias pipeline;
using apphost::Platform.AppHost.Output;
using apphost::Platform.AppHost.Running;
using apphost::Platform.AppHost.Status;
using Microsoft.Playwright;
using Platform.Hosting;
using Platform.Testing;

namespace Platform.Dashboard.Tests;

/// <summary>
/// The platform the browser tests look at: the real membership service and the dashboard, both hosted on real
/// Kestrel ports against the throwaway PostgreSQL and RabbitMQ; an AppHost status endpoint that reports a really
/// supervised worker process; and headless Chromium driven by Playwright. Shared by the browser tests of a class.
/// </summary>
public sealed class DashboardPlatform(ThrowawayPostgres postgres, ThrowawayRabbitMq rabbit) : IAsyncLifetime
{
    public const string OperatorKey = ServiceUnderTest<object>.OperatorKey;
    public const string WorkerName = "placement-worker";

    private string? _logFolder;
    private ResourceLogs? _logs;
    private CancellationTokenSource? _stopping;
    private IPlaywright? _playwright;

    public RealPortApp<membership::Program> Membership { get; private set; } = null!;
    public RealPortApp<pipeline::Program> TalentPipeline { get; private set; } = null!;
    public RealPortApp<events::Program> Events { get; private set; } = null!;
    public RealPortApp<dashboard::Program> Dashboard { get; private set; } = null!;
    public StatusEndpoint AppHostStatus { get; private set; } = null!;
    public Supervisor Worker { get; private set; } = null!;
    public ChildProcess? WorkerProcess { get; private set; }
    public Uri MessagingUri { get; private set; } = null!;
    public RabbitMqServer Broker => rabbit.Server;
    public IBrowser Browser { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        // The three services on one virtual host, as under the AppHost: membership's events reach the others.
        MessagingUri = await rabbit.CreateVirtualHostAsync("dashboard");
        var databases = await Task.WhenAll(postgres.CreateDatabaseAsync("membershipdb"), postgres.CreateDatabaseAsync("talentpipelinedb"), postgres.CreateDatabaseAsync("eventsdb"));
        Dictionary<string, string?> Settings(string database, string connectionString) => new()
        {
            [$"ConnectionStrings:{database}"] = connectionString,
            ["ConnectionStrings:messaging"] = MessagingUri.ToString(),
            ["Platform:OperatorKey"] = OperatorKey,
        };
        Membership = RealPortApp<membership::Program>.Start(Settings("membershipdb", databases[0]));
        TalentPipeline = RealPortApp<pipeline::Program>.Start(Settings("talentpipelinedb", databases[1]));
        Events = RealPortApp<events::Program>.Start(Settings("eventsdb", databases[2]));

        // A worker process supervised exactly as the AppHost supervises its resources (restarted when it dies).
        _logFolder = ThrowawayFolder.Create("dashboard-logs");
        _logs = new ResourceLogs(new ConsoleOutput(20), _logFolder);
        _stopping = new CancellationTokenSource();
        var log = _logs.For(WorkerName);
        Worker = new Supervisor(log, _ =>
        {
            var process = ChildProcess.Start(new ChildProcessSpec("/bin/sh", ["-c", "echo placement worker listening; exec sleep 600"]), log.Write);
            WorkerProcess = process;
            return Task.FromResult(new RunningProcess(process, () => process.StopAsync(TimeSpan.FromSeconds(2))));
        }, retryFirstStart: true, _stopping.Token);
        await Worker.StartAsync();
        AppHostStatus = StatusEndpoint.Start(FreePort.Next(), OperatorKey,
            () => [ResourceStates.Describe(WorkerName, "service", null, Worker, "ready")],
            (name, lines) => name == WorkerName ? log.Recent(lines) : null);

        Dashboard = StartDashboard(new Dictionary<string, string?>
        {
            ["services:membership:http:0"] = Membership.Url,
            ["services:talent-pipeline:http:0"] = TalentPipeline.Url,
            ["services:events:http:0"] = Events.Url,
        });


        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            // As root (CI containers) Chromium refuses to start with its sandbox.
            Args = ["--no-sandbox"],
        });
    }

    /// <summary>A dashboard watching <paramref name="services"/>, with this platform's broker, AppHost status endpoint and operator key.</summary>
    public RealPortApp<dashboard::Program> StartDashboard(Dictionary<string, string?> services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services["ConnectionStrings:messaging"] = MessagingUri.ToString();
        services["Dashboard:RabbitMq:ManagementUrl"] = rabbit.Server.ManagementUri.ToString();
        services["Dashboard:AppHost:Url"] = AppHostStatus.Url;
        services["Platform:OperatorKey"] = OperatorKey;
        return RealPortApp<dashboard::Program>.Start(services);
    }

    /// <summary>A fresh page at 1280×800 on the dashboard.</summary>
    public async Task<IPage> OpenAsync(string hash, string? dashboardUrl = null)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 800 } });
        var page = await context.NewPageAsync();
        await page.GotoAsync($"{dashboardUrl ?? Dashboard.Url}/{hash}");
        return page;
    }

    /// <summary>A virtual host of its own on the throwaway broker (AMQP URI).</summary>
    public Task<Uri> NewVirtualHostAsync(string prefix) => rabbit.CreateVirtualHostAsync(prefix);

    /// <summary>A database of its own on the throwaway PostgreSQL (connection string).</summary>
    public Task<string> NewDatabaseAsync(string prefix) => postgres.CreateDatabaseAsync(prefix);

    /// <summary>An HTTP client of a service with the operator key.</summary>
    public static HttpClient Operator(string serviceUrl)
    {
        var client = new HttpClient { BaseAddress = new Uri(serviceUrl) };
        client.DefaultRequestHeaders.Add("X-Api-Key", OperatorKey);
        return client;
    }

    /// <summary>Keeps a full-page screenshot under artifacts/test-results/screenshots.</summary>
    public static async Task ScreenshotAsync(IPage page, string name)
    {
        ArgumentNullException.ThrowIfNull(page);
        var folder = Path.Combine(RepositoryRoot(), "artifacts", "test-results", "screenshots");
        Directory.CreateDirectory(folder);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, name + ".png"), FullPage = true });
    }

    internal static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Platform.sln"))) return dir.FullName;
        }
        return AppContext.BaseDirectory;
    }

    public async ValueTask DisposeAsync()
    {
        if (Browser is not null) await Browser.DisposeAsync();
        _playwright?.Dispose();
        if (Dashboard is not null) await Dashboard.DisposeAsync();
        if (AppHostStatus is not null) await AppHostStatus.DisposeAsync();
        if (Worker is not null) await Worker.StopAsync();
        _stopping?.Dispose();
        _logs?.Dispose();
        if (Events is not null) await Events.DisposeAsync();
        if (TalentPipeline is not null) await TalentPipeline.DisposeAsync();
        if (Membership is not null) await Membership.DisposeAsync();
        if (_logFolder is not null) ThrowawayFolder.Remove(_logFolder);
    }
}
