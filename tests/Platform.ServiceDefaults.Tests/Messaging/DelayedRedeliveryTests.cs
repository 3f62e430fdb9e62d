using System.Collections.Concurrent;
using System.Diagnostics;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Platform.OutboxProbe;
using Platform.OutboxProbe.Contracts;
using Platform.ServiceDefaults.Messaging;
using Platform.Testing;

namespace Platform.ServiceDefaults.Tests.Messaging;

public sealed class DelayedRedeliveryTests(ThrowawayPostgres postgres, ThrowawayRabbitMq rabbit)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(45);

    /// <summary>One in-memory retry, then redeliveries after 1 s and 2 s.</summary>
    private static readonly Dictionary<string, string?> Quick = new()
    {
        ["Messaging:RetryLimit"] = "1",
        ["Messaging:RedeliveryIntervals:0"] = "00:00:01",
        ["Messaging:RedeliveryIntervals:1"] = "00:00:02",
    };

    [Fact]
    public async Task A_message_failing_transiently_past_its_in_memory_retries_comes_back_later_and_is_processed_once()
    {
        var broker = await rabbit.CreateVirtualHostAsync();
        await using var service = await ProbeService.StartAsync(await postgres.CreateDatabaseAsync(), broker, bus => bus.AddConsumer<FlakyOrderConsumer>(), Quick);
        var clock = Stopwatch.StartNew();
        // Attempts 1 and 2 (first delivery and its in-memory retry) and 3 (first redelivery) time out; 4 succeeds.
        await service.CommitOrderAsync(FlakyOrderConsumer.FailTransiently(attempts: 3));

        var consumed = await Eventually.ReturnsAsync(() => service.ConsumedAsync(nameof(FlakyOrderConsumer)), c => c.Count >= 1, Patience, "the order consumed");
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(1), $"consumed after {clock.Elapsed}: not delayed");
        var only = Assert.Single(consumed);
        Assert.Equal(4, FlakyOrderConsumer.Attempts(only.Number));
        Assert.Equal(1, FlakyOrderConsumer.RedeliveryHeader(only.Number));
        Assert.True(await BrokerQueues.MessageCountAsync(rabbit.Server, broker, "probe-flaky-order_error") <= 0, "nothing in the error queue (-1: it does not exist)");
        var health = await ErrorQueuesAsync(service);
        Assert.Equal(HealthStatus.Healthy, health.Status);
        Assert.Equal(0L, health.Data["errorMessages"]);
    }

    [Fact]
    public async Task A_message_still_failing_transiently_after_every_delay_is_parked_in_the_error_queue_and_health_shows_it()
    {
        var broker = await rabbit.CreateVirtualHostAsync();
        await using var service = await ProbeService.StartAsync(await postgres.CreateDatabaseAsync(), broker, bus => bus.AddConsumer<FlakyOrderConsumer>(), Quick);
        var number = FlakyOrderConsumer.FailTransiently(attempts: 1000);
        await service.CommitOrderAsync(number);

        var health = await Eventually.ReturnsAsync(() => ErrorQueuesAsync(service), h => h.Status == HealthStatus.Degraded, Patience, "the error queue to show on health");
        Assert.Equal(1L, health.Data["errorMessages"]);
        Assert.Equal(1L, health.Data["probe-flaky-order_error"]);
        // Two deliveries of two attempts each, then two redeliveries: 6 attempts.
        Assert.Equal(6, FlakyOrderConsumer.Attempts(number));
        Assert.Empty(await service.ConsumedAsync(nameof(FlakyOrderConsumer)));
    }

    [Fact]
    public async Task A_message_failing_for_a_non_transient_reason_goes_to_the_error_queue_without_delayed_redelivery()
    {
        var broker = await rabbit.CreateVirtualHostAsync();
        await using var service = await ProbeService.StartAsync(await postgres.CreateDatabaseAsync(), broker, bus => bus.AddConsumer<FlakyOrderConsumer>(), Quick);
        var clock = Stopwatch.StartNew();
        var number = FlakyOrderConsumer.FailPermanently();
        await service.CommitOrderAsync(number);

        await Eventually.ReturnsAsync(() => BrokerQueues.MessageCountAsync(rabbit.Server, broker, "probe-flaky-order_error"), count => count == 1, Patience, "the order in the error queue");
        Assert.Equal(2, FlakyOrderConsumer.Attempts(number)); // the delivery and its one in-memory retry, no redelivery
        Assert.Equal(0, FlakyOrderConsumer.RedeliveryHeader(number));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"took {clock.Elapsed}");
    }

    private static async Task<HealthReportEntry> ErrorQueuesAsync(ProbeService service)
    {
        var report = await service.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(check => check.Name == "error-queues", TestContext.Current.CancellationToken);
        return report.Entries["error-queues"];
    }
}

/// <summary>Fails an order's first attempts as a test asks (a timeout: transient; an InvalidOperationException: not), then records it.</summary>
public sealed class FlakyOrderConsumer(ProbeDbContext dbContext) : IConsumer<OrderPlaced>
{
    private static readonly ConcurrentDictionary<int, int> FailFirst = new();
    private static readonly ConcurrentDictionary<int, int> AttemptCount = new();
    private static readonly ConcurrentDictionary<int, int> LastRedeliveryHeader = new();
    private static readonly ConcurrentDictionary<int, bool> Permanent = new();
    private static int _numbers = 1_000_000;

    public static int FailTransiently(int attempts)
    {
        var number = Interlocked.Increment(ref _numbers);
        FailFirst[number] = attempts;
        return number;
    }

    public static int FailPermanently()
    {
        var number = Interlocked.Increment(ref _numbers);
        Permanent[number] = true;
        return number;
    }

    public static int Attempts(int number) => AttemptCount.GetValueOrDefault(number);

    public static int RedeliveryHeader(int number) => LastRedeliveryHeader.GetValueOrDefault(number);

    public async Task Consume(ConsumeContext<OrderPlaced> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var number = context.Message.Number;
        var attempt = AttemptCount.AddOrUpdate(number, 1, (_, n) => n + 1);
        LastRedeliveryHeader[number] = context.ReceiveContext.TransportHeaders.Get<int>(DelayedRedeliveryFilter.AttemptHeader) ?? 0;
        if (Permanent.ContainsKey(number)) throw new InvalidOperationException($"Order {number} is refused.");
        if (attempt <= FailFirst.GetValueOrDefault(number))
            throw new TimeoutException($"Order {number}: the database did not answer in time.");
        dbContext.ConsumedMessages.Add(new ConsumedMessage { Consumer = nameof(FlakyOrderConsumer), MessageId = context.MessageId!.Value, Number = number, Kind = "Flaky" });
        await dbContext.SaveChangesAsync(context.CancellationToken);
    }
}
