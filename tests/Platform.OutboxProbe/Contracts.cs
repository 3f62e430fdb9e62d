namespace Platform.OutboxProbe.Contracts;

/// <summary>What the probe's consumers do with an <see cref="OrderPlaced"/>; sent as a string on the wire.</summary>
public enum OrderHandling
{
    Record,
    /// <summary>
    /// Like <see cref="Acknowledge"/>, but throws after saving on the first attempt: neither the first attempt's
    /// record nor its event may survive; the retry's must.
    /// </summary>
    FailFirstAttempt,
    /// <summary>Always throws: ends in the error queue after the retries.</summary>
    Poison,
    /// <summary>Records and publishes an <see cref="OrderAcknowledged"/> through the outbox, in the same transaction.</summary>
    Acknowledge,
}

public sealed record OrderPlaced
{
    public required Guid OrderId { get; init; }
    public required int Number { get; init; }
    public OrderHandling Handling { get; init; } = OrderHandling.Record;
}

public sealed record OrderAcknowledged
{
    public required Guid OrderId { get; init; }
    public required int Number { get; init; }
}
