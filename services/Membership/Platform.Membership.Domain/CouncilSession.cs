namespace Platform.Membership.Domain;

/// <summary>One organization's role on a council session.</summary>
public sealed record CouncilDesignation
{
    public CouncilDesignation()
    {
    }

    [System.Diagnostics.CodeAnalysis.SetsRequiredMembers]
    public CouncilDesignation(Guid organizationId, CouncilRole role)
    {
        OrganizationId = organizationId;
        Role = role;
    }

    public required Guid OrganizationId { get; init; }
    public required CouncilRole Role { get; init; }
}

/// <summary>A numbered council session of a consortium (e.g. the first council session) with its term and the roles designated on it.</summary>
public sealed class CouncilSession
{
    private CouncilSession()
    {
    }

    public Guid Id { get; private set; }
    public Guid ConsortiumId { get; private set; }
    public int Number { get; private set; }
    public DateOnly StartsOn { get; private set; }
    public DateOnly EndsOn { get; private set; }
    public DateTimeOffset OpenedAt { get; private set; }
    /// <summary>When roles were last designated; written by every designation, so two concurrent ones conflict on this row.</summary>
    public DateTimeOffset? LastDesignatedAt { get; private set; }
    /// <summary>The roles as last designated; replaced as a whole by each bulk designation.</summary>
    public List<CouncilDesignation> Designations { get; private set; } = [];

    public static CouncilSession Open(Guid id, Guid consortiumId, int number, DateOnly startsOn, DateOnly endsOn, DateTimeOffset at) =>
        new() { Id = id, ConsortiumId = consortiumId, Number = number, StartsOn = startsOn, EndsOn = endsOn, OpenedAt = at };

    /// <summary>
    /// Designates the session's roles as a whole, all-or-nothing: only the current session accepts designations
    /// (<paramref name="currentSessionNumber"/> is the consortium's latest), and <see cref="CouncilDesignationRules.Check"/>
    /// must find nothing wrong against <paramref name="activeMemberships"/> (the consortium's active memberships, whose
    /// council roles follow). Says what changed: roles new or different, and roles lost because the organization was left out.
    /// </summary>
    public DesignationResult Designate(IReadOnlyList<CouncilDesignation> designations, int currentSessionNumber,
        IReadOnlyList<Membership> activeMemberships, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(designations);
        ArgumentNullException.ThrowIfNull(activeMemberships);
        if (currentSessionNumber != Number) return new DesignationResult.NotCurrent(currentSessionNumber);
        if (activeMemberships.FirstOrDefault(m => m.ConsortiumId != ConsortiumId || m.Status != MembershipStatus.Active) is { } stray)
            throw new ArgumentException($"Membership {stray.Id} is not an active membership of this session's consortium.", nameof(activeMemberships));
        var problems = CouncilDesignationRules.Check(designations, activeMemberships.Select(m => m.OrganizationId).ToHashSet());
        if (problems.Count > 0) return new DesignationResult.Refused(problems);

        var before = Designations.ToDictionary(d => d.OrganizationId, d => d.Role);
        var after = designations.ToDictionary(d => d.OrganizationId, d => d.Role);
        var assigned = designations.Where(d => !before.TryGetValue(d.OrganizationId, out var role) || role != d.Role)
            .Select(d => new RoleAssigned(ConsortiumId, Number, d.OrganizationId, d.Role, at)).ToList();
        var revoked = Designations.Where(d => !after.ContainsKey(d.OrganizationId))
            .Select(d => new RoleRevoked(ConsortiumId, Number, d.OrganizationId, d.Role, RoleRevocationCause.Redesignated, at)).ToList();
        Designations = [.. designations];
        LastDesignatedAt = at;
        foreach (var membership in activeMemberships)
        {
            CouncilRole? role = after.TryGetValue(membership.OrganizationId, out var r) ? r : null;
            if (membership.CouncilRole != role) membership.DesignateCouncilRole(role);
        }
        return new DesignationResult.Applied(this, assigned, revoked);
    }

    /// <summary>
    /// Opening the next session ends this one's term: every member's role ends with it (the session keeps its
    /// designations as the record of who served). <paramref name="roleHolders"/> are the consortium's memberships holding a role.
    /// </summary>
    public IReadOnlyList<RoleRevoked> EndTerm(IEnumerable<Membership> roleHolders, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(roleHolders);
        var revoked = new List<RoleRevoked>();
        foreach (var membership in roleHolders)
        {
            if (membership.ConsortiumId != ConsortiumId || membership.CouncilRole is not { } role) continue;
            revoked.Add(new RoleRevoked(ConsortiumId, Number, membership.OrganizationId, role, RoleRevocationCause.TermEnded, at));
            membership.DesignateCouncilRole(null);
        }
        return revoked;
    }

    /// <summary>The organization loses its role on this session (it was suspended or withdrawn); null when it held none.</summary>
    public RoleRevoked? RevokeRole(Guid organizationId, RoleRevocationCause cause, DateTimeOffset at)
    {
        var held = Designations.FirstOrDefault(d => d.OrganizationId == organizationId);
        if (held is null) return null;
        // A new list, so EF Core sees the JSON column change.
        Designations = [.. Designations.Where(d => d.OrganizationId != organizationId)];
        return new RoleRevoked(ConsortiumId, Number, organizationId, held.Role, cause, at);
    }

    /// <summary>Rule for the next session's number: after the latest one (<paramref name="latest"/> null when none was opened); null when fine.</summary>
    public static string? CheckNextNumber(int number, int? latest) =>
        latest is { } n && number <= n ? $"Council session {n} is already open; the next session is number {n + 1}." : null;
}

/// <summary>Why an organization lost its council role.</summary>
public enum RoleRevocationCause
{
    /// <summary>Left out of a new bulk designation of the same session.</summary>
    Redesignated,
    /// <summary>The next session was opened.</summary>
    TermEnded,
    Suspended,
    Withdrawn,
}

/// <summary>An organization got a new or different role on a council session.</summary>
public sealed record RoleAssigned(Guid ConsortiumId, int SessionNumber, Guid OrganizationId, CouncilRole Role, DateTimeOffset At);

/// <summary>An organization lost its role on a council session.</summary>
public sealed record RoleRevoked(Guid ConsortiumId, int SessionNumber, Guid OrganizationId, CouncilRole Role, RoleRevocationCause Cause, DateTimeOffset At);

/// <summary>What became of a bulk designation of a council session.</summary>
public abstract record DesignationResult
{
    private DesignationResult()
    {
    }

    /// <summary>Only the latest session's roles can be designated; an earlier session's term is over.</summary>
    public sealed record NotCurrent(int CurrentNumber) : DesignationResult;

    /// <summary>Nothing was applied; every problem is listed.</summary>
    public sealed record Refused(IReadOnlyList<DesignationProblem> Problems) : DesignationResult;

    public sealed record Applied(CouncilSession Session, IReadOnlyList<RoleAssigned> Assigned, IReadOnlyList<RoleRevoked> Revoked) : DesignationResult;
}

/// <summary>A reason one designation in a bulk request cannot be applied; the whole request is then refused.</summary>
public sealed record DesignationProblem(int Index, Guid OrganizationId, string Reason);

/// <summary>
/// Roles are designated in bulk and all-or-nothing: every organization must be an active member, appear
/// once, and at most one may be secretary-general.
/// </summary>
public static class CouncilDesignationRules
{
    /// <summary>Checks a bulk designation against the consortium's active members; an empty result means it can be applied.</summary>
    public static IReadOnlyList<DesignationProblem> Check(IReadOnlyList<CouncilDesignation> designations, IReadOnlySet<Guid> activeMembers)
    {
        ArgumentNullException.ThrowIfNull(designations);
        ArgumentNullException.ThrowIfNull(activeMembers);
        var problems = new List<DesignationProblem>();
        var seen = new HashSet<Guid>();
        var secretaryGenerals = 0;
        for (var i = 0; i < designations.Count; i++)
        {
            var designation = designations[i];
            if (!activeMembers.Contains(designation.OrganizationId))
                problems.Add(new(i, designation.OrganizationId, "The organization is not an active member of this consortium."));
            if (!seen.Add(designation.OrganizationId))
                problems.Add(new(i, designation.OrganizationId, "The organization is designated more than once; give each organization one role."));
            if (designation.Role == CouncilRole.SecretaryGeneral && ++secretaryGenerals == 2)
                problems.Add(new(i, designation.OrganizationId, "A council session has at most one secretary-general organization."));
        }
        return problems;
    }

    /// <summary>A session's term must end after it starts.</summary>
    public static string? CheckTerm(int number, DateOnly startsOn, DateOnly endsOn) =>
        number < 1 ? "Council sessions are numbered from 1."
        : endsOn <= startsOn ? "A council session must end after it starts."
        : null;
}
