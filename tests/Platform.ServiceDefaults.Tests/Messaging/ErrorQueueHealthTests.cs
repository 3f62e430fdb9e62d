using Microsoft.Extensions.Diagnostics.HealthChecks;
using Platform.ServiceDefaults.Messaging;
using Platform.Testing;
using RabbitMQ.Client;

namespace Platform.ServiceDefaults.Tests.Messaging;

/// <summary>
/// The error-queue count on readiness is asked of the broker at most once per <see cref="ErrorQueueHealthCheck.Freshness"/>:
/// balancers probe every second, and each count opens a channel per consumer queue.
/// </summary>
public sealed class ErrorQueueHealthTests(ThrowawayRabbitMq rabbit)
{
    private sealed class SteppedClock : TimeProvider
    {
        public long Ticks { get; set; }
        public override long TimestampFrequency => TimeSpan.TicksPerSecond;
        public override long GetTimestamp() => Ticks;
    }

    [Fact]
    public async Task A_count_is_reused_until_it_is_older_than_its_freshness_then_asked_again()
    {
        var cancel = TestContext.Current.CancellationToken;
        var broker = await rabbit.CreateVirtualHostAsync("error-health");
        var queues = new ConsumerQueues();
        queues.Add("placement-recorded");
        var clock = new SteppedClock();
        await using var check = new ErrorQueueHealthCheck(BrokerAddress.Parse(broker.ToString()), queues, clock);
        var context = new HealthCheckContext();

        var before = await check.CheckHealthAsync(context, cancel);
        Assert.Equal(HealthStatus.Healthy, before.Status);
        Assert.Equal(0L, before.Data["errorMessages"]);

        // A message parked in the error queue, as MassTransit would park it.
        var factory = new ConnectionFactory { Uri = broker };
        await using (var connection = await factory.CreateConnectionAsync(cancel))
        await using (var channel = await connection.CreateChannelAsync(cancellationToken: cancel))
        {
            await channel.QueueDeclareAsync("placement-recorded_error", durable: true, exclusive: false, autoDelete: false, cancellationToken: cancel);
            await channel.BasicPublishAsync("", "placement-recorded_error", new ReadOnlyMemory<byte>([1]), cancel);
        }

        clock.Ticks += (ErrorQueueHealthCheck.Freshness - TimeSpan.FromSeconds(1)).Ticks;
        Assert.Equal(0L, (await check.CheckHealthAsync(context, cancel)).Data["errorMessages"]);

        clock.Ticks += TimeSpan.FromSeconds(2).Ticks;
        // The channel's close came after the publish: the broker holds the message by now.
        var after = await check.CheckHealthAsync(context, cancel);
        Assert.Equal(HealthStatus.Degraded, after.Status);
        Assert.Equal(1L, after.Data["placement-recorded_error"]);
    }
}
