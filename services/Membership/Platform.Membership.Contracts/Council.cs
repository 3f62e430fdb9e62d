namespace Platform.Membership.Contracts;

/// <summary>A numbered council session opened (e.g. the first council session, with its term).</summary>
public sealed record CouncilSessionOpened
{
    public required Guid ConsortiumId { get; init; }
    public required int SessionNumber { get; init; }
    public required DateOnly StartsOn { get; init; }
    public required DateOnly EndsOn { get; init; }
    public required DateTimeOffset OccurredAt { get; init; }
}

/// <summary>An organization was designated to a council role (<c>chair</c>, <c>viceChair</c>, <c>secretaryGeneral</c>, <c>councilMember</c>).</summary>
public sealed record CouncilRoleAssigned
{
    public required Guid ConsortiumId { get; init; }
    public required int SessionNumber { get; init; }
    public required Guid OrganizationId { get; init; }
    public required string OrganizationName { get; init; }
    /// <summary>The organization's name in Simplified Chinese; null when not known (and in messages from before it was carried).</summary>
    public string? OrganizationNameZh { get; init; }
    public required string Role { get; init; }
    public required DateTimeOffset OccurredAt { get; init; }
}

/// <summary>An organization lost its council role: a new designation left it out, or it was suspended or withdrew.</summary>
public sealed record CouncilRoleRevoked
{
    public required Guid ConsortiumId { get; init; }
    public required int SessionNumber { get; init; }
    public required Guid OrganizationId { get; init; }
    public required string OrganizationName { get; init; }
    /// <summary>The organization's name in Simplified Chinese; null when not known (and in messages from before it was carried).</summary>
    public string? OrganizationNameZh { get; init; }
    public required string Role { get; init; }
    /// <summary><c>redesignated</c>, <c>suspended</c> or <c>withdrawn</c>.</summary>
    public required string Cause { get; init; }
    public required DateTimeOffset OccurredAt { get; init; }
}

/// <summary>
/// Membership applied a council meeting's designations (<c>CouncilDesignationsRecorded</c> from the events service):
/// the roles now stand as recorded; the individual changes follow as CouncilRoleAssigned/CouncilRoleRevoked.
/// </summary>
public sealed record CouncilDesignationsApplied
{
    public required Guid RecordingId { get; init; }
    public required Guid ConsortiumId { get; init; }
    public required int SessionNumber { get; init; }
    public required int Designated { get; init; }
    public required DateTimeOffset OccurredAt { get; init; }
}

/// <summary>
/// Membership refused a council meeting's designations as a whole (all-or-nothing), e.g. an organization is not an
/// active member or two secretaries-general were named. Nothing changed; the reasons say what to correct.
/// </summary>
public sealed record CouncilDesignationsRejected
{
    public required Guid RecordingId { get; init; }
    public required Guid ConsortiumId { get; init; }
    public required int SessionNumber { get; init; }
    /// <summary>Field path (e.g. <c>designations[3].organizationId</c>) → reasons.</summary>
    public required IReadOnlyDictionary<string, string[]> Reasons { get; init; }
    public required DateTimeOffset OccurredAt { get; init; }
}
