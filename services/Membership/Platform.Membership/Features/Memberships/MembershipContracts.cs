namespace Platform.Membership.Features.Memberships;

/// <summary>An organization applies to join the consortium (recorded by the operator).</summary>
public sealed record ApplyForMembershipRequest : IValidatedRequest
{
    /// <summary>A registered organization.</summary>
    public required Guid OrganizationId { get; init; }

    /// <summary>Optional note kept in the history, e.g. "application letter of 2024-03-02".</summary>
    [MultiLine, MaxLength(InputLimits.Reason)] public string? Reason { get; init; }

    public IEnumerable<(string Field, string Message)> Validate() => FieldChecks.NotEmptyId(OrganizationId, "organizationId");
}

/// <summary>Approve an application: the organization becomes an active member.</summary>
public sealed record ApproveMembershipRequest
{
    /// <summary>Why, e.g. "approved by the council on 2024-03-20"; kept in the history.</summary>
    [MultiLine, MaxLength(InputLimits.Reason)] public string? Reason { get; init; }
}

/// <summary>Reject an application; final (the organization may apply again later).</summary>
public sealed record RejectMembershipRequest
{
    /// <summary>Why, e.g. "outside the consortium's region"; kept in the history.</summary>
    [MultiLine, MaxLength(InputLimits.Reason)] public string? Reason { get; init; }
}

/// <summary>Suspend an active member: it loses its council role.</summary>
public sealed record SuspendMembershipRequest
{
    /// <summary>Why, e.g. "dues unpaid for 2024"; kept in the history.</summary>
    [MultiLine, MaxLength(InputLimits.Reason)] public string? Reason { get; init; }
}

/// <summary>Reinstate a suspended member: it is active again, without a council role until designated.</summary>
public sealed record ReinstateMembershipRequest
{
    /// <summary>Why, e.g. "dues paid"; kept in the history.</summary>
    [MultiLine, MaxLength(InputLimits.Reason)] public string? Reason { get; init; }
}

/// <summary>Withdraw an active or suspended member from the consortium; final (it may apply again later).</summary>
public sealed record WithdrawMembershipRequest
{
    /// <summary>Why, e.g. "moved to another province"; kept in the history.</summary>
    [MultiLine, MaxLength(InputLimits.Reason)] public string? Reason { get; init; }
}

/// <summary>A membership with the member organization and its current council role.</summary>
public sealed record MembershipResponse
{
    public required Guid Id { get; init; }
    public required Guid ConsortiumId { get; init; }
    public required Guid OrganizationId { get; init; }
    public required string OrganizationName { get; init; }
    /// <summary>The organization's name in Simplified Chinese; null when not known.</summary>
    public string? OrganizationNameZh { get; init; }
    public required OrganizationKind OrganizationKind { get; init; }
    public required string Region { get; init; }
    public required MembershipStatus Status { get; init; }
    /// <summary>The role on the consortium's current council session; null without one.</summary>
    public CouncilRole? CouncilRole { get; init; }
    /// <summary>What the operator can do next (e.g. <c>suspend</c>, <c>withdraw</c>): each is a route <c>…/memberships/{membershipId}/{action}</c>.</summary>
    public required IReadOnlyList<MembershipAction> AllowedActions { get; init; }
    public required DateTimeOffset AppliedAt { get; init; }
    public required DateTimeOffset UpdatedAt { get; init; }
}

/// <summary>One step of a membership's audit trail.</summary>
public sealed record MembershipTransitionResponse
{
    public required MembershipStatus From { get; init; }
    public required MembershipStatus To { get; init; }
    /// <summary>Null for the application itself.</summary>
    public MembershipAction? Action { get; init; }
    /// <summary><c>operator</c>, or <c>partner</c> with its organization and API client.</summary>
    public required Actor Actor { get; init; }
    public required DateTimeOffset At { get; init; }
    public string? Reason { get; init; }
}

/// <summary>The audit trail of one membership, oldest first.</summary>
public sealed record MembershipHistoryResponse
{
    public required Guid MembershipId { get; init; }
    public required Guid ConsortiumId { get; init; }
    public required Guid OrganizationId { get; init; }
    public required MembershipStatus Status { get; init; }
    public required IReadOnlyList<MembershipTransitionResponse> Transitions { get; init; }
}
