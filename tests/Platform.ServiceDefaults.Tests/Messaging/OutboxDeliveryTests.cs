using System.Diagnostics;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Platform.OutboxProbe.Contracts;
using Platform.ServiceDefaults.Messaging;
using Npgsql;
using Platform.ServiceDefaults.Persistence;
using Platform.Testing;

namespace Platform.ServiceDefaults.Tests.Messaging;

public sealed class OutboxDeliveryTests(ThrowawayPostgres postgres, ThrowawayRabbitMq rabbit)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Events_are_consumed_once_each_in_commit_order_without_waiting_for_the_sweep()
    {
        // One consumer at a time, so the consumer's order is the broker's order; a one-hour sweep, so only the
        // commit interceptor's wake-up can get the events out within the test's patience.
        var broker = await rabbit.CreateVirtualHostAsync();
        await using var spy = await SpyQueue.BindAsync<OrderPlaced>(broker);
        await using var service = await ProbeService.StartAsync(
            await postgres.CreateDatabaseAsync(), broker, ProbeService.RecordOrders,
            new Dictionary<string, string?> { ["Messaging:ConcurrentMessageLimit"] = "1", ["Messaging:Outbox:SweepInterval"] = "01:00:00" });

        var committed = new List<Guid>();
        for (var batch = 0; batch < 25; batch++)
            committed.AddRange(await service.CommitOrdersAsync(Enumerable.Range((batch * 10) + 1, 10)));

        var consumed = await Eventually.ReturnsAsync(() => service.ConsumedAsync(), c => c.Count >= 250, Patience, "250 orders consumed");
        Assert.Equal(committed.Select(id => id.ToString()), await spy.DrainMessageIdsAsync());
        Assert.Equal(Enumerable.Range(1, 250), consumed.Select(c => c.Number));
        Assert.Equal(committed, consumed.Select(c => c.MessageId));
        await Eventually.ReturnsAsync(service.OutboxAsync, rows => rows.Count == 0, Patience, "the outbox to be empty");
        Assert.Equal(250, await service.QueryAsync(db => db.InboxRecords.CountAsync()));
        // No batch was stopped on the way: with a healthy broker every publish goes out at its first attempt.
        Assert.Empty(service.Problems);
    }

    [Fact]
    public async Task A_burst_in_an_outbox_whose_statistics_say_it_is_empty_is_claimed_through_the_primary_key_one_batch_at_a_time()
    {
        var cancel = TestContext.Current.CancellationToken;
        // Delivery off, so the burst stays; the table analyzed while empty, as an idle outbox is.
        await using var service = await ProbeService.StartAsync(await postgres.CreateDatabaseAsync(), await rabbit.CreateVirtualHostAsync(),
            settings: new Dictionary<string, string?> { ["Messaging:Outbox:DeliveryEnabled"] = "false" });
        await using var connection = new NpgsqlConnection(service.Database);
        await connection.OpenAsync(cancel);
        await using (var analyze = new NpgsqlCommand("ANALYZE platform.outbox_messages", connection)) await analyze.ExecuteNonQueryAsync(cancel);
        await using (var burst = new NpgsqlCommand("""
            INSERT INTO platform.outbox_messages (message_id, message_type, body, created_at, attempts)
            SELECT gen_random_uuid(), 'Platform.OutboxProbe.Contracts.OrderPlaced, Platform.OutboxProbe.Contracts',
                   jsonb_build_object('number', n, 'note', repeat('x', 200)), now(), 0
              FROM generate_series(1, 20000) AS n
            """, connection)) await burst.ExecuteNonQueryAsync(cancel);

        // The worker's transaction, and its claim of a batch of 100, as PostgreSQL runs it.
        await using var transaction = await connection.BeginTransactionAsync(cancel);
        foreach (var setting in OutboxDeliveryWorker.TransactionSettings)
            await using (var set = new NpgsqlCommand(setting, connection, transaction)) await set.ExecuteNonQueryAsync(cancel);
        await using var explain = new NpgsqlCommand($"EXPLAIN (ANALYZE, FORMAT JSON) {OutboxDeliveryWorker.ClaimSql}", connection, transaction);
        explain.Parameters.Add(new NpgsqlParameter { Value = 100 });
        using var plan = JsonDocument.Parse((string)(await explain.ExecuteScalarAsync(cancel))!);

        var nodes = Nodes(plan.RootElement[0].GetProperty("Plan")).ToList();
        // Without the settings PostgreSQL read all 20,000 rows and sorted them, bodies included, for every batch.
        Assert.DoesNotContain(nodes, node => node.Type is "Seq Scan" or "Sort");
        var scan = Assert.Single(nodes, node => node.Type == "Index Scan");
        Assert.Equal(100, scan.Rows);

        static IEnumerable<(string Type, double Rows)> Nodes(JsonElement node)
        {
            yield return (node.GetProperty("Node Type").GetString()!, node.GetProperty("Actual Rows").GetDouble());
            if (!node.TryGetProperty("Plans", out var children)) yield break;
            foreach (var child in children.EnumerateArray())
                foreach (var descendant in Nodes(child)) yield return descendant;
        }
    }

    [Fact]
    public async Task The_request_trace_is_stored_with_the_event_and_continued_by_the_consumer()
    {
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is MessagingTelemetry.SourceName or MessagingTelemetry.MassTransitSourceName or "Platform.Tests",
            Sample = (ref _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(listener);
        using var testSource = new ActivitySource("Platform.Tests");
        var database = await postgres.CreateDatabaseAsync();
        var broker = await rabbit.CreateVirtualHostAsync();

        // The "request": writes the event while its span is current, on an instance that does not deliver.
        ActivityTraceId requestTrace;
        await using (var writer = await ProbeService.StartAsync(database, broker, settings: new Dictionary<string, string?> { ["Messaging:Outbox:DeliveryEnabled"] = "false" }))
        {
            using (var request = testSource.StartActivity("POST /orders", ActivityKind.Server))
            {
                Assert.NotNull(request);
                requestTrace = request.TraceId;
                await writer.CommitOrderAsync(7);
                var row = Assert.Single(await writer.OutboxAsync());
                Assert.Equal(request.Id, row.TraceParent);
            }
        }

        // Another instance delivers it; the consumer's span belongs to the request's trace.
        await using var deliverer = await ProbeService.StartAsync(database, broker, ProbeService.RecordOrders);
        var consumed = await Eventually.ReturnsAsync(() => deliverer.ConsumedAsync(), c => c.Count == 1, Patience, "the order consumed");
        Assert.Equal(requestTrace.ToHexString(), consumed[0].TraceId);
    }

    [Fact]
    public async Task A_row_of_an_unknown_type_is_set_aside_and_the_rows_behind_it_are_delivered()
    {
        await using var service = await ProbeService.StartAsync(
            await postgres.CreateDatabaseAsync(), await rabbit.CreateVirtualHostAsync(), ProbeService.RecordOrders,
            new Dictionary<string, string?> { ["Messaging:ConcurrentMessageLimit"] = "1" });

        // Written by a build that had this type; this build does not. Not an AddIntegrationEvent, so it wakes no one:
        // the next commit's wake-up finds it first in line.
        await service.QueryAsync(async db =>
        {
            db.OutboxMessages.Add(new OutboxMessage { MessageId = Guid.CreateVersion7(), MessageType = "Platform.Retired.OrderShipped, Platform.Retired", Body = "{}", CreatedAt = DateTimeOffset.UtcNow });
            return await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        });
        await service.CommitOrdersAsync(Enumerable.Range(1, 20));

        var consumed = await Eventually.ReturnsAsync(() => service.ConsumedAsync(), c => c.Count >= 20, Patience, "the 20 orders behind the unknown row");
        Assert.Equal(Enumerable.Range(1, 20), consumed.Select(c => c.Number));

        var stuck = Assert.Single(await Eventually.ReturnsAsync(service.OutboxAsync, rows => rows.Count == 1, Patience, "only the unknown row left"));
        Assert.Equal(1, stuck.Attempts);
        Assert.Contains("Unknown message type 'Platform.Retired.OrderShipped", stuck.LastError, StringComparison.Ordinal);
        Assert.True(stuck.NextAttemptAt > DateTimeOffset.UtcNow.AddSeconds(30), $"retry set for {stuck.NextAttemptAt}");

        // And the operator sees it.
        var health = await service.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(c => c.Name == "outbox", TestContext.Current.CancellationToken);
        var outbox = health.Entries["outbox"];
        Assert.Equal(1L, outbox.Data["pendingMessages"]);
        Assert.Equal(1L, outbox.Data["failingMessages"]);
    }

    [Fact]
    public async Task Two_instances_on_one_database_publish_each_message_exactly_once()
    {
        var database = await postgres.CreateDatabaseAsync();
        var broker = await rabbit.CreateVirtualHostAsync();
        await using var spy = await SpyQueue.BindAsync<OrderPlaced>(broker);
        var small = new Dictionary<string, string?> { ["Messaging:Outbox:BatchSize"] = "10" };
        await using var first = await ProbeService.StartAsync(database, broker, settings: small);
        await using var second = await ProbeService.StartAsync(database, broker, settings: small);

        // Both instances commit (and so both wake their worker) at the same time.
        async Task<List<Guid>> CommitEach(ProbeService service, IEnumerable<int> numbers)
        {
            var ids = new List<Guid>();
            foreach (var number in numbers) ids.AddRange(await service.CommitOrderAsync(number));
            return ids;
        }
        var committed = await Task.WhenAll(CommitEach(first, Enumerable.Range(1, 150)), CommitEach(second, Enumerable.Range(151, 150)));

        await Eventually.ReturnsAsync(first.OutboxAsync, rows => rows.Count == 0, Patience, "the outbox to be empty");
        // Rows are deleted only after their confirm, so everything published is in the spy queue by now.
        var published = await spy.DrainMessageIdsAsync();
        Assert.Equal(300, published.Count);
        Assert.Equal(committed.SelectMany(ids => ids).Select(id => id.ToString()).Order(), published.Order());
    }

    [Fact]
    public async Task Health_reports_the_bus_and_a_backlog_above_the_threshold()
    {
        await using var service = await ProbeService.StartAsync(
            await postgres.CreateDatabaseAsync(), await rabbit.CreateVirtualHostAsync(),
            settings: new Dictionary<string, string?> { ["Messaging:Outbox:DeliveryEnabled"] = "false", ["Messaging:Outbox:DegradedCount"] = "3" });
        var health = service.Services.GetRequiredService<HealthCheckService>();

        var ready = await Eventually.ReturnsAsync(
            () => health.CheckHealthAsync(c => c.Tags.Contains("ready"), TestContext.Current.CancellationToken),
            report => report.Status == HealthStatus.Healthy, Patience, "ready to be healthy");
        Assert.Contains("messaging-bus", ready.Entries.Keys);
        Assert.Equal(0L, ready.Entries["outbox"].Data["pendingMessages"]);

        await service.CommitOrdersAsync([1, 2, 3]);
        var backlog = await health.CheckHealthAsync(c => c.Tags.Contains("ready"), TestContext.Current.CancellationToken);
        Assert.Equal(HealthStatus.Degraded, backlog.Entries["outbox"].Status);
        Assert.Equal(3L, backlog.Entries["outbox"].Data["pendingMessages"]);
        Assert.Equal(HealthStatus.Healthy, backlog.Entries["messaging-bus"].Status);
    }
}
