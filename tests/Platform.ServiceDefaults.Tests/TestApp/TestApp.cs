using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Platform.ServiceDefaults.Auth;
using Platform.ServiceDefaults.Persistence;
using Platform.Testing;

namespace Platform.ServiceDefaults.Tests.TestApp;

/// <summary>
/// A small service built exactly as the real ones are (AddServiceDefaults + AddServiceDatabase +
/// MapDefaultEndpoints) on TestServer, with its own fresh PostgreSQL database.
/// </summary>
public sealed class TestApp : IAsyncDisposable
{
    public const string OperatorKey = "op-test-key-5b1d0c8e9a7f4e2d";

    private readonly bool _kestrel;

    private TestApp(WebApplication app, string connectionString, bool kestrel)
    {
        App = app;
        ConnectionString = connectionString;
        _kestrel = kestrel;
    }

    public WebApplication App { get; }
    public string ConnectionString { get; }
    public IServiceProvider Services => App.Services;
    public CapturedLogs Logs => Services.GetRequiredService<CapturedLogs>();
    public TestEndpoints.Calls Calls => Services.GetRequiredService<TestEndpoints.Calls>();

    /// <param name="postgres">The server that gets the app's fresh database.</param>
    /// <param name="configure">Runs before AddServiceDefaults, as a service's own registrations would.</param>
    /// <param name="settings">Configuration on top of the connection string and operator key.</param>
    /// <param name="kestrel">A real server on a loopback port instead of TestServer (for what only Kestrel does).</param>
    public static async Task<TestApp> StartAsync(ThrowawayPostgres postgres, Action<WebApplicationBuilder>? configure = null,
        IDictionary<string, string?>? settings = null, bool kestrel = false)
    {
        ArgumentNullException.ThrowIfNull(postgres);
        var connectionString = await postgres.CreateDatabaseAsync("http");
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        if (kestrel) builder.WebHost.UseUrls("http://127.0.0.1:0");
        else builder.WebHost.UseTestServer();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:testdb"] = connectionString,
            ["Platform:OperatorKey"] = OperatorKey,
        });
        if (settings is not null) builder.Configuration.AddInMemoryCollection(settings);

        // Every log line at every level, so tests can assert what is (not) logged.
        var logs = new CapturedLogs();
        builder.Logging.ClearProviders().SetMinimumLevel(LogLevel.Trace).AddProvider(logs);
        builder.Services.AddSingleton(logs);

        configure?.Invoke(builder);
        builder.AddServiceDefaults("test");
        builder.AddServiceDatabase<TestDbContext>("testdb");
        builder.Services.AddSingleton<TestEndpoints.Calls>();

        var app = builder.Build();
        app.MapDefaultEndpoints();
        app.MapTestEndpoints();
        await app.StartAsync(TestContext.Current.CancellationToken);
        return new TestApp(app, connectionString, kestrel);
    }

    /// <summary>A client without a key, or with the given one.</summary>
    public HttpClient Client(string? apiKey = null)
    {
        var client = _kestrel ? new HttpClient { BaseAddress = new Uri(App.Urls.First()) } : App.GetTestClient();
        if (apiKey is not null) client.DefaultRequestHeaders.Add(ApiKeyDefaults.HeaderName, apiKey);
        return client;
    }

    public HttpClient Operator() => Client(OperatorKey);

    /// <summary>Does what the ApiClientIssued consumer does: stores the hash of a new partner key.</summary>
    public async Task<PartnerKey> IssuePartnerKeyAsync(params string[] scopes)
    {
        var key = "pk_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        var partner = new PartnerKey(key, Guid.CreateVersion7(), Guid.CreateVersion7());
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TestDbContext>();
        db.PartnerApiKeys.Add(new PartnerApiKey
        {
            ApiClientId = partner.ApiClientId,
            OrganizationId = partner.OrganizationId,
            Name = "test partner",
            KeyHash = Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(key))),
            Scopes = scopes,
            IssuedAt = DateTimeOffset.UtcNow,
        });
        await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        return partner;
    }

    /// <summary>Does what the ApiClientRevoked consumer does.</summary>
    public async Task RevokeAsync(PartnerKey partner)
    {
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TestDbContext>();
        await db.PartnerApiKeys.Where(k => k.ApiClientId == partner.ApiClientId)
            .ExecuteUpdateAsync(k => k.SetProperty(x => x.RevokedAt, DateTimeOffset.UtcNow), TestContext.Current.CancellationToken);
    }

    public async Task<T> WithDbAsync<T>(Func<TestDbContext, Task<T>> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        await using var scope = Services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<TestDbContext>());
    }

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync(CancellationToken.None);
        await App.DisposeAsync();
    }
}

public sealed record PartnerKey(string Key, Guid ApiClientId, Guid OrganizationId);

/// <summary>A logger provider that keeps every formatted message and exception text.</summary>
public sealed class CapturedLogs : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _lines = new();

    public IReadOnlyCollection<string> Lines => _lines;

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(CapturedLogs owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var structured = state is IEnumerable<KeyValuePair<string, object?>> values ? string.Join(" ", values.Select(v => $"{v.Key}={v.Value}")) : "";
            owner._lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)} {structured} {exception}");
        }
    }
}
