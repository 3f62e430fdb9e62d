namespace Platform.Membership.Contracts;

// Every membership event carries the organization's name and kind, so a consumer can keep a member list
// (and write sentences such as "Shandong Beichen joined") without calling membership back.
// Every membership event also carries Version: the organization's membership version in that consortium, raised by
// one with each change in the same transaction (a new application continues after the previous membership's).
// A read model applies an event only if its Version is greater than the one it stored: deliveries can arrive in any
// order (retries, redeliveries, several instances) and the producers' clocks may disagree, so OccurredAt cannot
// order them. 0 means a build from before versions (order those by OccurredAt).

/// <summary>An organization applied to join a consortium.</summary>
public sealed record MembershipApplied
{
    public required Guid MembershipId { get; init; }
    public required Guid ConsortiumId { get; init; }
    public required Guid OrganizationId { get; init; }
    public required string OrganizationName { get; init; }
    /// <summary>The organization's name in Simplified Chinese; null when not known (and in messages from before it was carried).</summary>
    public string? OrganizationNameZh { get; init; }
    public required string OrganizationKind { get; init; }
    public required DateTimeOffset OccurredAt { get; init; }
    public long Version { get; init; }
}

/// <summary>An application was approved: the organization is now an active member and may take part in programs, demand and events.</summary>
public sealed record MembershipActivated
{
    public required Guid MembershipId { get; init; }
    public required Guid ConsortiumId { get; init; }
    public required Guid OrganizationId { get; init; }
    public required string OrganizationName { get; init; }
    /// <summary>The organization's name in Simplified Chinese; null when not known (and in messages from before it was carried).</summary>
    public string? OrganizationNameZh { get; init; }
    public required string OrganizationKind { get; init; }
    public string? Reason { get; init; }
    public required DateTimeOffset OccurredAt { get; init; }
    public long Version { get; init; }
}

/// <summary>An application was rejected.</summary>
public sealed record MembershipRejected
{
    public required Guid MembershipId { get; init; }
    public required Guid ConsortiumId { get; init; }
    public required Guid OrganizationId { get; init; }
    public required string OrganizationName { get; init; }
    /// <summary>The organization's name in Simplified Chinese; null when not known (and in messages from before it was carried).</summary>
    public string? OrganizationNameZh { get; init; }
    public string? Reason { get; init; }
    public required DateTimeOffset OccurredAt { get; init; }
    public long Version { get; init; }
}

/// <summary>An active member was suspended: it loses its council role and its open programs pause.</summary>
public sealed record MembershipSuspended
{
    public required Guid MembershipId { get; init; }
    public required Guid ConsortiumId { get; init; }
    public required Guid OrganizationId { get; init; }
    public required string OrganizationName { get; init; }
    /// <summary>The organization's name in Simplified Chinese; null when not known (and in messages from before it was carried).</summary>
    public string? OrganizationNameZh { get; init; }
    public string? Reason { get; init; }
    public required DateTimeOffset OccurredAt { get; init; }
    public long Version { get; init; }
}

/// <summary>A suspended member was reinstated: it is active again (without a council role until designated).</summary>
public sealed record MembershipReinstated
{
    public required Guid MembershipId { get; init; }
    public required Guid ConsortiumId { get; init; }
    public required Guid OrganizationId { get; init; }
    public required string OrganizationName { get; init; }
    /// <summary>The organization's name in Simplified Chinese; null when not known (and in messages from before it was carried).</summary>
    public string? OrganizationNameZh { get; init; }
    public required string OrganizationKind { get; init; }
    public string? Reason { get; init; }
    public required DateTimeOffset OccurredAt { get; init; }
    public long Version { get; init; }
}

/// <summary>A member left the consortium (from active or suspended).</summary>
public sealed record MembershipWithdrawn
{
    public required Guid MembershipId { get; init; }
    public required Guid ConsortiumId { get; init; }
    public required Guid OrganizationId { get; init; }
    public required string OrganizationName { get; init; }
    /// <summary>The organization's name in Simplified Chinese; null when not known (and in messages from before it was carried).</summary>
    public string? OrganizationNameZh { get; init; }
    public string? Reason { get; init; }
    public required DateTimeOffset OccurredAt { get; init; }
    public long Version { get; init; }
}
