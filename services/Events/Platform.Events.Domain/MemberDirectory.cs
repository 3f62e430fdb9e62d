namespace Platform.Events.Domain;

// The events service's copy of what membership publishes (event-carried state): enough to check that organizers
// and agreement parties are active members and to name them, while membership itself may be down.

/// <summary>A consortium as membership announced it.</summary>
public sealed class KnownConsortium
{
    public const string DefaultTimeZone = "Asia/Shanghai";

    public Guid Id { get; set; }
    public required string Name { get; set; }
    /// <summary>IANA zone its events are shown in.</summary>
    public required string TimeZone { get; set; }
    public DateTimeOffset ChangedAt { get; set; }
}

/// <summary>An organization as membership announced it.</summary>
public sealed class KnownOrganization
{
    public Guid Id { get; set; }
    public required string Name { get; set; }
    /// <summary>The API's organization kind, e.g. <c>technicianCollege</c>.</summary>
    public required string Kind { get; set; }
    public DateTimeOffset ChangedAt { get; set; }
}

/// <summary>An organization's membership of a consortium, as of the latest membership event.</summary>
public sealed class KnownMembership
{
    public const string Active = "active";

    public Guid ConsortiumId { get; set; }
    public Guid OrganizationId { get; set; }
    public Guid MembershipId { get; set; }
    /// <summary><c>applied</c>, <c>active</c>, <c>rejected</c>, <c>suspended</c> or <c>withdrawn</c>.</summary>
    public required string Status { get; set; }
    /// <summary>When the event that set the status occurred (the producer's clock: shown, not used for order).</summary>
    public DateTimeOffset ChangedAt { get; set; }
    /// <summary>Membership's version of the event that set the status; only a greater one overwrites it (0: from before versions, ordered by time).</summary>
    public long Version { get; set; }
}
