namespace Platform.Membership.Domain;

/// <summary>One organization's role on a council session.</summary>
public sealed record CouncilDesignation(Guid OrganizationId, CouncilRole Role);

/// <summary>A reason one designation in a bulk request cannot be applied; the whole request is then refused.</summary>
public sealed record DesignationProblem(int Index, Guid OrganizationId, string Reason);

/// <summary>
/// A numbered council session (e.g. the first council session) with its term. Roles are designated in bulk
/// and all-or-nothing: every organization must be an active member, appear once, and at most one may be
/// secretary-general.
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
