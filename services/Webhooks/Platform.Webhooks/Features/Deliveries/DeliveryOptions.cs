namespace Platform.Webhooks.Features.Deliveries;

/// <summary>Configuration <c>Webhooks:Delivery</c>: the retry schedule, how much is sent at once, leases and retention.</summary>
public sealed class DeliveryOptions
{
    public const string Section = "Webhooks:Delivery";

    /// <summary>
    /// The waits between attempts (the first attempt is at once). Null: <see cref="DeliverySchedule.DefaultRetryDelays"/>
    /// (5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h). An array, not a list with defaults: binding would append to those.
    /// </summary>
    public TimeSpan[]? RetryDelays { get; set; }

    /// <summary>Attempts in flight to one endpoint at once, over all instances (a slow receiver holds only these).</summary>
    public int MaxConcurrentPerEndpoint { get; set; } = 4;

    /// <summary>Attempts in flight in this instance at once, over all endpoints.</summary>
    public int MaxInFlight { get; set; } = 256;

    /// <summary>How long a claimed delivery is held by its dispatcher; after that (the holder died) another takes it. Longer than the send timeout.</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How often the dispatcher looks for due deliveries without being woken (retries, other instances' messages, expired leases).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long finished (succeeded or failed) deliveries stay in the log; also how far back a redelivery may reach.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How often finished deliveries older than <see cref="Retention"/> are deleted.</summary>
    public TimeSpan RetentionSweepInterval { get; set; } = TimeSpan.FromHours(1);

    public DeliverySchedule Schedule() => RetryDelays is null ? DeliverySchedule.Default : new DeliverySchedule([.. RetryDelays]);
}

/// <summary>Refuses settings the dispatcher cannot work with, so start-up fails with every reason instead of deliveries misbehaving later.</summary>
public sealed class DeliveryOptionsValidator : IValidateOptions<DeliveryOptions>
{
    public ValidateOptionsResult Validate(string? name, DeliveryOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        var prefix = DeliveryOptions.Section;
        if (options.RetryDelays is { } delays)
        {
            if (delays.Length > 20) failures.Add($"{prefix}:RetryDelays has {delays.Length} delays; at most 20.");
            for (var i = 0; i < delays.Length; i++)
                if (delays[i] <= TimeSpan.Zero || delays[i] > TimeSpan.FromDays(7))
                    failures.Add($"{prefix}:RetryDelays:{i} is {delays[i]}; each delay must be positive and at most 7 days.");
        }
        if (options.MaxConcurrentPerEndpoint < 1) failures.Add($"{prefix}:MaxConcurrentPerEndpoint is {options.MaxConcurrentPerEndpoint}; it must be at least 1.");
        if (options.MaxInFlight < options.MaxConcurrentPerEndpoint)
            failures.Add($"{prefix}:MaxInFlight is {options.MaxInFlight}; it must be at least MaxConcurrentPerEndpoint ({options.MaxConcurrentPerEndpoint}).");
        var minimumLease = WebhookSender.Timeout + TimeSpan.FromSeconds(5);
        if (options.LeaseDuration < minimumLease)
            failures.Add($"{prefix}:LeaseDuration is {options.LeaseDuration}; it must be at least {minimumLease} (the send timeout and time to record the attempt), or a slow attempt would be sent twice.");
        if (options.PollInterval <= TimeSpan.Zero || options.PollInterval > TimeSpan.FromMinutes(1))
            failures.Add($"{prefix}:PollInterval is {options.PollInterval}; it must be positive and at most 1 minute.");
        if (options.Retention < TimeSpan.FromDays(1))
            failures.Add($"{prefix}:Retention is {options.Retention}; it must be at least 1 day (the log and redelivery reach back that far).");
        if (options.RetentionSweepInterval <= TimeSpan.Zero)
            failures.Add($"{prefix}:RetentionSweepInterval is {options.RetentionSweepInterval}; it must be positive.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
