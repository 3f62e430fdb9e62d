using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Platform.ServiceDefaults.Messaging;

/// <summary>
/// The ActivitySource and Meter messaging emits. The telemetry setup listens to them (ours as part of
/// <c>Platform.*</c>) and to MassTransit's.
/// </summary>
public static class MessagingTelemetry
{
    /// <summary>Ours: the outbox delivery span (child of the request that wrote the event) and outbox/inbox counters.</summary>
    public const string SourceName = "Platform.Messaging";

    /// <summary>MassTransit's own ActivitySource and Meter (send, receive, consume spans; its metrics).</summary>
    public const string MassTransitSourceName = "MassTransit";

    internal static readonly ActivitySource ActivitySource = new(SourceName);

    private static readonly Meter Meter = new(SourceName);

    internal static readonly Counter<long> OutboxPublished =
        Meter.CreateCounter<long>("platform.outbox.published", "{message}", "Outbox messages published and confirmed by the broker");

    internal static readonly Counter<long> OutboxPublishFailures =
        Meter.CreateCounter<long>("platform.outbox.publish_failures", "{message}", "Outbox messages whose publish failed (they are retried)");

    internal static readonly Counter<long> DelayedRedeliveries =
        Meter.CreateCounter<long>("platform.consumer.delayed_redeliveries", "{message}", "Deliveries that failed transiently and were set to come back after a delay");

    internal static readonly Counter<long> InboxDuplicates =
        Meter.CreateCounter<long>("platform.inbox.duplicates", "{message}", "Deliveries acknowledged without running the consumer because the message was already processed");
}
