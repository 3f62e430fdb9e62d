extern alias apphost;
extern alias dashboard;
extern alias membership;
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
    public RealPortApp<dashboard::Program> Dashboard { get; private set; } = null!;
    public StatusEndpoint AppHostStatus { get; private set; } = null!;
    public Supervisor Worker { get; private set; } = null!;
    public ChildProcess? WorkerProcess { get; private set; }
    public Uri MessagingUri { get; private set; } = null!;
    public RabbitMqServer Broker => rabbit.Server;
    public IBrowser Browser { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        MessagingUri = await rabbit.CreateVirtualHostAsync("dashboard");
        Membership = RealPortApp<membership::Program>.Start(new Dictionary<string, string?>
        {
            ["ConnectionStrings:membershipdb"] = await postgres.CreateDatabaseAsync("membershipdb"),
            ["ConnectionStrings:messaging"] = MessagingUri.ToString(),
            ["Platform:OperatorKey"] = OperatorKey,
        });

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

        Dashboard = RealPortApp<dashboard::Program>.Start(new Dictionary<string, string?>
        {
            ["services:membership:http:0"] = Membership.Url,
            ["ConnectionStrings:messaging"] = MessagingUri.ToString(),
            ["Dashboard:RabbitMq:ManagementUrl"] = rabbit.Server.ManagementUri.ToString(),
            ["Dashboard:AppHost:Url"] = AppHostStatus.Url,
            ["Platform:OperatorKey"] = OperatorKey,
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

    /// <summary>A fresh page at 1280×800 on the dashboard.</summary>
    public async Task<IPage> OpenAsync(string hash)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 800 } });
        var page = await context.NewPageAsync();
        await page.GotoAsync($"{Dashboard.Url}/{hash}");
        return page;
    }

    /// <summary>Keeps a full-page screenshot under artifacts/test-results/screenshots.</summary>
    public static async Task ScreenshotAsync(IPage page, string name)
    {
        ArgumentNullException.ThrowIfNull(page);
        var folder = Path.Combine(RepositoryRoot(), "artifacts", "test-results", "screenshots");
        Directory.CreateDirectory(folder);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, name + ".png"), FullPage = true });
    }

    private static string RepositoryRoot()
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
        if (Membership is not null) await Membership.DisposeAsync();
        if (_logFolder is not null) ThrowawayFolder.Remove(_logFolder);
    }
}
