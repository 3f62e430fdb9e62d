namespace Platform.Events.Domain;

/// <summary>A message the feed was built from, kept so the feed can be rebuilt from scratch.</summary>
public sealed class FeedSource
{
    public Guid MessageId { get; set; }
    public Guid ConsortiumId { get; set; }
    /// <summary>The contract's type name, e.g. <c>AgreementSigned</c>.</summary>
    public required string MessageType { get; set; }
    /// <summary>The message as JSON.</summary>
    public required string Body { get; set; }
    public DateTimeOffset OccurredAt { get; set; }
    public DateTimeOffset ReceivedAt { get; set; }
}
