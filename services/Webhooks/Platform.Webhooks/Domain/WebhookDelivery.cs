namespace Platform.Webhooks.Domain;

/// <summary>
/// What happened, as sent: the body (<c>{ type, timestamp, data }</c>) is fixed when the message is made, so every
/// attempt and every endpoint gets the same bytes; the id is the <c>webhook-id</c> a receiver de-duplicates by.
/// </summary>
public sealed class WebhookMessage
{
    private WebhookMessage() { }

    public string Id { get; private set; } = "";

    /// <summary>The catalogue's wire name, e.g. <c>program.launched</c>.</summary>
    public string EventType { get; private set; } = "";

    /// <summary>The JSON body exactly as signed and sent.</summary>
    public string Body { get; private set; } = "";

    public DateTimeOffset CreatedAt { get; private set; }

    public static WebhookMessage Create(string id, string eventType, string body, DateTimeOffset now) =>
        new() { Id = id, EventType = eventType, Body = body, CreatedAt = DeliverySchedule.Stored(now) };
}

public enum DeliveryStatus
{
    /// <summary>Waiting for its next attempt (the first is due at once).</summary>
    Pending,

    /// <summary>The endpoint answered 2xx.</summary>
    Succeeded,

    /// <summary>Every attempt of the schedule failed, or the endpoint answered 410 Gone; it stays in the log and can be redelivered.</summary>
    Failed,
}

/// <summary>What one attempt of a delivery came to.</summary>
/// <param name="StatusCode">The receiver's HTTP status; null when no answer came (timeout, refused connection, refused target).</param>
/// <param name="Error">Why no (good) answer came, in words.</param>
/// <param name="ResponseSnippet">The start of the receiver's body.</param>
public sealed record AttemptOutcome(bool Succeeded, int? StatusCode, TimeSpan Duration, string? Error, string? ResponseSnippet)
{
    public bool IsGone => StatusCode == 410;
}

/// <summary>One message for one endpoint: retried on the schedule until the endpoint answers 2xx or the schedule ends.</summary>
public sealed class WebhookDelivery
{
    private WebhookDelivery() { }

    public Guid Id { get; private set; }
    public Guid EndpointId { get; private set; }
    public string MessageId { get; private set; } = "";
    public string EventType { get; private set; } = "";
    public DeliveryStatus Status { get; private set; }
    public int AttemptCount { get; private set; }

    /// <summary>When the next attempt is due; null once the delivery succeeded or failed.</summary>
    public DateTimeOffset? NextAttemptAt { get; private set; }

    /// <summary>A dispatcher holds the delivery until then (an attempt in flight); after it, another may take it (the holder died).</summary>
    public DateTimeOffset? LeasedUntil { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset? LastAttemptAt { get; private set; }
    public int? LastStatusCode { get; private set; }
    public string? LastError { get; private set; }

    public static WebhookDelivery Create(Guid id, Guid endpointId, WebhookMessage message, DateTimeOffset now) => new()
    {
        Id = id, EndpointId = endpointId, MessageId = message.Id, EventType = message.EventType, Status = DeliveryStatus.Pending,
        NextAttemptAt = DeliverySchedule.Stored(now), CreatedAt = DeliverySchedule.Stored(now),
    };

    /// <summary>
    /// Records an attempt: 2xx ends it as succeeded; 410 Gone ends it as failed (the endpoint is disabled too, see
    /// <see cref="WebhookEndpoint.RecordAttempt"/>); anything else waits for the schedule's next delay, or fails when none is left.
    /// </summary>
    public void RecordAttempt(AttemptOutcome outcome, DateTimeOffset now, DeliverySchedule schedule)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        ArgumentNullException.ThrowIfNull(schedule);
        AttemptCount++;
        LastAttemptAt = DeliverySchedule.Stored(now);
        LastStatusCode = outcome.StatusCode;
        LastError = outcome.Succeeded ? null : Truncate(outcome.Error ?? $"The endpoint answered {outcome.StatusCode}.", 500);
        LeasedUntil = null;
        if (outcome.Succeeded)
        {
            Status = DeliveryStatus.Succeeded;
            NextAttemptAt = null;
        }
        else if (!outcome.IsGone && schedule.DelayAfter(AttemptCount) is { } delay)
        {
            NextAttemptAt = DeliverySchedule.Stored(now + delay);
        }
        else
        {
            Status = DeliveryStatus.Failed;
            NextAttemptAt = null;
        }
    }

    /// <summary>Sends it again now, with the same <c>webhook-id</c> (the receiver de-duplicates), whatever it came to before.</summary>
    public void Redeliver(DateTimeOffset now)
    {
        Status = DeliveryStatus.Pending;
        NextAttemptAt = DeliverySchedule.Stored(now);
        LeasedUntil = null;
    }

    private static string Truncate(string text, int length) => text.Length <= length ? text : text[..length];
}

/// <summary>
/// The delays between attempts: the first attempt at once, then (by default) 5 s, 5 min, 30 min, 2 h, 5 h, 10 h and
/// 10 h, eight attempts over about 28 hours, the schedule partners know from Svix and Standard Webhooks senders.
/// </summary>
public sealed class DeliverySchedule(IReadOnlyList<TimeSpan> retryDelays)
{
    public static IReadOnlyList<TimeSpan> DefaultRetryDelays { get; } =
    [
        TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(30), TimeSpan.FromHours(2),
        TimeSpan.FromHours(5), TimeSpan.FromHours(10), TimeSpan.FromHours(10),
    ];

    public static DeliverySchedule Default { get; } = new(DefaultRetryDelays);

    /// <summary>How long an endpoint may fail every attempt before it is disabled.</summary>
    public static readonly TimeSpan DisableAfterFailingFor = TimeSpan.FromDays(5);

    public IReadOnlyList<TimeSpan> RetryDelays { get; } = retryDelays;

    /// <summary>Attempts in all: the first and one per retry delay.</summary>
    public int MaxAttempts => RetryDelays.Count + 1;

    /// <summary>The wait after the <paramref name="attempts"/>-th failed attempt, or null when the schedule is over.</summary>
    public TimeSpan? DelayAfter(int attempts) => attempts >= 1 && attempts <= RetryDelays.Count ? RetryDelays[attempts - 1] : null;

    /// <summary>PostgreSQL keeps microseconds: an answer shows a time exactly as a later read will.</summary>
    public static DateTimeOffset Stored(DateTimeOffset time) => new(time.Ticks - time.Ticks % 10, time.Offset);
}

/// <summary>One attempt of a delivery, as the delivery log shows it.</summary>
public sealed class DeliveryAttempt
{
    private DeliveryAttempt() { }

    public long Id { get; private set; }
    public Guid DeliveryId { get; private set; }
    public DateTimeOffset AttemptedAt { get; private set; }
    public bool Succeeded { get; private set; }
    public int? StatusCode { get; private set; }
    public int DurationMs { get; private set; }
    public string? Error { get; private set; }

    /// <summary>The start of the receiver's answer (at most 1,000 characters).</summary>
    public string? ResponseSnippet { get; private set; }

    public static DeliveryAttempt Of(Guid deliveryId, AttemptOutcome outcome, DateTimeOffset attemptedAt)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        return new()
        {
            DeliveryId = deliveryId, AttemptedAt = DeliverySchedule.Stored(attemptedAt), Succeeded = outcome.Succeeded, StatusCode = outcome.StatusCode,
            DurationMs = (int)Math.Clamp(outcome.Duration.TotalMilliseconds, 0, int.MaxValue),
            Error = outcome.Error is { Length: > 500 } e ? e[..500] : outcome.Error,
            ResponseSnippet = outcome.ResponseSnippet is { Length: > 1000 } r ? r[..1000] : outcome.ResponseSnippet,
        };
    }
}
