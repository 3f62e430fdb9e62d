namespace Platform.Events.Domain;

// The events service's copy of what membership publishes (event-carried state): enough to check that organizers
// and agreement parties are active members and to name them, while membership itself may be down.

/// <summary>A consortium as membership announced it.</summary>
public sealed class KnownConsortium
{
    public const string DefaultTimeZone = "Asia/Shanghai";

    public Guid Id { get; set; }
    public required string Name { get; set; }
    /// <summary>The name in Simplified Chinese, when membership knows it.</summary>
    public string? NameZh { get; set; }
    /// <summary>IANA zone its events are shown in.</summary>
    public required string TimeZone { get; set; }
    public DateTimeOffset ChangedAt { get; set; }
}
