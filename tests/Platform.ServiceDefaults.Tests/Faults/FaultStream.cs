using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;
using Platform.OutboxProbe;
using Platform.ServiceDefaults.Messaging;
using Platform.OutboxProbe.Contracts;
using Platform.ServiceDefaults.Tests.Messaging;

namespace Platform.ServiceDefaults.Tests.Faults;

/// <summary>
/// The load of a fault test: a producer service commits orders (each with its OrderPlaced, through the outbox);
/// a consumer service records each order and answers with an OrderAcknowledged (through its own outbox) that the
/// producer records. So both services publish and consume. At the end every accepted order must be recorded
/// exactly once on each side, and nothing may wait in an outbox or an error queue.
/// </summary>
internal sealed class FaultStream(ProbeService producer, int committed = 0)
{
    private int _committed = committed;

    /// <summary>Orders committed so far (numbers 1..Committed).</summary>
    public int Committed => _committed;

    /// <summary>Settings for both sides: quick in-memory retries, then delayed redeliveries covering a ~75 s outage.</summary>
    public static Dictionary<string, string?> Settings(params (string Key, string Value)[] more)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Messaging:RedeliveryIntervals:0"] = "00:00:01",
            ["Messaging:RedeliveryIntervals:1"] = "00:00:03",
            ["Messaging:RedeliveryIntervals:2"] = "00:00:10",
            ["Messaging:RedeliveryIntervals:3"] = "00:00:20",
            ["Messaging:RedeliveryIntervals:4"] = "00:00:40",
            ["Messaging:Outbox:PublishTimeout"] = "00:00:02",
            ["Messaging:Outbox:BrokerRetryMinDelay"] = "00:00:00.200",
            ["Messaging:Outbox:BrokerRetryMaxDelay"] = "00:00:01",
        };
        foreach (var (key, value) in more) settings[key] = value;
        return settings;
    }

    /// <summary>Commits <paramref name="count"/> orders, one transaction each.</summary>
    public async Task CommitAsync(int count)
    {
        for (var i = 0; i < count; i++) await producer.CommitOrderAsync(++_committed, OrderHandling.Acknowledge);
    }

    /// <summary>Commits an order every <paramref name="pace"/> until <paramref name="until"/> completes; returns how many.</summary>
    public async Task<int> CommitUntilAsync(Task until, TimeSpan pace)
    {
        var before = _committed;
        while (!until.IsCompleted)
        {
            await producer.CommitOrderAsync(++_committed, OrderHandling.Acknowledge);
            await Task.Delay(pace, TestContext.Current.CancellationToken);
        }
        await until;
        return _committed - before;
    }

    /// <summary>
    /// Waits until every committed order was recorded by the consumer and acknowledged back, then checks: none lost,
    /// none duplicated, both outboxes empty, both error queues empty. Returns the time it took.
    /// </summary>
    public async Task<TimeSpan> AssertConvergedAsync(Func<Task<List<ConsumedMessage>>> consumerRecords, Func<Task<int>> consumerOutbox,
        Uri vhost, string consumerQueue, TimeSpan patience, Func<string>? consumerLog = null, Func<Task<string>>? missing = null)
    {
        var clock = Stopwatch.StartNew();
        var expected = Enumerable.Range(1, _committed).ToList();
        var consumed = await Eventually.ReturnsAsync(consumerRecords, c => c.Count >= _committed, patience,
            $"all {_committed} orders recorded by the consumer", async () => $"{(await consumerRecords()).Count} recorded; {await QueueDepthAsync(vhost, consumerQueue)} waiting in {consumerQueue}, " +
                $"{await QueueDepthAsync(vhost, consumerQueue + "_error")} in its error queue, {await QueueDepthAsync(vhost, consumerQueue + "_skipped")} in its skipped queue, " +
                $"{await RedeliveryDepthsAsync(vhost)}; " +
                $"producer {await producer.DescribeAsync()}{(missing is null ? "" : "; " + await missing())}" +
                $"{(consumerLog is null ? "" : Environment.NewLine + "consumer log:" + Environment.NewLine + consumerLog())}");
        var acknowledged = await Eventually.ReturnsAsync(() => producer.ConsumedAsync(nameof(OrderAcknowledgedConsumer)), c => c.Count >= _committed, patience,
            $"all {_committed} acknowledgements recorded by the producer");
        await Eventually.ReturnsAsync(producer.OutboxAsync, rows => rows.Count == 0, patience, "the producer's outbox empty");
        await Eventually.ReturnsAsync(consumerOutbox, rows => rows == 0, patience, "the consumer's outbox empty");
        var converged = clock.Elapsed;

        // Settle, then count again: a late duplicate would show now.
        await Task.Delay(1000, TestContext.Current.CancellationToken);
        consumed = await consumerRecords();
        acknowledged = await producer.ConsumedAsync(nameof(OrderAcknowledgedConsumer));
        Assert.Equal(expected, consumed.Select(c => c.Number).Order());
        Assert.Equal(_committed, consumed.Select(c => c.MessageId).Distinct().Count());
        Assert.Equal(expected, acknowledged.Select(c => c.Number).Order());
        Assert.Equal(_committed, acknowledged.Select(c => c.MessageId).Distinct().Count());
        foreach (var queue in new[] { consumerQueue + "_error", "producer-order-acknowledged_error" })
        {
            var inError = await QueueDepthAsync(vhost, queue);
            Assert.True(inError == 0, $"{inError} message(s) in {queue}");
        }
        return converged;
    }

    /// <summary>Messages in a queue right now (a passive declaration; 0 when it does not exist).</summary>
    public static async Task<long> QueueDepthAsync(Uri vhost, string queue)
    {
        await using var connection = await new ConnectionFactory { Uri = vhost }.CreateConnectionAsync(TestContext.Current.CancellationToken);
        await using var channel = await connection.CreateChannelAsync(cancellationToken: TestContext.Current.CancellationToken);
        try
        {
            return (await channel.QueueDeclarePassiveAsync(queue, TestContext.Current.CancellationToken)).MessageCount;
        }
        catch (OperationInterruptedException exception) when (exception.ShutdownReason?.ReplyCode == 404)
        {
            return 0;
        }
    }

    /// <summary>Where a message waits between delayed redeliveries (Settings' intervals).</summary>
    public static IReadOnlyList<string> RedeliveryQueues { get; } =
        [.. new[] { 1, 3, 10, 20, 40 }.Select(seconds => DelayedRedeliveryFilter.DelayExchangeName(TimeSpan.FromSeconds(seconds)))];

    private static async Task<string> RedeliveryDepthsAsync(Uri vhost)
    {
        var depths = new List<string>();
        foreach (var queue in RedeliveryQueues)
            depths.Add($"{await QueueDepthAsync(vhost, queue)} in {queue}");
        return string.Join(", ", depths);
    }

    public static void Report(string line) => TestContext.Current.TestOutputHelper?.WriteLine(line);

    public static Task<List<ConsumedMessage>> RecordsIn(string database) =>
        ProbeDatabase.QueryAsync(database, db => db.ConsumedMessages.AsNoTracking().Where(c => c.Consumer == nameof(OrderPlacedConsumer)).OrderBy(c => c.Id).ToListAsync());

    public static Task<int> OutboxCountIn(string database) => ProbeDatabase.QueryAsync(database, db => db.OutboxMessages.CountAsync());

    /// <summary>
    /// For a failure message: the order numbers the consumer has not recorded, and how many inbox records its endpoint
    /// holds — more inbox records than recorded orders would mean a message was marked processed without its effect.
    /// </summary>
    public async Task<string> MissingInAsync(string database, string consumerQueue)
    {
        var numbers = (await RecordsIn(database)).Select(c => c.Number).ToHashSet();
        var missing = Enumerable.Range(1, _committed).Where(n => !numbers.Contains(n)).Take(10).ToList();
        var inbox = await ProbeDatabase.QueryAsync(database, db => db.Database
            .SqlQuery<int>($"SELECT count(*)::int AS \"Value\" FROM platform.inbox_records WHERE consumer = {consumerQueue}").SingleAsync());
        return $"missing order numbers: [{string.Join(", ", missing)}]; {inbox} inbox records for {consumerQueue}";
    }
}
