using System.Collections.Concurrent;
using System.Diagnostics;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;
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

    [Fact]
    public async Task A_message_whose_inbox_record_cannot_be_written_comes_back_later_and_leaves_no_copy_in_the_skipped_queue()
    {
        var broker = await rabbit.CreateVirtualHostAsync();
        var database = await postgres.CreateDatabaseAsync();
        await using var service = await ProbeService.StartAsync(database, broker, bus => bus.AddConsumer<FlakyOrderConsumer>(), Quick);
        // The inbox fails before the consumer runs (as when the database is away), on the delivery and its in-memory retry.
        await FailFirstInsertsAsync(database, "platform.inbox_records", "true", times: 2);
        var number = FlakyOrderConsumer.FailTransiently(attempts: 0);
        await service.CommitOrderAsync(number);

        var consumed = await Eventually.ReturnsAsync(() => service.ConsumedAsync(nameof(FlakyOrderConsumer)), c => c.Count >= 1, Patience, "the order consumed");
        Assert.Equal(1, FlakyOrderConsumer.RedeliveryHeader(Assert.Single(consumed).Number));
        // The delivery that went to the delay queue was not also taken for one no consumer wanted (the queue is made for the first such copy).
        Assert.Null(await BrokerQueues.FindAsync(rabbit.Server, broker, "probe-flaky-order_skipped"));
        Assert.True(await BrokerQueues.MessageCountAsync(rabbit.Server, broker, "probe-flaky-order_error") <= 0, "nothing in the error queue (-1: it does not exist)");
    }

    [Fact]
    public async Task A_batch_whose_commit_keeps_failing_transiently_is_redelivered_whole_and_no_message_of_it_is_lost()
    {
        var broker = await rabbit.CreateVirtualHostAsync();
        var database = await postgres.CreateDatabaseAsync();
        await using var service = await ProbeService.StartAsync(database, broker, bus => bus.AddConsumer<BatchOrderConsumer>(typeof(BatchOrderConsumerDefinition)), Quick);
        // The consumer returns; then the inbox's save fails (a serialization failure: transient) for the batch's delivery
        // and its in-memory retry, so the batch fails as a whole and each of its messages must come back.
        await FailFirstInsertsAsync(database, "consumed_messages", "NEW.consumer = 'BatchOrderConsumer'", times: 2);
        int[] numbers = [.. Enumerable.Range(0, 3).Select(_ => FlakyOrderConsumer.FailTransiently(attempts: 0))];
        await service.CommitOrdersAsync(numbers);

        var consumed = await Eventually.ReturnsAsync(() => service.ConsumedAsync(nameof(BatchOrderConsumer)), c => c.Count >= numbers.Length, Patience,
            "every order of the batch consumed", service.DescribeAsync);
        Assert.Equal(numbers, consumed.Select(c => c.Number).Order());
        Assert.True(await InsertsTriedAsync(database) > 2, "the batch's save did not fail twice: nothing was tested");
    }

    /// <summary>
    /// The first <paramref name="times"/> inserts into <paramref name="table"/> for which <paramref name="condition"/>
    /// (plpgsql, on <c>NEW</c>) holds fail with a serialization failure, which the platform takes for transient.
    /// </summary>
    private static async Task FailFirstInsertsAsync(string database, string table, string condition, int times)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var trigger = new NpgsqlCommand($"""
            CREATE SEQUENCE failing_inserts;
            CREATE FUNCTION fail_first_inserts() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF {condition} AND nextval('failing_inserts') <= {times} THEN
                    RAISE EXCEPTION 'the insert fails' USING ERRCODE = '40001';
                END IF;
                RETURN NEW;
            END $$;
            CREATE TRIGGER fail_first_inserts BEFORE INSERT ON {table} FOR EACH ROW EXECUTE FUNCTION fail_first_inserts();
            """, connection);
        await trigger.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
    }

    /// <summary>How many inserts <see cref="FailFirstInsertsAsync"/>'s condition matched (failed or not).</summary>
    private static async Task<long> InsertsTriedAsync(string database)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var tried = new NpgsqlCommand("SELECT last_value FROM failing_inserts", connection);
        return (long)(await tried.ExecuteScalarAsync(TestContext.Current.CancellationToken))!;
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

/// <summary>Records each new order of a batch and leaves the save to the inbox, as the services' batch consumers do.</summary>
public sealed class BatchOrderConsumer(ProbeDbContext dbContext, InboxBatch inbox) : IConsumer<Batch<OrderPlaced>>
{
    public Task Consume(ConsumeContext<Batch<OrderPlaced>> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        foreach (var message in inbox.New(context.Message))
            dbContext.ConsumedMessages.Add(new ConsumedMessage { Consumer = nameof(BatchOrderConsumer), MessageId = message.MessageId!.Value, Number = message.Message.Number, Kind = "Batch" });
        return Task.CompletedTask;
    }
}

/// <summary>Batches of up to 3 within 1 s: the test's three orders arrive as one.</summary>
public sealed class BatchOrderConsumerDefinition : ConsumerDefinition<BatchOrderConsumer>
{
    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<BatchOrderConsumer> consumerConfigurator,
        IRegistrationContext context)
    {
        ArgumentNullException.ThrowIfNull(consumerConfigurator);
        consumerConfigurator.Options<BatchOptions>(batch => batch.SetMessageLimit(3).SetTimeLimit(s: 1).SetConcurrencyLimit(1));
    }
}
