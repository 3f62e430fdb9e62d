using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using StandardWebhooks;

namespace Platform.EndToEnd.Tests;

/// <summary>A partner's system hears of its membership approval by webhook, across membership, RabbitMQ and the webhooks service.</summary>
public sealed class WebhookDeliveryTests(RunningAppHost platform)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_approved_membership_reaches_the_organization_s_receiver_signed_and_shows_as_delivered_in_its_log()
    {
        await using var receiver = await Receiver.StartAsync();
        using var membership = platform.Operator("membership");
        var organization = await PostAsync(membership, "/api/v1/organizations",
            new { name = $"Tai'an Technician College (e2e {Guid.NewGuid():N})", kind = "technicianCollege", region = "Shandong/Tai'an" });
        var organizationId = organization.GetProperty("id").GetString()!;
        var consortium = await PostAsync(membership, "/api/v1/consortia",
            new { name = $"Tai'an Vocational Education Group (e2e {Guid.NewGuid():N})", kind = "vocationalEducationGroup", region = "Shandong/Tai'an" });
        var consortiumId = consortium.GetProperty("id").GetString()!;
        var key = await PostAsync(membership, $"/api/v1/organizations/{organizationId}/api-clients", new { name = "College SIS webhooks", scopes = new[] { "webhooks:manage" } });

        // The college's system registers its receiver with its own key, once the key has reached the webhooks service.
        using var webhooks = platform.App.CreateHttpClient("webhooks");
        webhooks.DefaultRequestHeaders.Add("X-Api-Key", key.GetProperty("key").GetString());
        JsonElement endpoint = default;
        await EventuallyAsync(async () =>
        {
            using var registered = await webhooks.PostAsJsonAsync("/api/v1/webhook-endpoints",
                new { url = $"{receiver.BaseAddress}hooks", eventTypes = new[] { "membership.activated" }, description = "College SIS" }, Cancel);
            if (!registered.IsSuccessStatusCode) return false;
            endpoint = await registered.Content.ReadFromJsonAsync<JsonElement>(Cancel);
            return true;
        }, "the college's key reaching the webhooks service");

        var application = await PostAsync(membership, $"/api/v1/consortia/{consortiumId}/memberships", new { organizationId });
        await PostAsync(membership, $"/api/v1/consortia/{consortiumId}/memberships/{application.GetProperty("id").GetString()}/approve",
            new { reason = "Charter signed at the founding meeting" });

        await EventuallyAsync(() => Task.FromResult(!receiver.Hits.IsEmpty), "the approval reaching the receiver");
        var hit = Assert.Single(receiver.Hits);
        // Verified as a partner would, with the StandardWebhooks library and the secret shown at registration.
        new StandardWebhook(endpoint.GetProperty("secret").GetString()!).Verify(hit.Body, hit.Headers);
        using var body = JsonDocument.Parse(hit.Body);
        Assert.Equal("membership.activated", body.RootElement.GetProperty("type").GetString());
        var data = body.RootElement.GetProperty("data");
        Assert.Equal((consortiumId, organizationId), (data.GetProperty("consortiumId").GetString(), data.GetProperty("organizationId").GetString()));
        // The organization's own copy carries the reason (membership keeps reasons from everyone else).
        Assert.Equal("Charter signed at the founding meeting", data.GetProperty("reason").GetString());

        var endpointId = endpoint.GetProperty("id").GetString();
        await EventuallyAsync(async () =>
        {
            var log = await webhooks.GetFromJsonAsync<JsonElement>($"/api/v1/webhook-endpoints/{endpointId}/deliveries", Cancel);
            var delivery = log.GetProperty("items").EnumerateArray().SingleOrDefault();
            return delivery.ValueKind == JsonValueKind.Object && delivery.GetProperty("status").GetString() == "succeeded"
                && delivery.GetProperty("messageId").GetString() == hit.Headers["webhook-id"].ToString();
        }, "the delivery log showing the delivery as succeeded under its webhook-id");
    }

    private static async Task<JsonElement> PostAsync(HttpClient client, string path, object body)
    {
        using var response = await client.PostAsJsonAsync(path, body, Cancel);
        var text = await response.Content.ReadAsStringAsync(Cancel);
        Assert.True(response.IsSuccessStatusCode, $"POST {path} answered {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private static async Task EventuallyAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Not within 30 s: {what}.");
            await Task.Delay(200, Cancel);
        }
    }

    /// <summary>The college's receiver: Kestrel on loopback, answering 200 and keeping what arrived.</summary>
    private sealed class Receiver : IAsyncDisposable
    {
        private readonly WebApplication _app;

        private Receiver(WebApplication app) => _app = app;

        public ConcurrentQueue<(string Body, IHeaderDictionary Headers)> Hits { get; } = new();

        public Uri BaseAddress => new(_app.Urls.First() + "/");

        public static async Task<Receiver> StartAsync()
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            var app = builder.Build();
            var receiver = new Receiver(app);
            app.MapPost("/hooks", async (HttpRequest request) =>
            {
                using var reader = new StreamReader(request.Body);
                var body = await reader.ReadToEndAsync();
                receiver.Hits.Enqueue((body, new HeaderDictionary(request.Headers.ToDictionary(h => h.Key, h => h.Value, StringComparer.OrdinalIgnoreCase))));
                return Results.Ok();
            });
            await app.StartAsync();
            return receiver;
        }

        public async ValueTask DisposeAsync() => await _app.DisposeAsync();
    }
}
