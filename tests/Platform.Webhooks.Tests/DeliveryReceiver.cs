using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Platform.Testing;
using Platform.Webhooks.Domain;
using Platform.Webhooks.Features.Deliveries;
using Platform.Webhooks.Persistence;

namespace Platform.Webhooks.Tests;

/// <summary>A partner's receiver on loopback (Kestrel) whose answer the test chooses per request: status, a dropped connection, a hang.</summary>
public sealed class DeliveryReceiver : IAsyncDisposable
{
    public sealed record Hit(string Path, string Query, string Body, HeaderDictionary Headers);

    private readonly WebApplication _app;
    private int _count;

    private DeliveryReceiver(WebApplication app, Func<int, HttpContext, Task> respond)
    {
        _app = app;
        Respond = respond;
    }

    public ConcurrentQueue<Hit> Hits { get; } = new();

    /// <summary>Answers the n-th request (1-based); may be changed while the test runs.</summary>
    public Func<int, HttpContext, Task> Respond { get; set; }

    public string Url => new Uri(new Uri(_app.Urls.First()), "/hooks").ToString();

    public IEnumerable<string> MessageIds => Hits.Select(h => h.Headers["webhook-id"].ToString());

    public static async Task<DeliveryReceiver> StartAsync(Func<int, HttpContext, Task>? respond = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var receiver = new DeliveryReceiver(app, respond ?? Answer(200, "thanks"));
        app.MapPost("/hooks", receiver.HandleAsync);
        await app.StartAsync(TestContext.Current.CancellationToken);
        return receiver;
    }

    public static Func<int, HttpContext, Task> Answer(int status, string text) => (_, context) => Write(context, status, text);

    public static async Task Write(HttpContext context, int status, string text)
    {
        context.Response.StatusCode = status;
        await context.Response.WriteAsync(text);
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync();
        var headers = new HeaderDictionary();
        foreach (var (name, value) in context.Request.Headers) headers[name] = value;
        Hits.Enqueue(new Hit(context.Request.Path, context.Request.QueryString.Value ?? "", body, headers));
        await Respond(Interlocked.Increment(ref _count), context);
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}

/// <summary>The webhooks service in development mode (loopback receivers allowed) with a short retry schedule: 200 ms, 400 ms, 400 ms.</summary>
public sealed class DeliveryWebhooksService(ThrowawayPostgres postgres, ThrowawayRabbitMq rabbit) : WebhooksService(postgres, rabbit)
{
    public static readonly TimeSpan[] RetryDelays = [TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(400), TimeSpan.FromMilliseconds(400)];

    public static IReadOnlyDictionary<string, string> TestSettings { get; } = new Dictionary<string, string>
    {
        ["Webhooks:AllowPrivateTargets"] = "true",
        ["Webhooks:Delivery:RetryDelays:0"] = "00:00:00.200",
        ["Webhooks:Delivery:RetryDelays:1"] = "00:00:00.400",
        ["Webhooks:Delivery:RetryDelays:2"] = "00:00:00.400",
        ["Webhooks:Delivery:PollInterval"] = "00:00:00.200",
    };

    // After TestSettings: static initializers run in the order they are written.
    private static readonly SharedService<Program> Delivery = Sharing(TestSettings);

    protected override SharedService<Program> Shared => Delivery;

    /// <summary>Registers an endpoint for <paramref name="url"/> (all event types); returns its id and secret.</summary>
    public static async Task<(Guid Id, string Secret)> EndpointAsync(HttpClient client, string url)
    {
        var created = await RegisterAsync(client, new { url, eventTypes = new[] { "*" } });
        return (created.GetProperty("id").GetGuid(), created.GetProperty("secret").GetString()!);
    }

    /// <summary>Queues a program.launched message for the endpoints, as a consumer does inside its inbox transaction.</summary>
    public async Task<WebhookMessage> EnqueueAsync(object data, params Guid[] endpointIds) => await EnqueueAtAsync(null, data, endpointIds);

    /// <summary>As <see cref="EnqueueAsync"/>, made at <paramref name="at"/> (the service's clock when null).</summary>
    public async Task<WebhookMessage> EnqueueAtAsync(DateTimeOffset? at, object data, params Guid[] endpointIds)
    {
        await using var scope = Service.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<WebhooksDbContext>();
        var now = at ?? scope.ServiceProvider.GetRequiredService<TimeProvider>().GetUtcNow();
        var message = DeliveryQueue.Enqueue(db, WebhookEventType.ProgramLaunched, data, endpointIds, now)!;
        await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        return message;
    }

    /// <summary>Runs SQL on the service's database (to play a crashed dispatcher).</summary>
    public async Task ExecuteSqlAsync(FormattableString sql)
    {
        await using var scope = Service.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<WebhooksDbContext>();
        await Microsoft.EntityFrameworkCore.RelationalDatabaseFacadeExtensions.ExecuteSqlAsync(db.Database, sql, TestContext.Current.CancellationToken);
    }

    /// <summary>The endpoint's delivery of <paramref name="messageId"/> from the log (list page of up to 200).</summary>
    public static async Task<JsonElement?> DeliveryOfAsync(HttpClient client, Guid endpointId, string messageId)
    {
        var page = await SendAsync(client, HttpMethod.Get, $"/api/v1/webhook-endpoints/{endpointId}/deliveries?limit=200", null, HttpStatusCode.OK);
        foreach (var item in page.GetProperty("items").EnumerateArray())
            if (item.GetProperty("messageId").GetString() == messageId) return item;
        return null;
    }

    /// <summary>Waits until the endpoint's delivery of <paramref name="messageId"/> has <paramref name="status"/>; returns it.</summary>
    public static async Task<JsonElement> EventuallyStatusAsync(HttpClient client, Guid endpointId, string messageId, string status, TimeSpan? timeout = null)
    {
        JsonElement found = default;
        await ServiceUnderTest<Program>.EventuallyAsync(async () =>
        {
            if (await DeliveryOfAsync(client, endpointId, messageId) is not { } delivery) return false;
            found = delivery;
            return delivery.GetProperty("status").GetString() == status;
        }, $"the delivery of {messageId} is {status}", timeout);
        return found;
    }
}
