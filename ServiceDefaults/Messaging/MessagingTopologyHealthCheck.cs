using MassTransit;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Platform.ServiceDefaults.Messaging;

/// <summary>
/// Unhealthy until the bus has once declared and bound this service's queues, then healthy for good. On a new broker an
/// event published before its consumer's queue is bound reaches no queue and is gone; keeping the instance out of
/// rotation until then means a platform whose services all report ready has every queue in place. A later broker
/// outage does not touch this check (the queues stay declared; <c>messaging-bus</c> shows the outage, degraded).
/// After <see cref="MessagingOptions.TopologyGrace"/> an instance that could not reach the broker at start serves
/// anyway (degraded): requests work without the broker, and its queues were declared by an earlier start unless the
/// broker is brand new.
/// </summary>
internal sealed class MessagingTopologyHealthCheck(BusReadiness bus, IBusControl busControl, TimeProvider clock, IOptions<MessagingOptions> options) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        // A start that began while the broker was away may never report ready; a healthy bus has every endpoint running.
        if (!bus.Ready.IsCompleted && busControl.CheckHealth().Status == BusHealthStatus.Healthy) bus.SawHealthy();
        if (bus.Ready.IsCompletedSuccessfully)
            return Task.FromResult(HealthCheckResult.Healthy("This service's queues are declared and bound."));
        return Task.FromResult(clock.GetElapsedTime(bus.CreatedAt) < options.Value.TopologyGrace
            ? HealthCheckResult.Unhealthy("Waiting for the broker to declare and bind this service's queues.")
            : HealthCheckResult.Degraded("The broker has not declared this service's queues since start; serving without them."));
    }
}
