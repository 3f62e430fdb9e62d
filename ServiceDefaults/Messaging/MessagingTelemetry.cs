using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Platform.ServiceDefaults.Messaging;

/// <summary>
/// The ActivitySources and Meters messaging emits, so the telemetry setup can subscribe to them
/// (<c>AddSource(MessagingTelemetry.ActivitySources)</c>, <c>AddMeter(MessagingTelemetry.Meters)</c>).
/// </summary>
public static class MessagingTelemetry
{
    /// <summary>Ours: the outbox delivery span (child of the request that wrote the event) and outbox/inbox counters.</summary>
    public const string SourceName = "Platform.Messaging";

    /// <summary>MassTransit's own ActivitySource and Meter (send, receive, consume spans; its metrics).</summary>
    public const string MassTransitSourceName = "MassTransit";

    public static IReadOnlyList<string> ActivitySources { get; } = [SourceName, MassTransitSourceName];

    public static IReadOnlyList<string> Meters { get; } = [SourceName, MassTransitSourceName];

    internal static readonly ActivitySource ActivitySource = new(SourceName);

    private static readonly Meter Meter = new(SourceName);

    internal static readonly Counter<long> OutboxPublished =
        Meter.CreateCounter<long>("platform.outbox.published", "{message}", "Outbox messages published and confirmed by the broker");

    internal static readonly Counter<long> OutboxPublishFailures =
        Meter.CreateCounter<long>("platform.outbox.publish_failures", "{message}", "Outbox messages whose publish failed (they are retried)");

    internal static readonly Counter<long> InboxDuplicates =
        Meter.CreateCounter<long>("platform.inbox.duplicates", "{message}", "Deliveries acknowledged without running the consumer because the message was already processed");
}
