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
    /// Replaces the roles as a whole (rules already checked by <see cref="CouncilDesignationRules.Check"/>) and says
    /// what changed: organizations with a new or different role, and organizations that lost their role.
    /// </summary>
    public (IReadOnlyList<CouncilDesignation> Assigned, IReadOnlyList<CouncilDesignation> Revoked) Redesignate(IReadOnlyList<CouncilDesignation> designations, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(designations);
        LastDesignatedAt = at;
        var before = Designations.ToDictionary(d => d.OrganizationId, d => d.Role);
        var after = designations.Select(d => d.OrganizationId).ToHashSet();
        var assigned = designations.Where(d => !before.TryGetValue(d.OrganizationId, out var role) || role != d.Role).ToList();
        var revoked = Designations.Where(d => !after.Contains(d.OrganizationId)).ToList();
        Designations = [.. designations];
        return (assigned, revoked);
    }

    /// <summary>The organization loses its role on this session (suspended or withdrawn); returns the role it had.</summary>
    public CouncilRole? RemoveDesignation(Guid organizationId)
    {
        var held = Designations.FirstOrDefault(d => d.OrganizationId == organizationId);
        if (held is null) return null;
        // A new list, so EF Core sees the JSON column change.
        Designations = [.. Designations.Where(d => d.OrganizationId != organizationId)];
        return held.Role;
    }
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
