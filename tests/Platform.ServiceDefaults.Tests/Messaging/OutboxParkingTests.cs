using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Platform.OutboxProbe.Contracts;
using Platform.ServiceDefaults.Persistence;
using Platform.Testing;

namespace Platform.ServiceDefaults.Tests.Messaging;

public sealed class OutboxParkingTests(ThrowawayPostgres postgres, ThrowawayRabbitMq rabbit)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_row_that_keeps_failing_is_parked_after_N_attempts_shows_on_health_and_can_be_replayed()
    {
        await using var service = await ProbeService.StartAsync(
            await postgres.CreateDatabaseAsync(), await rabbit.CreateVirtualHostAsync(), ProbeService.RecordOrders,
            new Dictionary<string, string?>
            {
                ["Messaging:Outbox:ParkAfterAttempts"] = "3",
                ["Messaging:Outbox:UnpublishableRetryMinDelay"] = "00:00:00.100",
                ["Messaging:Outbox:UnpublishableRetryMaxDelay"] = "00:00:00.200",
                ["Messaging:Outbox:SweepInterval"] = "00:00:00.200",
            });
        var messageId = Guid.CreateVersion7();
        await service.QueryAsync(async db =>
        {
            db.OutboxMessages.Add(new OutboxMessage { MessageId = messageId, MessageType = "Platform.Retired.OrderShipped, Platform.Retired", Body = "{}", CreatedAt = DateTimeOffset.UtcNow });
            return await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        });

        var parked = Assert.Single(await Eventually.ReturnsAsync(service.OutboxAsync, rows => rows.Count == 1 && rows[0].ParkedAt is not null, Patience, "the row parked"));
        Assert.Equal(3, parked.Attempts);
        // Parked means left alone: no further attempts.
        await Task.Delay(1000, TestContext.Current.CancellationToken);
        Assert.Equal(3, Assert.Single(await service.OutboxAsync()).Attempts);

        var health = service.Services.GetRequiredService<HealthCheckService>();
        var ready = await health.CheckHealthAsync(c => c.Tags.Contains("ready"), TestContext.Current.CancellationToken);
        Assert.Equal(HealthStatus.Degraded, ready.Status); // degraded, not unhealthy: the instance stays in service
        Assert.Equal(1L, ready.Entries["outbox"].Data["parkedMessages"]);
        Assert.Equal(0L, ready.Entries["outbox"].Data["pendingMessages"]);

        // Replay, as the README says (here after "deploying" a build that knows the type: the row is rewritten to one).
        var body = JsonSerializer.Serialize(new OrderPlaced { OrderId = Guid.NewGuid(), Number = 7 }, new JsonSerializerOptions(JsonSerializerDefaults.Web));
        await service.QueryAsync(db => db.Database.ExecuteSqlAsync($"""
            UPDATE platform.outbox_messages SET message_type = {"Platform.OutboxProbe.Contracts.OrderPlaced, Platform.OutboxProbe"}, body = {body}::jsonb WHERE message_id = {messageId}
            """, TestContext.Current.CancellationToken));
        await service.QueryAsync(db => db.Database.ExecuteSqlAsync($"""
            UPDATE platform.outbox_messages SET parked_at = NULL, attempts = 0, next_attempt_at = NULL WHERE message_id = {messageId}
            """, TestContext.Current.CancellationToken));

        var consumed = await Eventually.ReturnsAsync(() => service.ConsumedAsync(), c => c.Count >= 1, Patience, "the replayed row consumed");
        Assert.Equal(7, Assert.Single(consumed).Number);
        await Eventually.ReturnsAsync(service.OutboxAsync, rows => rows.Count == 0, Patience, "the outbox empty");
    }

    [Fact]
    public async Task A_backlog_beyond_the_critical_threshold_degrades_readiness_and_never_fails_it()
    {
        await using var service = await ProbeService.StartAsync(
            await postgres.CreateDatabaseAsync(), await rabbit.CreateVirtualHostAsync(),
            settings: new Dictionary<string, string?>
            {
                ["Messaging:Outbox:DeliveryEnabled"] = "false",
                ["Messaging:Outbox:DegradedCount"] = "1",
                ["Messaging:Outbox:UnhealthyCount"] = "2",
            });
        await service.CommitOrdersAsync([1, 2, 3]);

        var report = await service.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(c => c.Tags.Contains("ready"), TestContext.Current.CancellationToken);
        var outbox = report.Entries["outbox"];
        Assert.Equal(HealthStatus.Degraded, outbox.Status);
        Assert.StartsWith("critical backlog", outbox.Description, StringComparison.Ordinal);
        Assert.Equal(3L, outbox.Data["pendingMessages"]);
        Assert.NotEqual(HealthStatus.Unhealthy, report.Status);
    }
}
