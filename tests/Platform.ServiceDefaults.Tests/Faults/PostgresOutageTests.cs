using System.Diagnostics;
using Platform.Hosting;
using Platform.OutboxProbe;
using Platform.ServiceDefaults.Tests.Messaging;
using Platform.Testing;

namespace Platform.ServiceDefaults.Tests.Faults;

/// <summary>Fault test (a): the consuming service's PostgreSQL is stopped for 30 s while events flow.</summary>
public sealed class PostgresOutageTests(ThrowawayPostgres postgres, ThrowawayRabbitMq rabbit)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task The_consumer_s_database_stopped_30_s_under_load_loses_nothing_duplicates_nothing_and_parks_nothing()
    {
        // The consumer's database lives on a PostgreSQL server of its own, so only the consumer loses it.
        var folder = ThrowawayFolder.Create("pg-outage");
        var server = await PostgresServer.StartAsync(new PostgresOptions { DataDirectory = folder, Durable = false }, TestContext.Current.CancellationToken);
        try
        {
            await server.EnsureDatabaseAsync("consumer", TestContext.Current.CancellationToken);
            var consumerDatabase = server.ConnectionString("consumer");
            var vhost = await rabbit.CreateVirtualHostAsync();
            await using var producer = await ProbeService.StartAsync(await postgres.CreateDatabaseAsync("producer"), vhost,
                bus => bus.AddConsumer<OrderAcknowledgedConsumer>(), FaultStream.Settings(), serviceName: "producer");
            await using var consumer = await ProbeService.StartAsync(consumerDatabase, vhost, ProbeService.RecordOrders, FaultStream.Settings(), serviceName: "consumer");
            var stream = new FaultStream(producer);

            await stream.CommitAsync(100);
            await Eventually.ReturnsAsync(() => consumer.ConsumedAsync(), c => c.Count >= 20, Patience, "the stream flowing");

            // The outage: 30 s without the consumer's database while the producer goes on committing (every 50 ms).
            var outage = Stopwatch.StartNew();
            await server.StopAsync();
            var duringOutage = await stream.CommitUntilAsync(Task.Delay(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken), TimeSpan.FromMilliseconds(50));
            var waiting = await FaultStream.QueueDepthAsync(vhost, "consumer-order-placed");
            server = await PostgresServer.StartAsync(new PostgresOptions { DataDirectory = folder, Port = server.Port, Durable = false }, TestContext.Current.CancellationToken);
            FaultStream.Report($"PostgreSQL down {outage.Elapsed.TotalSeconds:0.0} s; {duringOutage} orders committed meanwhile; {waiting} waiting in the consumer's queue when it came back");

            await stream.CommitAsync(100);
            var converged = await stream.AssertConvergedAsync(() => consumer.ConsumedAsync(), () => FaultStream.OutboxCountIn(consumerDatabase),
                vhost, "consumer-order-placed", Patience);
            FaultStream.Report($"{stream.Committed} orders accepted; all consumed and acknowledged exactly once {converged.TotalSeconds:0.0} s after the last commit; 0 in error queues");
        }
        finally
        {
            await server.DisposeAsync();
            ThrowawayFolder.Remove(folder);
        }
    }
}
