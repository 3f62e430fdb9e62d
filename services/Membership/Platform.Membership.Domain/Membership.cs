using System.Linq.Expressions;

namespace Platform.Membership.Domain;

public enum MembershipStatus
{
    Applied,
    Active,
    Rejected,
    Suspended,
    Withdrawn,
}

public enum MembershipAction
{
    Approve,
    Reject,
    Suspend,
    Reinstate,
    Withdraw,
}

/// <summary>Who did something: the operator (consortium secretariat) or a partner organization's API key.</summary>
public sealed record Actor(string Kind, Guid? OrganizationId, Guid? ApiClientId)
{
    public static Actor Operator { get; } = new("operator", null, null);

    public static Actor Partner(Guid organizationId, Guid apiClientId) => new("partner", organizationId, apiClientId);
}

/// <summary>One step in a membership's life, kept forever as its audit trail.</summary>
public sealed record MembershipTransition
{
    public required MembershipStatus From { get; init; }
    public required MembershipStatus To { get; init; }
    /// <summary>Null for the application itself.</summary>
    public MembershipAction? Action { get; init; }
    public required Actor Actor { get; init; }
    public required DateTimeOffset At { get; init; }
    public string? Reason { get; init; }
}

/// <summary>
/// An organization's membership of a consortium:
/// applied → active (approve) | rejected (reject); active → suspended → active (reinstate);
/// active | suspended → withdrawn. Rejected and withdrawn are final: rejoining is a new application.
/// </summary>
public sealed class Membership
{
    private readonly List<MembershipTransition> _history = [];

    private Membership(Guid id, Guid consortiumId, Guid organizationId)
    {
        Id = id;
        ConsortiumId = consortiumId;
        OrganizationId = organizationId;
    }

    public Guid Id { get; private set; }
    public Guid ConsortiumId { get; private set; }
    public Guid OrganizationId { get; private set; }
    public MembershipStatus Status { get; private set; } = MembershipStatus.Applied;
    /// <summary>The role on the consortium's current council session, if any; lost on suspension or withdrawal.</summary>
    public CouncilRole? CouncilRole { get; private set; }
    public IReadOnlyList<MembershipTransition> History => _history;
    public DateTimeOffset AppliedAt { get; private set; }
    /// <summary>Time of the last transition (or of the application).</summary>
    public DateTimeOffset UpdatedAt { get; private set; }
    /// <summary>
    /// Raised by one with every transition; a new application starts after the previous membership of the same
    /// organization in the same consortium, so the version orders all of that pair's events. Carried by every
    /// membership event (read models apply only newer versions).
    /// </summary>
    public long Version { get; private set; }

    /// <summary>
    /// Still counts as a membership of the consortium: applied, active or suspended (only one such membership per
    /// organization at a time; the database's ux_memberships_current index says the same). Queries filter with it.
    /// </summary>
    public static Expression<Func<Membership, bool>> IsCurrentExpression { get; } =
        m => m.Status == MembershipStatus.Applied || m.Status == MembershipStatus.Active || m.Status == MembershipStatus.Suspended;

    /// <summary>An admitted member, active or suspended (not a mere applicant): it sees the consortium's members, council and mentors.</summary>
    public static Expression<Func<Membership, bool>> IsAdmittedExpression { get; } =
        m => m.Status == MembershipStatus.Active || m.Status == MembershipStatus.Suspended;

    // Compiled once from the expressions above, so the in-memory answer and the queries cannot drift apart.
    private static readonly Func<Membership, bool> IsCurrentRule = IsCurrentExpression.Compile();
    private static readonly Func<Membership, bool> IsAdmittedRule = IsAdmittedExpression.Compile();

    /// <summary>See <see cref="IsCurrentExpression"/>.</summary>
    public bool IsCurrent => IsCurrentRule(this);

    /// <summary>See <see cref="IsAdmittedExpression"/>.</summary>
    public bool IsAdmitted => IsAdmittedRule(this);

    /// <param name="previousVersion">The version of the organization's last membership of this consortium (0 if none).</param>
    public static Membership Apply(Guid id, Guid consortiumId, Guid organizationId, Actor actor, DateTimeOffset at, string? reason, long previousVersion = 0)
    {
        var membership = new Membership(id, consortiumId, organizationId) { AppliedAt = at, UpdatedAt = at, Version = previousVersion + 1 };
        membership._history.Add(new MembershipTransition { From = MembershipStatus.Applied, To = MembershipStatus.Applied, Actor = actor, At = at, Reason = reason });
        return membership;
    }

    /// <summary>The status an action leads to from the current one, or null when the action is not allowed now.</summary>
    public static MembershipStatus? Target(MembershipStatus current, MembershipAction action) => (current, action) switch
    {
        (MembershipStatus.Applied, MembershipAction.Approve) => MembershipStatus.Active,
        (MembershipStatus.Applied, MembershipAction.Reject) => MembershipStatus.Rejected,
        (MembershipStatus.Active, MembershipAction.Suspend) => MembershipStatus.Suspended,
        (MembershipStatus.Suspended, MembershipAction.Reinstate) => MembershipStatus.Active,
        (MembershipStatus.Active or MembershipStatus.Suspended, MembershipAction.Withdraw) => MembershipStatus.Withdrawn,
        _ => null,
    };

    /// <summary>The actions allowed from the current status (shown to a caller whose action was refused).</summary>
    public IReadOnlyList<MembershipAction> AllowedActions =>
        [.. Enum.GetValues<MembershipAction>().Where(action => Target(Status, action) is not null)];

    /// <summary>Performs the action, or returns false (and changes nothing) when it is not allowed from the current status.</summary>
    public bool TryPerform(MembershipAction action, Actor actor, DateTimeOffset at, string? reason, out MembershipTransition? transition)
    {
        transition = null;
        if (Target(Status, action) is not { } target) return false;
        transition = new MembershipTransition { From = Status, To = target, Action = action, Actor = actor, At = at, Reason = reason };
        _history.Add(transition);
        Status = target;
        UpdatedAt = at;
        Version++;
        if (target is not MembershipStatus.Active) CouncilRole = null;
        return true;
    }

    /// <summary>Why <paramref name="transition"/> costs the member its council role (suspended, withdrawn), or null when it does not.</summary>
    public static RoleRevocationCause? CouncilRoleLostBy(MembershipTransition transition)
    {
        ArgumentNullException.ThrowIfNull(transition);
        return transition.To switch
        {
            MembershipStatus.Suspended => RoleRevocationCause.Suspended,
            MembershipStatus.Withdrawn => RoleRevocationCause.Withdrawn,
            _ => null,
        };
    }

    /// <summary>Records the role designated for the current council session (rules checked by <see cref="CouncilDesignationRules"/>).</summary>
    public void DesignateCouncilRole(CouncilRole? role)
    {
        if (role is not null && Status is not MembershipStatus.Active)
            throw new InvalidOperationException($"Only an active member can hold a council role; this membership is {Status}.");
        CouncilRole = role;
    }
}
