using System.Net;
using static Platform.Webhooks.Tests.DeliveryWebhooksService;
using static Platform.Webhooks.Tests.WebhooksService;

namespace Platform.Webhooks.Tests;

/// <summary>Redelivering one delivery or everything since a time: the same webhook-id, due now, also for a disabled endpoint (on enabling).</summary>
public sealed class RedeliveryTests(DeliveryWebhooksService webhooks) : IClassFixture<DeliveryWebhooksService>
{
    [Fact]
    public async Task A_failed_delivery_is_redelivered_with_the_same_webhook_id_and_a_pending_one_is_a_conflict()
    {
        await using var receiver = await DeliveryReceiver.StartAsync(DeliveryReceiver.Answer(500, "broken"));
        var (_, partner) = await webhooks.PartnerAsync();
        using var _ = partner;
        var (endpointId, secret) = await EndpointAsync(partner, receiver.Url);
        var message = await webhooks.EnqueueAsync(new { n = 1 }, endpointId);
        var failed = await EventuallyStatusAsync(partner, endpointId, message.Id, "failed");
        var path = $"/api/v1/webhook-endpoints/{endpointId}/deliveries/{failed.GetProperty("id").GetGuid()}/redeliver";
        receiver.Respond = DeliveryReceiver.Answer(200, "thanks");
        // Disabled for a moment, so the redelivered one stays pending long enough to be asked again.
        await SendAsync(partner, HttpMethod.Post, $"/api/v1/webhook-endpoints/{endpointId}/disable", null, HttpStatusCode.OK);

        var accepted = await SendAsync(partner, HttpMethod.Post, path, null, HttpStatusCode.Accepted);
        Assert.Equal(("pending", message.Id), (accepted.GetProperty("status").GetString(), accepted.GetProperty("messageId").GetString()));
        var conflict = await SendAsync(partner, HttpMethod.Post, path, null, HttpStatusCode.Conflict);
        Assert.Equal("pending", conflict.GetProperty("currentState").GetProperty("status").GetString());

        await SendAsync(partner, HttpMethod.Post, $"/api/v1/webhook-endpoints/{endpointId}/enable", null, HttpStatusCode.OK);

        await EventuallyStatusAsync(partner, endpointId, message.Id, "succeeded");
        var last = receiver.Hits.Last();
        Assert.Equal(message.Id, last.Headers["webhook-id"].ToString());
        new StandardWebhooks.StandardWebhook(secret).Verify(last.Body, last.Headers);
        Assert.All(receiver.Hits, hit => Assert.Equal(message.Body, hit.Body));
    }

    [Fact]
    public async Task Redelivering_since_a_time_sends_the_failed_ones_and_on_request_the_succeeded_ones_too()
    {
        await using var receiver = await DeliveryReceiver.StartAsync(DeliveryReceiver.Answer(200, "thanks"));
        var (_, partner) = await webhooks.PartnerAsync();
        using var _ = partner;
        var (endpointId, _) = await EndpointAsync(partner, receiver.Url);
        var since = DateTimeOffset.UtcNow.AddMinutes(-1);
        var delivered = await webhooks.EnqueueAsync(new { n = 1 }, endpointId);
        await EventuallyStatusAsync(partner, endpointId, delivered.Id, "succeeded");
        receiver.Respond = DeliveryReceiver.Answer(503, "later");
        var lost = await webhooks.EnqueueAsync(new { n = 2 }, endpointId);
        await EventuallyStatusAsync(partner, endpointId, lost.Id, "failed");
        receiver.Respond = DeliveryReceiver.Answer(200, "thanks");
        var path = $"/api/v1/webhook-endpoints/{endpointId}/redeliver";

        var onlyFailed = await SendAsync(partner, HttpMethod.Post, path, new { since }, HttpStatusCode.Accepted);

        Assert.Equal(1, onlyFailed.GetProperty("redelivered").GetInt32());
        await EventuallyStatusAsync(partner, endpointId, lost.Id, "succeeded");

        // A disabled endpoint's redeliveries wait until it is enabled.
        await SendAsync(partner, HttpMethod.Post, $"/api/v1/webhook-endpoints/{endpointId}/disable", null, HttpStatusCode.OK);
        var hitsBefore = receiver.Hits.Count;
        var all = await SendAsync(partner, HttpMethod.Post, path, new { since, includeSucceeded = true }, HttpStatusCode.Accepted);
        Assert.Equal(2, all.GetProperty("redelivered").GetInt32());
        Assert.Equal("pending", (await DeliveryOfAsync(partner, endpointId, delivered.Id))!.Value.GetProperty("status").GetString());
        await SendAsync(partner, HttpMethod.Post, $"/api/v1/webhook-endpoints/{endpointId}/enable", null, HttpStatusCode.OK);
        await EventuallyStatusAsync(partner, endpointId, delivered.Id, "succeeded");
        await EventuallyStatusAsync(partner, endpointId, lost.Id, "succeeded");
        Assert.Equal(hitsBefore + 2, receiver.Hits.Count);
        Assert.Equal(2, receiver.MessageIds.Count(id => id == delivered.Id));
    }

    [Fact]
    public async Task Since_in_the_future_or_beyond_the_retention_is_refused_naming_since()
    {
        var (_, partner) = await webhooks.PartnerAsync();
        using var _ = partner;
        var (endpointId, _) = await EndpointAsync(partner, "http://127.0.0.1:9/hooks");
        var path = $"/api/v1/webhook-endpoints/{endpointId}/redeliver";

        var future = await SendAsync(partner, HttpMethod.Post, path, new { since = DateTimeOffset.UtcNow.AddHours(1) }, HttpStatusCode.BadRequest);
        Assert.NotEmpty(Errors(future, "since"));
        var tooOld = await SendAsync(partner, HttpMethod.Post, path, new { since = DateTimeOffset.UtcNow.AddDays(-31) }, HttpStatusCode.BadRequest);
        Assert.NotEmpty(Errors(tooOld, "since"));
        var missing = await SendAsync(partner, HttpMethod.Post, path, new { includeSucceeded = true }, HttpStatusCode.BadRequest);
        Assert.NotEmpty(Errors(missing, "since"));
    }
}
