using System.Text.Json;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Platform.OutboxProbe;
using Platform.OutboxProbe.Contracts;
using Platform.Testing;

namespace Platform.ServiceDefaults.Tests.Messaging;

public sealed class InboxTests(ThrowawayPostgres postgres, ThrowawayRabbitMq rabbit)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_message_delivered_many_times_at_once_has_one_effect()
    {
        var broker = await rabbit.CreateVirtualHostAsync();
        await using var service = await ProbeService.StartAsync(await postgres.CreateDatabaseAsync(), broker, ProbeService.RecordOrders);
        var bus = service.Services.GetRequiredService<IBus>();
        var handled = new DeliveryCounter("/probe-order-placed");
        using var observer = bus.ConnectReceiveObserver(handled);

        // The same message (same MessageId) twenty times, as a publisher retrying after lost confirms would send
        // it; eight consumers run concurrently, so copies race each other inside the inbox.
        var messageId = Guid.CreateVersion7();
        var order = new OrderPlaced { OrderId = Guid.NewGuid(), Number = 42 };
        await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => bus.Publish(order, context => context.MessageId = messageId, TestContext.Current.CancellationToken)));

        await Eventually.ReturnsAsync(() => Task.FromResult(handled.Count), count => count == 20, Patience, "all 20 copies handled");
        var consumed = Assert.Single(await service.ConsumedAsync());
        Assert.Equal(messageId, consumed.MessageId);
        Assert.Equal(1, await service.QueryAsync(db => db.InboxRecords.CountAsync(r => r.MessageId == messageId)));
        // The 19 duplicates were acknowledged as done, not moved aside as messages no consumer wanted.
        Assert.Null(await BrokerQueues.FindAsync(rabbit.Server, broker, "probe-order-placed_skipped"));
    }

    [Fact]
    public async Task A_failed_attempt_leaves_nothing_and_the_retry_commits_its_effect_and_its_event_together()
    {
        var broker = await rabbit.CreateVirtualHostAsync();
        await using var acknowledgements = await SpyQueue.BindAsync<OrderAcknowledged>(broker);
        await using var service = await ProbeService.StartAsync(await postgres.CreateDatabaseAsync(), broker, ProbeService.RecordOrdersAndAcknowledgements);

        // The consumer records the order, adds an OrderAcknowledged to the outbox, saves, then throws (first attempt only).
        await service.CommitOrderAsync(1, OrderHandling.FailFirstAttempt);

        var acknowledged = await Eventually.ReturnsAsync(() => service.ConsumedAsync(nameof(OrderAcknowledgedConsumer)), c => c.Count >= 1, Patience, "the acknowledgement consumed");
        Assert.Equal(1, Assert.Single(acknowledged).Number);
        var placed = Assert.Single(await service.ConsumedAsync());
        Assert.Equal(nameof(OrderHandling.FailFirstAttempt), placed.Kind);
        // Only the retry's event was ever committed, so only one reached the broker.
        Assert.Single(await acknowledgements.DrainMessageIdsAsync());
        await Eventually.ReturnsAsync(service.OutboxAsync, rows => rows.Count == 0, Patience, "the outbox to be empty");
    }

    [Fact]
    public async Task A_poison_message_ends_in_the_error_queue_after_its_retries_and_the_stream_flows_on()
    {
        var broker = await rabbit.CreateVirtualHostAsync();
        await using var service = await ProbeService.StartAsync(await postgres.CreateDatabaseAsync(), broker, ProbeService.RecordOrders,
            new Dictionary<string, string?> { ["Messaging:ConcurrentMessageLimit"] = "1" });

        await service.CommitOrdersAsync(Enumerable.Range(1, 5));
        await service.CommitOrderAsync(6, OrderHandling.Poison);
        await service.CommitOrdersAsync(Enumerable.Range(7, 5));

        var consumed = await Eventually.ReturnsAsync(() => service.ConsumedAsync(), c => c.Count >= 10, Patience, "the 10 good orders");
        Assert.Equal([1, 2, 3, 4, 5, 7, 8, 9, 10, 11], consumed.Select(c => c.Number));

        // The management API samples queue counts every few seconds; poll it.
        var inError = await Eventually.ReturnsAsync(() => BrokerQueues.MessageCountAsync(rabbit.Server, broker, "probe-order-placed_error"), count => count >= 1, Patience, "the poison message in probe-order-placed_error");
        Assert.Equal(1, inError);
        Assert.Equal("quorum", (await BrokerQueues.FindAsync(rabbit.Server, broker, "probe-order-placed_error"))!.Value.GetProperty("type").GetString());
        Assert.Equal(10, await service.QueryAsync(db => db.InboxRecords.CountAsync()));
    }

    [Fact]
    public async Task Events_travel_as_camel_case_json_with_enums_as_strings()
    {
        var broker = await rabbit.CreateVirtualHostAsync();
        await using var spy = await SpyQueue.BindAsync<OrderPlaced>(broker);
        await using var service = await ProbeService.StartAsync(await postgres.CreateDatabaseAsync(), broker,
            settings: new Dictionary<string, string?> { ["Messaging:Outbox:DeliveryEnabled"] = "false" });

        await service.CommitOrderAsync(5, OrderHandling.Acknowledge);
        var row = Assert.Single(await service.OutboxAsync());
        Assert.Contains("\"handling\": \"Acknowledge\"", row.Body, StringComparison.Ordinal);
        Assert.Equal("Platform.OutboxProbe.Contracts.OrderPlaced, Platform.OutboxProbe", row.MessageType);

        await using var deliverer = await ProbeService.StartAsync(service.Database, broker);
        var message = Assert.Single(await Eventually.ReturnsAsync(spy.DrainAsync, m => m.Count == 1, Patience, "the event on the wire"));
        Assert.Equal(row.MessageId.ToString(), message.MessageId);
        using var envelope = JsonDocument.Parse(message.Body);
        Assert.Equal("Acknowledge", envelope.RootElement.GetProperty("message").GetProperty("handling").GetString());
    }
}
