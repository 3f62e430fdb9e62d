using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using StandardWebhooks;
using static Platform.Webhooks.Tests.WebhooksService;

namespace Platform.Webhooks.Tests;

/// <summary>A partner's receiver on this machine (Kestrel), as the partner would write it: it verifies with the StandardWebhooks library.</summary>
public sealed class Receiver : IAsyncDisposable
{
    public sealed record Received(string Path, string Body, HeaderDictionary Headers);

    private readonly WebApplication _app;

    public ConcurrentQueue<Received> Requests { get; } = new();

    private Receiver(WebApplication app) => _app = app;

    public Uri BaseAddress => new(_app.Urls.First());

    public static async Task<Receiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var receiver = new Receiver(app);
        app.MapPost("/hooks", async (HttpRequest request) => await receiver.RecordAsync(request, StatusCodes.Status200OK, "thanks"));
        app.MapPost("/moved", (HttpRequest request) => Results.Redirect("/hooks"));
        app.MapPost("/failing", async (HttpRequest request) => await receiver.RecordAsync(request, StatusCodes.Status503ServiceUnavailable, new string('x', 100_000)));
        await app.StartAsync(TestContext.Current.CancellationToken);
        return receiver;
    }

    private async Task<IResult> RecordAsync(HttpRequest request, int status, string answer)
    {
        using var reader = new StreamReader(request.Body);
        var body = await reader.ReadToEndAsync();
        var headers = new HeaderDictionary();
        foreach (var (name, value) in request.Headers) headers[name] = value;
        Requests.Enqueue(new Received(request.Path, body, headers));
        return Results.Text(answer, statusCode: status);
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}

/// <summary>POST .../test: a signed webhook.test delivery sent now to a real receiver (development mode, so loopback is allowed).</summary>
public sealed class TestDeliveryTests(DevelopmentWebhooksService webhooks) : IClassFixture<DevelopmentWebhooksService>
{
    [Fact]
    public async Task A_test_delivery_reaches_the_receiver_signed_with_both_secrets_after_a_rotation()
    {
        await using var receiver = await Receiver.StartAsync();
        var (organizationId, partner) = await webhooks.PartnerAsync();
        using var _ = partner;
        var created = await RegisterAsync(partner, new { url = new Uri(receiver.BaseAddress, "/hooks").ToString(), eventTypes = new[] { "*" } });
        var id = created.GetProperty("id").GetGuid();
        var oldSecret = created.GetProperty("secret").GetString()!;
        var newSecret = (await SendAsync(partner, HttpMethod.Post, $"/api/v1/webhook-endpoints/{id}/rotate-secret", null, HttpStatusCode.OK))
            .GetProperty("secret").GetString()!;

        var answer = await SendAsync(partner, HttpMethod.Post, $"/api/v1/webhook-endpoints/{id}/test", null, HttpStatusCode.OK);

        Assert.True(answer.GetProperty("succeeded").GetBoolean());
        Assert.Equal(200, answer.GetProperty("statusCode").GetInt32());
        Assert.Equal("thanks", answer.GetProperty("responseSnippet").GetString());
        Assert.InRange(answer.GetProperty("durationMs").GetInt64(), 0, 10_000);
        var received = Assert.Single(receiver.Requests);
        Assert.Equal(answer.GetProperty("messageId").GetString(), received.Headers["webhook-id"].ToString());
        new StandardWebhook(newSecret).Verify(received.Body, received.Headers);
        Verification.VerifyAnySignature(oldSecret, received.Body, received.Headers);
        using var body = System.Text.Json.JsonDocument.Parse(received.Body);
        Assert.Equal("webhook.test", body.RootElement.GetProperty("type").GetString());
        Assert.Equal(id, body.RootElement.GetProperty("data").GetProperty("endpointId").GetGuid());
        Assert.Equal(organizationId, body.RootElement.GetProperty("data").GetProperty("organizationId").GetGuid());
    }

    [Fact]
    public async Task A_redirect_is_reported_and_not_followed()
    {
        await using var receiver = await Receiver.StartAsync();
        var (_, partner) = await webhooks.PartnerAsync();
        using var _ = partner;
        var id = (await RegisterAsync(partner, new { url = new Uri(receiver.BaseAddress, "/moved").ToString(), eventTypes = new[] { "*" } })).GetProperty("id").GetGuid();

        var answer = await SendAsync(partner, HttpMethod.Post, $"/api/v1/webhook-endpoints/{id}/test", null, HttpStatusCode.OK);

        Assert.False(answer.GetProperty("succeeded").GetBoolean());
        Assert.Equal(302, answer.GetProperty("statusCode").GetInt32());
        Assert.Empty(receiver.Requests);
    }

    [Fact]
    public async Task A_failing_receiver_is_reported_with_its_status_and_the_start_of_its_answer()
    {
        await using var receiver = await Receiver.StartAsync();
        var (_, partner) = await webhooks.PartnerAsync();
        using var _ = partner;
        var id = (await RegisterAsync(partner, new { url = new Uri(receiver.BaseAddress, "/failing").ToString(), eventTypes = new[] { "*" } })).GetProperty("id").GetGuid();

        var answer = await SendAsync(partner, HttpMethod.Post, $"/api/v1/webhook-endpoints/{id}/test", null, HttpStatusCode.OK);

        Assert.False(answer.GetProperty("succeeded").GetBoolean());
        Assert.Equal(503, answer.GetProperty("statusCode").GetInt32());
        Assert.Equal(1000, answer.GetProperty("responseSnippet").GetString()!.Length);
    }

    [Fact]
    public async Task A_receiver_that_is_not_listening_is_reported_as_an_error()
    {
        int port;
        using (var probe = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }
        var (_, partner) = await webhooks.PartnerAsync();
        using var _ = partner;
        var id = (await RegisterAsync(partner, new { url = $"http://127.0.0.1:{port}/hooks", eventTypes = new[] { "*" } })).GetProperty("id").GetGuid();

        var answer = await SendAsync(partner, HttpMethod.Post, $"/api/v1/webhook-endpoints/{id}/test", null, HttpStatusCode.OK);

        Assert.False(answer.GetProperty("succeeded").GetBoolean());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, answer.GetProperty("statusCode").ValueKind);
        Assert.False(string.IsNullOrEmpty(answer.GetProperty("error").GetString()));
    }

    [Fact]
    public async Task Even_in_development_plain_http_goes_only_to_loopback()
    {
        var (_, partner) = await webhooks.PartnerAsync();
        using var _ = partner;
        var refused = await RegisterAsync(partner, new { url = "http://93.184.215.14/hooks", eventTypes = new[] { "*" } }, HttpStatusCode.BadRequest);
        Assert.NotEmpty(Errors(refused, "url"));
    }
}
