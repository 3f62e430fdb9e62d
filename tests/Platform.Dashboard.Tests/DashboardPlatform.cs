extern alias dashboard;
extern alias events;
extern alias membership;
extern alias pipeline;
using System.Net;
using System.Net.Sockets;
using Microsoft.Playwright;
using Platform.Testing;

namespace Platform.Dashboard.Tests;

/// <summary>
/// The platform the browser tests look at: the real membership, talent-pipeline and events services and the
/// dashboard, all hosted on real Kestrel ports against the throwaway PostgreSQL and RabbitMQ, and headless Chromium
/// driven by Playwright. The dashboard links to an Aspire dashboard at <see cref="AspireDashboardUrl"/> (nothing
/// listens there: the tests check the links, they do not follow them). Shared by the browser test classes, one after
/// another (<see cref="Collection"/>): a start of four services and Chromium costs more CPU than a class's tests.
/// </summary>
public sealed class DashboardPlatform(ThrowawayPostgres postgres, ThrowawayRabbitMq rabbit) : IAsyncLifetime
{
    public const string Collection = "dashboard platform";

    public const string OperatorKey = ServiceUnderTest<object>.OperatorKey;
    public const string AspireDashboardUrl = "http://127.0.0.1:18888";

    private IPlaywright? _playwright;

    public RealPortApp<membership::Program> Membership { get; private set; } = null!;
    public RealPortApp<pipeline::Program> TalentPipeline { get; private set; } = null!;
    public RealPortApp<events::Program> Events { get; private set; } = null!;
    public RealPortApp<dashboard::Program> Dashboard { get; private set; } = null!;
    public Uri MessagingUri { get; private set; } = null!;
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

        Dashboard = StartDashboard(new Dictionary<string, string?>
        {
            ["services:membership:http:0"] = Membership.Url,
            ["services:talent-pipeline:http:0"] = TalentPipeline.Url,
            ["services:events:http:0"] = Events.Url,
        });

        // The page's panels come from several services' APIs: on two busy cores 5 s (Playwright's default) is too short.
        Assertions.SetDefaultExpectTimeout(30_000);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            // As root (CI containers) Chromium refuses to start with its sandbox.
            Args = ["--no-sandbox"],
        });
    }

    /// <summary>
    /// A dashboard watching <paramref name="services"/>, with this platform's broker and operator key, linking to the
    /// Aspire dashboard at <paramref name="aspireDashboard"/> (none when null).
    /// </summary>
    public RealPortApp<dashboard::Program> StartDashboard(Dictionary<string, string?> services, string? aspireDashboard = AspireDashboardUrl)
    {
        ArgumentNullException.ThrowIfNull(services);
        services["ConnectionStrings:messaging"] = MessagingUri.ToString();
        services["Dashboard:RabbitMq:ManagementUrl"] = rabbit.Server.ManagementUri.ToString();
        services["Platform:OperatorKey"] = OperatorKey;
        if (aspireDashboard is not null) services["Dashboard:AspireDashboard:Url"] = aspireDashboard;
        return RealPortApp<dashboard::Program>.Start(services);
    }

    /// <summary>
    /// A fresh page at 1280×800 on the dashboard, logged in as the operator would: the page sends a new browser to the
    /// login form, which takes the key and returns to the view asked for.
    /// </summary>
    public async Task<IPage> OpenAsync(string hash, string? dashboardUrl = null)
    {
        var page = await NewPageAsync();
        await page.GotoAsync($"{dashboardUrl ?? Dashboard.Url}/{hash}");
        await LogInAsync(page, OperatorKey);
        await Assertions.Expect(page).ToHaveURLAsync($"{dashboardUrl ?? Dashboard.Url}/{hash}");
        return page;
    }

    /// <summary>A fresh page at 1280×800, not logged in.</summary>
    public async Task<IPage> NewPageAsync()
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 800 } });
        return await context.NewPageAsync();
    }

    /// <summary>Types <paramref name="key"/> into the login form the page shows, and submits it.</summary>
    public static async Task LogInAsync(IPage page, string key)
    {
        ArgumentNullException.ThrowIfNull(page);
        await page.GetByLabel("Operator key").FillAsync(key);
        await page.GetByRole(AriaRole.Button, new() { Name = "Log in" }).ClickAsync();
    }

    /// <summary>An HTTP client of the dashboard (or a service) with the operator key, as a script would use it.</summary>
    public static HttpClient Operator(string serviceUrl)
    {
        var client = new HttpClient { BaseAddress = new Uri(serviceUrl) };
        client.DefaultRequestHeaders.Add("X-Api-Key", OperatorKey);
        return client;
    }

    /// <summary>A URL of 127.0.0.1 where nothing listens (a port the system just handed out and took back).</summary>
    public static string NothingListens()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return $"http://127.0.0.1:{port}";
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
        if (Events is not null) await Events.DisposeAsync();
        if (TalentPipeline is not null) await TalentPipeline.DisposeAsync();
        if (Membership is not null) await Membership.DisposeAsync();
    }
}

[CollectionDefinition(DashboardPlatform.Collection)]
public sealed class DashboardPlatformCollection : ICollectionFixture<DashboardPlatform>;
