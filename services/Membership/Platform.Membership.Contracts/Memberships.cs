namespace Platform.Membership.Contracts;

// Every membership event carries the organization's name and kind, so a consumer can keep a member list
// (and write sentences such as "Shandong Beichen joined") without calling membership back.

/// <summary>An organization applied to join a consortium.</summary>
public sealed record MembershipApplied
{
    public required Guid MembershipId { get; init; }
    public required Guid ConsortiumId { get; init; }
    public required Guid OrganizationId { get; init; }
    public required string OrganizationName { get; init; }
    public required string OrganizationKind { get; init; }
    public required DateTimeOffset OccurredAt { get; init; }
}

/// <summary>An application was approved: the organization is now an active member and may take part in programs, demand and events.</summary>
public sealed record MembershipActivated
{
    public required Guid MembershipId { get; init; }
    public required Guid ConsortiumId { get; init; }
    public required Guid OrganizationId { get; init; }
    public required string OrganizationName { get; init; }
    public required string OrganizationKind { get; init; }
    public string? Reason { get; init; }
    public required DateTimeOffset OccurredAt { get; init; }
}

/// <summary>An application was rejected.</summary>
public sealed record MembershipRejected
{
    public required Guid MembershipId { get; init; }
    public required Guid ConsortiumId { get; init; }
    public required Guid OrganizationId { get; init; }
    public required string OrganizationName { get; init; }
    public string? Reason { get; init; }
    public required DateTimeOffset OccurredAt { get; init; }
}

/// <summary>An active member was suspended: it loses its council role and its open programs pause.</summary>
public sealed record MembershipSuspended
{
    public required Guid MembershipId { get; init; }
    public required Guid ConsortiumId { get; init; }
    public required Guid OrganizationId { get; init; }
    public required string OrganizationName { get; init; }
    public string? Reason { get; init; }
    public required DateTimeOffset OccurredAt { get; init; }
}

/// <summary>A suspended member was reinstated: it is active again (without a council role until designated).</summary>
public sealed record MembershipReinstated
{
    public required Guid MembershipId { get; init; }
    public required Guid ConsortiumId { get; init; }
    public required Guid OrganizationId { get; init; }
    public required string OrganizationName { get; init; }
    public required string OrganizationKind { get; init; }
    public string? Reason { get; init; }
    public required DateTimeOffset OccurredAt { get; init; }
}

/// <summary>A member left the consortium (from active or suspended).</summary>
public sealed record MembershipWithdrawn
{
    public required Guid MembershipId { get; init; }
    public required Guid ConsortiumId { get; init; }
    public required Guid OrganizationId { get; init; }
    public required string OrganizationName { get; init; }
    public string? Reason { get; init; }
    public required DateTimeOffset OccurredAt { get; init; }
}
