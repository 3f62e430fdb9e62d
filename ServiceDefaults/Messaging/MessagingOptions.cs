namespace Platform.ServiceDefaults.Messaging;

/// <summary>
/// Messaging settings, bound from the <c>Messaging</c> configuration section (e.g. <c>Messaging__ConcurrentMessageLimit=4</c>,
/// <c>Messaging__Outbox__BatchSize=200</c>). The defaults suit a production service.
/// </summary>
public sealed class MessagingOptions
{
    public const string Section = "Messaging";

    /// <summary>Messages one consumer endpoint processes at the same time (per instance).</summary>
    public int ConcurrentMessageLimit { get; set; } = 8;

    /// <summary>Messages the broker hands an endpoint ahead of processing; at least <see cref="ConcurrentMessageLimit"/>.</summary>
    public int PrefetchCount { get; set; } = 16;

    /// <summary>Retries after the first failed attempt, before the message goes to <c>&lt;queue&gt;_error</c>.</summary>
    public int RetryLimit { get; set; } = 5;

    /// <summary>Wait before the first retry; each further retry waits about twice as long, up to <see cref="RetryMaxInterval"/>.</summary>
    public TimeSpan RetryMinInterval { get; set; } = TimeSpan.FromMilliseconds(200);

    public TimeSpan RetryMaxInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// After the in-memory retries, a message that failed for a transient reason (database or broker unreachable,
    /// timeout) comes back after each of these delays in turn before it goes to <c>&lt;queue&gt;_error</c>
    /// (<see cref="DelayedRedeliveryFilter"/>). Null: <see cref="DefaultRedeliveryIntervals"/>. Empty: none.
    /// </summary>
    public TimeSpan[]? RedeliveryIntervals { get; set; }

    /// <summary>10 s, 1 min, 5 min, 30 min, 2 h: about 2 h 36 min of outage before a message is parked in <c>_error</c>.</summary>
    public static IReadOnlyList<TimeSpan> DefaultRedeliveryIntervals { get; } =
        [TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(30), TimeSpan.FromHours(2)];

    internal IReadOnlyList<TimeSpan> Redeliveries => RedeliveryIntervals ?? DefaultRedeliveryIntervals;

    /// <summary>
    /// How long after start an instance whose queues the broker has not declared yet is kept out of rotation
    /// (readiness unhealthy); after that it serves anyway, degraded (<see cref="MessagingTopologyHealthCheck"/>).
    /// </summary>
    public TimeSpan TopologyGrace { get; set; } = TimeSpan.FromSeconds(60);

    public OutboxOptions Outbox { get; set; } = new();

    public InboxOptions Inbox { get; set; } = new();

    internal static bool IsValid(MessagingOptions options)
    {
        var outbox = options.Outbox;
        var inbox = options.Inbox;
        return options.ConcurrentMessageLimit > 0 && options.PrefetchCount > 0 && options.RetryLimit >= 0
            && options.RetryMinInterval > TimeSpan.Zero && options.RetryMinInterval <= options.RetryMaxInterval
            && options.TopologyGrace >= TimeSpan.Zero
            && options.Redeliveries.All(interval => interval >= TimeSpan.FromMilliseconds(1))
            && outbox.BatchSize > 0 && outbox.SweepInterval > TimeSpan.Zero && outbox.PublishTimeout > TimeSpan.Zero
            && outbox.BrokerRetryMinDelay > TimeSpan.Zero && outbox.BrokerRetryMinDelay <= outbox.BrokerRetryMaxDelay
            && outbox.UnpublishableRetryMinDelay > TimeSpan.Zero && outbox.UnpublishableRetryMinDelay <= outbox.UnpublishableRetryMaxDelay
            && outbox.ParkAfterAttempts > 0 && outbox.DegradedCount > 0 && outbox.DegradedCount <= outbox.UnhealthyCount && outbox.DegradedAge <= outbox.UnhealthyAge
            && inbox.Retention > TimeSpan.Zero && inbox.CleanupInterval > TimeSpan.Zero;
    }
}

public sealed class OutboxOptions
{
    /// <summary>
    /// False: events are still written to the outbox, but this instance does not publish them (another instance,
    /// or this one after a restart with delivery enabled, will).
    /// </summary>
    public bool DeliveryEnabled { get; set; } = true;

    /// <summary>Rows claimed and published together; the confirms of a batch are awaited before the next one starts.</summary>
    public int BatchSize { get; set; } = 100;

    /// <summary>How often the worker looks for rows without being woken (rows committed by other instances, retries due).</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long one publish may wait for the broker's confirm before it counts as failed.</summary>
    public TimeSpan PublishTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>First wait after the broker failed; doubles on each further failure up to <see cref="BrokerRetryMaxDelay"/>.</summary>
    public TimeSpan BrokerRetryMinDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    public TimeSpan BrokerRetryMaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// First wait before a row that cannot be turned into a message (unknown type, unreadable body) is tried again;
    /// doubles on each further failure up to <see cref="UnpublishableRetryMaxDelay"/>.
    /// </summary>
    public TimeSpan UnpublishableRetryMinDelay { get; set; } = TimeSpan.FromMinutes(1);

    public TimeSpan UnpublishableRetryMaxDelay { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// A row that failed this many times is parked (<c>parked_at</c> set, skipped by delivery, counted by the outbox
    /// health check, logged as an error): always for a row this build cannot turn into a message; for a broker
    /// failure only while the bus is otherwise healthy (a broker outage parks nothing). Replay: clear
    /// <c>parked_at</c> (see ServiceDefaults/Messaging/README.md).
    /// </summary>
    public int ParkAfterAttempts { get; set; } = 10;

    /// <summary>Backlog health: degraded from this many waiting rows, or when the oldest is older than <see cref="DegradedAge"/>.</summary>
    public int DegradedCount { get; set; } = 1_000;

    public TimeSpan DegradedAge { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Backlog health: from this many waiting rows, or when the oldest is older than <see cref="UnhealthyAge"/>, the
    /// description says the backlog is critical. Still degraded, not unhealthy: readiness does not fail for a backlog
    /// (every instance would leave the load balancer while the broker is down, though it can still take requests).
    /// </summary>
    public int UnhealthyCount { get; set; } = 10_000;

    public TimeSpan UnhealthyAge { get; set; } = TimeSpan.FromMinutes(10);
}

public sealed class InboxOptions
{
    /// <summary>
    /// How long a processed message is remembered. A copy redelivered later than this would run again, so keep it
    /// well above any realistic redelivery delay (broker outages, replays from the error queue).
    /// </summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How often expired inbox rows are deleted.</summary>
    public TimeSpan CleanupInterval { get; set; } = TimeSpan.FromHours(1);
}
