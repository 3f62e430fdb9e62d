using System.Net;
using static Platform.Webhooks.Tests.DeliveryWebhooksService;
using static Platform.Webhooks.Tests.WebhooksService;

namespace Platform.Webhooks.Tests;

/// <summary>The delivery log: newest first, cursor paging, filters, and the same visibility as the endpoint.</summary>
public sealed class DeliveryLogTests(DeliveryWebhooksService webhooks) : IClassFixture<DeliveryWebhooksService>
{
    [Fact]
    public async Task The_log_pages_newest_first_with_a_cursor_and_filters_by_status_and_event_type()
    {
        await using var receiver = await DeliveryReceiver.StartAsync();
        var (_, partner) = await webhooks.PartnerAsync();
        using var _ = partner;
        var (endpointId, _) = await EndpointAsync(partner, receiver.Url);
        var messages = new List<string>();
        for (var i = 0; i < 3; i++) messages.Add((await webhooks.EnqueueAsync(new { n = i }, endpointId)).Id);
        foreach (var id in messages) await EventuallyStatusAsync(partner, endpointId, id, "succeeded");
        var path = $"/api/v1/webhook-endpoints/{endpointId}/deliveries";

        var first = await SendAsync(partner, HttpMethod.Get, $"{path}?limit=2", null, HttpStatusCode.OK);
        var cursor = first.GetProperty("nextCursor").GetString();
        Assert.NotNull(cursor);
        var second = await SendAsync(partner, HttpMethod.Get, $"{path}?limit=2&cursor={Uri.EscapeDataString(cursor)}", null, HttpStatusCode.OK);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, second.GetProperty("nextCursor").ValueKind);
        var order = first.GetProperty("items").EnumerateArray().Concat(second.GetProperty("items").EnumerateArray())
            .Select(d => d.GetProperty("messageId").GetString()!).ToList();
        Assert.Equal(Enumerable.Reverse(messages), order);

        Assert.Equal(3, (await SendAsync(partner, HttpMethod.Get, $"{path}?status=succeeded", null, HttpStatusCode.OK)).GetProperty("items").GetArrayLength());
        Assert.Equal(0, (await SendAsync(partner, HttpMethod.Get, $"{path}?status=failed", null, HttpStatusCode.OK)).GetProperty("items").GetArrayLength());
        Assert.Equal(3, (await SendAsync(partner, HttpMethod.Get, $"{path}?eventType=program.launched", null, HttpStatusCode.OK)).GetProperty("items").GetArrayLength());
        Assert.Equal(0, (await SendAsync(partner, HttpMethod.Get, $"{path}?eventType=event.scheduled", null, HttpStatusCode.OK)).GetProperty("items").GetArrayLength());
        var refused = await SendAsync(partner, HttpMethod.Get, $"{path}?status=lost", null, HttpStatusCode.BadRequest);
        Assert.NotEmpty(Errors(refused, "status"));
    }

    [Fact]
    public async Task Another_organizations_log_is_not_found_and_the_operator_sees_every_log()
    {
        await using var receiver = await DeliveryReceiver.StartAsync();
        var (_, owner) = await webhooks.PartnerAsync();
        var (_, other) = await webhooks.PartnerAsync();
        using var _ = owner;
        using var __ = other;
        using var operatorClient = webhooks.Operator();
        var (endpointId, _) = await EndpointAsync(owner, receiver.Url);
        var (otherEndpointId, _) = await EndpointAsync(other, receiver.Url);
        var message = await webhooks.EnqueueAsync(new { n = 1 }, endpointId);
        var deliveryId = (await EventuallyStatusAsync(owner, endpointId, message.Id, "succeeded")).GetProperty("id").GetGuid();

        await SendAsync(other, HttpMethod.Get, $"/api/v1/webhook-endpoints/{endpointId}/deliveries", null, HttpStatusCode.NotFound);
        await SendAsync(other, HttpMethod.Get, $"/api/v1/webhook-endpoints/{endpointId}/deliveries/{deliveryId}", null, HttpStatusCode.NotFound);
        await SendAsync(other, HttpMethod.Post, $"/api/v1/webhook-endpoints/{endpointId}/deliveries/{deliveryId}/redeliver", null, HttpStatusCode.NotFound);
        await SendAsync(other, HttpMethod.Post, $"/api/v1/webhook-endpoints/{endpointId}/redeliver", new { since = DateTimeOffset.UtcNow.AddHours(-1) },
            HttpStatusCode.NotFound);
        // Its own endpoint's id with the other's delivery id: not that endpoint's delivery.
        await SendAsync(other, HttpMethod.Get, $"/api/v1/webhook-endpoints/{otherEndpointId}/deliveries/{deliveryId}", null, HttpStatusCode.NotFound);

        var seen = await SendAsync(operatorClient, HttpMethod.Get, $"/api/v1/webhook-endpoints/{endpointId}/deliveries/{deliveryId}", null, HttpStatusCode.OK);
        Assert.Equal(message.Id, seen.GetProperty("messageId").GetString());
        Assert.Single(seen.GetProperty("attempts").EnumerateArray());
    }
}
