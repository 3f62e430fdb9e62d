using System.Diagnostics;
using Platform.OutboxProbe;
using Platform.ServiceDefaults.Tests.Messaging;
using Platform.Testing;

namespace Platform.ServiceDefaults.Tests.Faults;

/// <summary>Fault test (c): the consuming service's instance is killed with SIGKILL in the middle of a batch.</summary>
public sealed class InstanceKillTests(ThrowawayPostgres postgres, ThrowawayRabbitMq rabbit)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);
    private const int SigKillExitCode = 128 + 9;

    [Fact]
    public async Task A_consumer_instance_killed_mid_batch_loses_nothing_duplicates_nothing_and_parks_nothing()
    {
        var vhost = await rabbit.CreateVirtualHostAsync();
        var consumerDatabase = await postgres.CreateDatabaseAsync("consumer");
        await using var producer = await ProbeService.StartAsync(await postgres.CreateDatabaseAsync("producer"), vhost,
            bus => bus.AddConsumer<OrderAcknowledgedConsumer>(), FaultStream.Settings(), serviceName: "producer");
        var stream = new FaultStream(producer);

        // The consumer runs as a process of its own (tests/Platform.OutboxProbe), so it can really be killed.
        int inFlight;
        int recordedAtKill;
        await using (var first = ProbeProcess.Start(consumerDatabase, vhost, firstNumber: 0, count: 0, deliver: true, consume: true, FaultStream.Settings()))
        {
            await first.WaitForOutputAsync("done", Patience);
            await Eventually.ReturnsAsync(() => BrokerQueues.FindAsync(rabbit.Server, vhost, "probe-order-placed"), queue => queue is not null, Patience, "the consumer's queue declared");

            var committing = stream.CommitAsync(300);
            await Eventually.ReturnsAsync(() => FaultStream.RecordsIn(consumerDatabase), c => c.Count >= 60, Patience, "the consumer under way");
            Assert.Equal(SigKillExitCode, await first.KillAsync());
            recordedAtKill = (await FaultStream.RecordsIn(consumerDatabase)).Count;
            inFlight = stream.Committed - recordedAtKill;
            await committing;
        }

        // While no consumer runs, the producer goes on for 3 s.
        var whileDead = await stream.CommitUntilAsync(Task.Delay(TimeSpan.FromSeconds(3), TestContext.Current.CancellationToken), TimeSpan.FromMilliseconds(50));
        FaultStream.Report($"consumer killed with {recordedAtKill} orders recorded and {inFlight} committed but not yet recorded; {whileDead} more committed while it was down");

        var clock = Stopwatch.StartNew();
        await using var second = ProbeProcess.Start(consumerDatabase, vhost, firstNumber: 0, count: 0, deliver: true, consume: true, FaultStream.Settings());
        // Up to 74 s of delayed redeliveries (Settings) plus the restart under CI load: wait long enough for a message on its last one.
        var converged = await stream.AssertConvergedAsync(() => FaultStream.RecordsIn(consumerDatabase), () => FaultStream.OutboxCountIn(consumerDatabase),
            vhost, "probe-order-placed", TimeSpan.FromSeconds(180), () => second.Tail(), async () => await stream.MissingInAsync(consumerDatabase, "probe-order-placed") + "; " + string.Join("; ", await Task.WhenAll(FaultStream.RedeliveryQueues.Prepend("probe-order-placed").Select(q => BrokerQueues.DescribeAsync(rabbit.Server, vhost, q)))));
        FaultStream.Report($"{stream.Committed} orders accepted; all consumed and acknowledged exactly once {clock.Elapsed.TotalSeconds:0.0} s after the restart (checks took {converged.TotalSeconds:0.0} s); 0 in error queues");
    }
}
