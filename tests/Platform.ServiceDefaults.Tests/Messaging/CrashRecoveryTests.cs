using Microsoft.EntityFrameworkCore;
using Platform.Testing;

namespace Platform.ServiceDefaults.Tests.Messaging;

public sealed class CrashRecoveryTests(ThrowawayPostgres postgres, ThrowawayRabbitMq rabbit)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(45);
    private const int SigKillExitCode = 128 + 9;

    [Fact]
    public async Task Events_of_a_process_killed_after_commit_are_delivered_after_restart_and_consumed_exactly_once()
    {
        var producerDatabase = await postgres.CreateDatabaseAsync("producer");
        var broker = await rabbit.CreateVirtualHostAsync();
        // Another service consumes the producer's events.
        await using var consumer = await ProbeService.StartAsync(await postgres.CreateDatabaseAsync("consumer"), broker, ProbeService.RecordOrders, serviceName: "consumer");

        // 1. The producer commits 40 orders with their events and dies before publishing any of them.
        await using (var producer = ProbeProcess.Start(producerDatabase, broker, firstNumber: 1, count: 40, deliver: false))
        {
            await producer.WaitForOutputAsync("done", Patience);
            Assert.Equal(SigKillExitCode, await producer.KillAsync());
        }
        Assert.Equal(40, await ProbeDatabase.QueryAsync(producerDatabase, db => db.OutboxMessages.CountAsync()));
        Assert.Empty(await consumer.ConsumedAsync());

        // 2. Restarted with delivery, it publishes the backlog and commits 200 more; killed in the middle of that.
        await using (var producer = ProbeProcess.Start(producerDatabase, broker, firstNumber: 41, count: 200, deliver: true))
        {
            await Eventually.ReturnsAsync(() => consumer.ConsumedAsync(), c => c.Count >= 60, Patience, "delivery under way");
            Assert.Equal(SigKillExitCode, await producer.KillAsync());
        }

        // 3. Started once more: whatever was committed is consumed, each exactly once.
        var committed = await ProbeDatabase.QueryAsync(producerDatabase, db => db.Orders.Select(o => o.Number).OrderBy(n => n).ToListAsync());
        Assert.Equal(Enumerable.Range(1, committed.Count), committed);
        Assert.True(committed.Count > 60, $"only {committed.Count} orders committed");
        await using (var producer = ProbeProcess.Start(producerDatabase, broker, firstNumber: 0, count: 0, deliver: true))
        {
            await Eventually.ReturnsAsync(() => consumer.ConsumedAsync(), c => c.Count >= committed.Count, Patience, $"all {committed.Count} committed orders consumed");
            await Eventually.ReturnsAsync(() => ProbeDatabase.QueryAsync(producerDatabase, db => db.OutboxMessages.CountAsync()), n => n == 0, Patience, "the producer's outbox empty");
        }

        var consumed = await consumer.ConsumedAsync();
        Assert.Equal(committed, consumed.Select(c => c.Number).Order());
        Assert.Equal(consumed.Count, consumed.Select(c => c.MessageId).Distinct().Count());
    }
}
