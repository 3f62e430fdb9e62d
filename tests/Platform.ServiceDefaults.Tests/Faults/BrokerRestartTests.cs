using System.Diagnostics;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Platform.OutboxProbe;
using Platform.ServiceDefaults.Tests.Messaging;
using Platform.Testing;

namespace Platform.ServiceDefaults.Tests.Faults;

/// <summary>Fault test (b): RabbitMQ restarted while both services publish and consume.</summary>
public sealed class BrokerRestartTests(ThrowawayPostgres postgres, DedicatedBroker broker) : IClassFixture<DedicatedBroker>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task A_broker_restart_while_both_services_publish_and_consume_loses_nothing_duplicates_nothing_and_parks_nothing()
    {
        var vhost = await broker.Rabbit.CreateVirtualHostAsync();
        var producerDatabase = await postgres.CreateDatabaseAsync("producer");
        var consumerDatabase = await postgres.CreateDatabaseAsync("consumer");
        Task<ProbeService> StartProducer() => ProbeService.StartAsync(producerDatabase, vhost, bus => bus.AddConsumer<OrderAcknowledgedConsumer>(), FaultStream.Settings(), serviceName: "producer");
        Task<ProbeService> StartConsumer() => ProbeService.StartAsync(consumerDatabase, vhost, ProbeService.RecordOrders, FaultStream.Settings(), serviceName: "consumer");
        var producer = await StartProducer();
        var consumer = await StartConsumer();
        try
        {
            var stream = new FaultStream(producer);
            await stream.CommitAsync(100);
            await Eventually.ReturnsAsync(() => consumer.ConsumedAsync(), c => c.Count >= 20, Patience, "the stream flowing");

            var restart = Stopwatch.StartNew();
            var inFlight = stream.Committed - (await consumer.ConsumedAsync()).Count;
            var restarting = broker.Rabbit.Server.RestartAsync(TestContext.Current.CancellationToken);
            var readiness = SampleReadinessAsync(consumer, restarting);
            var duringRestart = await stream.CommitUntilAsync(restarting, TimeSpan.FromMilliseconds(50));
            var (readyStatuses, busStatuses) = await readiness;
            FaultStream.Report($"RabbitMQ restarted in {restart.Elapsed.TotalSeconds:0.0} s; {inFlight} orders in flight when it went down, {duringRestart} committed during the restart");
            FaultStream.Report($"consumer readiness during the restart: {string.Join(", ", readyStatuses)} (messaging-bus: {string.Join(", ", busStatuses)})");
            // Readiness does not fail because of the broker: the instance stays in service (degraded at worst).
            Assert.DoesNotContain(HealthStatus.Unhealthy, readyStatuses);

            var sinceBack = Stopwatch.StartNew();
            await stream.CommitAsync(100);
            // MassTransit sometimes never reconnects after a broker restart (#5942, see BrokerOutageTests): recycle as an orchestrator would.
            (producer, var recycledProducer) = await RecycleIfStuckAsync(producer, StartProducer);
            (consumer, var recycledConsumer) = await RecycleIfStuckAsync(consumer, StartConsumer);
            if (recycledProducer || recycledConsumer)
                FaultStream.Report($"recycled after the restart: producer {recycledProducer}, consumer {recycledConsumer}");
            var current = consumer;
            await new FaultStream(producer, stream.Committed).AssertConvergedAsync(() => current.ConsumedAsync(), () => FaultStream.OutboxCountIn(consumerDatabase),
                vhost, "consumer-order-placed", Patience);
            FaultStream.Report($"{stream.Committed} orders accepted; all consumed and acknowledged exactly once {sinceBack.Elapsed.TotalSeconds:0.0} s after the broker was back (100 more committed meanwhile); 0 in error queues");
        }
        finally
        {
            await consumer.DisposeAsync();
            await producer.DisposeAsync();
        }
    }

    /// <summary>The distinct statuses of the service's ready checks, sampled every 500 ms until <paramref name="until"/> completes.</summary>
    private static async Task<(HashSet<HealthStatus> Ready, HashSet<HealthStatus> Bus)> SampleReadinessAsync(ProbeService service, Task until)
    {
        var health = service.Services.GetRequiredService<HealthCheckService>();
        var ready = new HashSet<HealthStatus>();
        var bus = new HashSet<HealthStatus>();
        while (!until.IsCompleted)
        {
            var report = await health.CheckHealthAsync(check => check.Tags.Contains("ready"), TestContext.Current.CancellationToken);
            ready.Add(report.Status);
            bus.Add(report.Entries["messaging-bus"].Status);
            await Task.Delay(500, TestContext.Current.CancellationToken);
        }
        return (ready, bus);
    }

    private static async Task<(ProbeService Service, bool Recycled)> RecycleIfStuckAsync(ProbeService service, Func<Task<ProbeService>> startAgain)
    {
        var bus = service.Services.GetRequiredService<IBusControl>();
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            if (bus.CheckHealth().Status == BusHealthStatus.Healthy) return (service, false);
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
        await service.DisposeAsync();
        return (await startAgain(), true);
    }
}
