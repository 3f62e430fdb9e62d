namespace Platform.Webhooks.Domain;

public enum WebhookEndpointStatus
{
    /// <summary>Receives deliveries.</summary>
    Enabled,

    /// <summary>Receives nothing until enabled again (by the partner, or by the platform after failing deliveries).</summary>
    Disabled,
}

/// <summary>A partner system's URL that receives the organization's webhooks, signed with the endpoint's secret.</summary>
public sealed class WebhookEndpoint
{
    /// <summary>How long a replaced secret keeps signing beside the new one, so the receiver can switch without losing deliveries.</summary>
    public static readonly TimeSpan PreviousSecretLifetime = TimeSpan.FromHours(24);

    private WebhookEndpoint() { }

    /// <summary>PostgreSQL keeps microseconds: an answer shows the time exactly as a later read will.</summary>
    private static DateTimeOffset Stored(DateTimeOffset time) => new(time.Ticks - time.Ticks % 10, time.Offset);

    public Guid Id { get; private set; }
    public Guid OrganizationId { get; private set; }
    public string Url { get; private set; } = "";
    public string? Description { get; private set; }

    /// <summary>Wire names from the catalogue (<see cref="WebhookEventType"/>), <c>*</c> for all.</summary>
    public List<string> EventTypes { get; private set; } = [];

    public WebhookEndpointStatus Status { get; private set; }
    public string? DisabledReason { get; private set; }

    /// <summary>Stored as given (not hashed): every delivery is signed with it.</summary>
    public string Secret { get; private set; } = "";
    public string? PreviousSecret { get; private set; }
    public DateTimeOffset? PreviousSecretExpiresAt { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset UpdatedAt { get; private set; }

    /// <summary>Since when every attempt to this endpoint has failed; null after any success.</summary>
    public DateTimeOffset? FailingSince { get; private set; }

    public static WebhookEndpoint Register(Guid id, Guid organizationId, string url, IEnumerable<string> eventTypes, string? description, DateTimeOffset now) => new()
    {
        Id = id, OrganizationId = organizationId, Url = url, EventTypes = [.. eventTypes.Distinct(StringComparer.Ordinal)], Description = description,
        Status = WebhookEndpointStatus.Enabled, Secret = WebhookSecret.New(), CreatedAt = Stored(now), UpdatedAt = Stored(now),
    };

    public void Update(string url, IEnumerable<string> eventTypes, string? description, DateTimeOffset now)
    {
        Url = url;
        EventTypes = [.. eventTypes.Distinct(StringComparer.Ordinal)];
        Description = description;
        UpdatedAt = Stored(now);
    }

    public void Disable(string reason, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrEmpty(reason);
        Status = WebhookEndpointStatus.Disabled;
        DisabledReason = reason.Length <= 500 ? reason : reason[..500];
        UpdatedAt = Stored(now);
    }

    public void Enable(DateTimeOffset now)
    {
        Status = WebhookEndpointStatus.Enabled;
        DisabledReason = null;
        FailingSince = null;
        UpdatedAt = Stored(now);
    }

    /// <summary>A new secret; the current one keeps signing beside it for <see cref="PreviousSecretLifetime"/>.</summary>
    public string RotateSecret(DateTimeOffset now)
    {
        PreviousSecret = Secret;
        PreviousSecretExpiresAt = Stored(now + PreviousSecretLifetime);
        Secret = WebhookSecret.New();
        UpdatedAt = Stored(now);
        return Secret;
    }

    /// <summary>The secrets a delivery made at <paramref name="now"/> is signed with: the current one, and the previous one while it lasts.</summary>
    public IReadOnlyList<string> SigningSecrets(DateTimeOffset now) =>
        PreviousSecret is { } previous && PreviousSecretExpiresAt > now ? [Secret, previous] : [Secret];

    /// <summary>
    /// Takes an attempt's outcome into the endpoint's health: a success clears <see cref="FailingSince"/>; 410 Gone
    /// disables it at once; failing every attempt for <see cref="DeliverySchedule.DisableAfterFailingFor"/> disables it.
    /// Returns true when this attempt disabled it.
    /// </summary>
    public bool RecordAttempt(AttemptOutcome outcome, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        if (outcome.Succeeded)
        {
            FailingSince = null;
            return false;
        }
        FailingSince ??= Stored(now);
        if (Status == WebhookEndpointStatus.Disabled) return false;
        if (outcome.IsGone)
        {
            Disable($"Disabled by the platform: the endpoint answered 410 Gone at {now:u}.", now);
            return true;
        }
        if (now - FailingSince >= DeliverySchedule.DisableAfterFailingFor)
        {
            Disable($"Disabled by the platform: every delivery attempt failed since {FailingSince:u} (last: {outcome.Error ?? $"HTTP {outcome.StatusCode}"}).", now);
            return true;
        }
        return false;
    }

    public bool Wants(string eventType) => EventTypes.Contains("*") || EventTypes.Contains(eventType);
}
