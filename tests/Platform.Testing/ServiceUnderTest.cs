using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Platform.ServiceDefaults.Auth;
using Platform.ServiceDefaults.Messaging;
using Platform.ServiceDefaults.Persistence;

namespace Platform.Testing;

/// <summary>
/// One of the platform's services, hosted in the test process exactly as its Program.cs builds it, on its own
/// fresh database of the throwaway PostgreSQL and its own virtual host of the throwaway RabbitMQ.
/// </summary>
public sealed class ServiceUnderTest<TProgram> : WebApplicationFactory<TProgram> where TProgram : class
{
    public const string OperatorKey = "operator-key-for-tests-3f9c2a71";

    private readonly IReadOnlyDictionary<string, string> _settings;
    private readonly Action<IServiceCollection>? _configureServices;

    private ServiceUnderTest(IReadOnlyDictionary<string, string> settings, Action<IServiceCollection>? configureServices = null)
    {
        _settings = settings;
        _configureServices = configureServices;
    }

    /// <summary>
    /// As <see cref="StartAsync"/>, on a database and broker the test chose (a PostgreSQL it stops, a virtual host it
    /// shares with another service, an address where no broker listens), with extra settings and service registrations.
    /// </summary>
    public static ServiceUnderTest<TProgram> Start(string databaseName, string connectionString, Uri messaging,
        IReadOnlyDictionary<string, string>? settings = null, Action<IServiceCollection>? configureServices = null)
    {
        ArgumentNullException.ThrowIfNull(messaging);
        var all = new Dictionary<string, string>(settings ?? new Dictionary<string, string>())
        {
            [$"ConnectionStrings:{databaseName}"] = connectionString,
            ["ConnectionStrings:messaging"] = messaging.ToString(),
            ["Platform:OperatorKey"] = OperatorKey,
        };
        var service = new ServiceUnderTest<TProgram>(all, configureServices);
        _ = service.Server;
        return service;
    }

    /// <param name="settings">Configuration on top of the connections and the operator key (e.g. a higher rate limit for a fuzzer).</param>
    public static async Task<ServiceUnderTest<TProgram>> StartAsync(ThrowawayPostgres postgres, ThrowawayRabbitMq rabbit, string databaseName,
        IReadOnlyDictionary<string, string>? settings = null)
    {
        ArgumentNullException.ThrowIfNull(postgres);
        ArgumentNullException.ThrowIfNull(rabbit);
        var all = new Dictionary<string, string>
        {
            [$"ConnectionStrings:{databaseName}"] = await postgres.CreateDatabaseAsync(databaseName),
            ["ConnectionStrings:messaging"] = (await rabbit.CreateVirtualHostAsync(databaseName)).ToString(),
            ["Platform:OperatorKey"] = OperatorKey,
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>()) all[key] = value;
        var service = new ServiceUnderTest<TProgram>(all);
        _ = service.Server; // start now: migrations, bus, workers
        return service;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.UseEnvironment("Production");
        builder.ConfigureLogging(logging => logging.AddProvider(new TestOutputLoggerProvider()));
        // Requests run in the calling test's execution context, so the server's log lines reach that test's output.
        builder.ConfigureServices(services => services.Configure<Microsoft.AspNetCore.TestHost.TestServerOptions>(options => options.PreserveExecutionContext = true));
        foreach (var (key, value) in _settings)
            builder.UseSetting(key, value);
        if (_configureServices is not null) builder.ConfigureTestServices(_configureServices);
    }

    /// <summary>The AMQP URI of the service's own virtual host.</summary>
    public Uri MessagingUri => new(_settings["ConnectionStrings:messaging"]);

    /// <summary>Starts reading every <typeparamref name="TMessage"/> this service (or anything on its virtual host) publishes from now on.</summary>
    public Task<PublishedEvents<TMessage>> WatchAsync<TMessage>() where TMessage : class => PublishedEvents<TMessage>.BindAsync(MessagingUri);

    /// <summary>
    /// Makes the service honour a partner key for <paramref name="organizationId"/> with <paramref name="scopes"/>,
    /// the way production does (ApiClientIssued through RabbitMQ), and returns the key once it is accepted.
    /// </summary>
    public async Task<string> IssuePartnerKeyAsync(Guid organizationId, params string[] scopes)
    {
        var key = "cpk_" + Guid.NewGuid().ToString("N");
        await PublishAsync(IssuedEvent(key, Guid.CreateVersion7(), organizationId, "test partner", scopes));
        using var client = ClientWithKey(key);
        await EventuallyAsync(async () =>
        {
            using var response = await client.GetAsync(new Uri("/api/v1/me", UriKind.Relative));
            return response.StatusCode == HttpStatusCode.OK;
        }, "the partner key is accepted", TimeSpan.FromSeconds(15));
        return key;
    }

    /// <summary>What membership publishes when it issues <paramref name="key"/>: the key's SHA-256, never the key.</summary>
    internal static ApiClientIssued IssuedEvent(string key, Guid apiClientId, Guid organizationId, string name, IReadOnlyList<string> scopes) => new()
    {
        ApiClientId = apiClientId,
        OrganizationId = organizationId,
        Name = name,
        KeyHash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(key))),
        Scopes = scopes,
        IssuedAt = DateTimeOffset.UtcNow,
    };

    /// <summary>An HTTP client that sends <paramref name="apiKey"/> (the operator key unless told otherwise).</summary>
    public HttpClient ClientWithKey(string? apiKey = OperatorKey)
    {
        var client = CreateClient();
        if (apiKey is not null) client.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        return client;
    }

    /// <summary>Publishes an integration event through the service's own outbox, as a producer in another service would.</summary>
    public async Task PublishAsync<TMessage>(TMessage message) where TMessage : class
    {
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PlatformDbContext>();
        db.AddIntegrationEvent(message);
        await db.SaveChangesAsync();
    }

    /// <summary>
    /// Polls until <paramref name="condition"/> holds, or fails after <paramref name="timeout"/> with <paramref name="what"/>
    /// and, if given, <paramref name="lastSeen"/> (what the last poll found: stuck and merely slow look alike otherwise).
    /// </summary>
    public static async Task EventuallyAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null, Func<string>? lastSeen = null)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"Timed out waiting until {what}.{(lastSeen is null ? "" : $" Last seen: {lastSeen()}.")}");
            await Task.Delay(100);
        }
    }
}

/// <summary>Checks every service must pass: what ServiceDefaults promises, proven on the real service.</summary>
public static class ServiceConformance
{
    /// <summary>/health/ready answers 200 with its database, broker and outbox checks healthy.</summary>
    public static async Task AssertReadyAsync<TProgram>(ServiceUnderTest<TProgram> service) where TProgram : class
    {
        ArgumentNullException.ThrowIfNull(service);
        using var client = service.CreateClient();
        string[] expected = ["database", "messaging-bus", "outbox"];
        Dictionary<string, string?> checks = [];
        // The bus connects after the host has started (readiness is 200 "degraded" until then), so wait for healthy.
        try
        {
            await ServiceUnderTest<TProgram>.EventuallyAsync(async () =>
            {
                using var response = await client.GetAsync(new Uri("/health/ready", UriKind.Relative));
                if (response.StatusCode != HttpStatusCode.OK) return false;
                var body = await response.Content.ReadFromJsonAsync<JsonElement>();
                checks = body.GetProperty("checks").EnumerateArray()
                    .ToDictionary(c => c.GetProperty("name").GetString()!, c => c.GetProperty("status").GetString());
                return expected.All(name => checks.TryGetValue(name, out var status) && string.Equals(status, "healthy", StringComparison.OrdinalIgnoreCase));
            }, "/health/ready answers 200 with database, messaging-bus and outbox healthy", TimeSpan.FromSeconds(45));
        }
        catch (TimeoutException exception)
        {
            throw new InvalidOperationException($"{exception.Message} Last checks: {string.Join(", ", checks.Select(c => $"{c.Key}={c.Value}"))}", exception);
        }
    }

    /// <summary>
    /// A partner key issued by membership (ApiClientIssued over RabbitMQ) is honoured by the service within
    /// seconds, with its organization and scopes; after ApiClientRevoked it is refused again.
    /// </summary>
    public static async Task AssertPartnerKeysFollowMembershipEventsAsync<TProgram>(ServiceUnderTest<TProgram> service) where TProgram : class
    {
        ArgumentNullException.ThrowIfNull(service);
        var key = "cpk_" + Guid.NewGuid().ToString("N");
        var clientId = Guid.CreateVersion7();
        var organizationId = Guid.CreateVersion7();
        using var client = service.ClientWithKey(key);

        using (var before = await client.GetAsync(new Uri("/api/v1/me", UriKind.Relative)))
        {
            if (before.StatusCode != HttpStatusCode.Unauthorized)
                throw new InvalidOperationException($"An unknown key answered {(int)before.StatusCode}, not 401.");
        }

        await service.PublishAsync(ServiceUnderTest<TProgram>.IssuedEvent(key, clientId, organizationId, "Shandong Labor college SIS", ["pipeline:write", "events:read"]));

        JsonElement me = default;
        await ServiceUnderTest<TProgram>.EventuallyAsync(async () =>
        {
            using var response = await client.GetAsync(new Uri("/api/v1/me", UriKind.Relative));
            if (response.StatusCode != HttpStatusCode.OK) return false;
            me = await response.Content.ReadFromJsonAsync<JsonElement>();
            return true;
        }, "the issued key is accepted", TimeSpan.FromSeconds(15));
        if (me.GetProperty("kind").GetString() != "partner" || me.GetProperty("organizationId").GetGuid() != organizationId
            || string.Join(",", me.GetProperty("scopes").EnumerateArray().Select(s => s.GetString())) != "events:read,pipeline:write")
            throw new InvalidOperationException($"The key was accepted with the wrong identity: {me}");

        await service.PublishAsync(new ApiClientRevoked { ApiClientId = clientId, OrganizationId = organizationId, RevokedAt = DateTimeOffset.UtcNow });
        await ServiceUnderTest<TProgram>.EventuallyAsync(async () =>
        {
            using var response = await client.GetAsync(new Uri("/api/v1/me", UriKind.Relative));
            return response.StatusCode == HttpStatusCode.Unauthorized;
        }, "the revoked key is refused", TimeSpan.FromSeconds(15));
    }
}
