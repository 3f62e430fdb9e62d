namespace Platform.Membership.Features.Council;

/// <summary>Open a numbered council session with its term (e.g. the first council session, 2023–2028).</summary>
public sealed record OpenCouncilSessionRequest : IValidatedRequest
{
    /// <summary>The session's number: the next after the current one (the first session is 1).</summary>
    [Range(1, 1000)] public required int Number { get; init; }

    /// <summary>The first day of the term; within ten years of today.</summary>
    public required DateOnly StartsOn { get; init; }

    /// <summary>The last day of the term, after <see cref="StartsOn"/>; within ten years of today.</summary>
    public required DateOnly EndsOn { get; init; }

    public IEnumerable<(string Field, string Message)> Validate()
    {
        if (CouncilDesignationRules.CheckTerm(Number, StartsOn, EndsOn) is { } problem) yield return (Number < 1 ? "number" : "endsOn", problem);
    }
}

/// <summary>One organization's role in a bulk designation.</summary>
public sealed record CouncilDesignationRequest
{
    /// <summary>An active member of the consortium.</summary>
    public required Guid OrganizationId { get; init; }

    public required CouncilRole Role { get; init; }
}

/// <summary>The session's roles as a whole: <c>[{ organizationId, role }]</c>, each organization once.</summary>
public sealed class CouncilDesignationsRequest : List<CouncilDesignationRequest>, IValidatedRequest
{
    /// <summary>Designations in one request; a council is far smaller.</summary>
    public const int MaxDesignations = 500;

    public IEnumerable<(string Field, string Message)> Validate()
    {
        if (Count > MaxDesignations) yield return ("", $"At most {MaxDesignations} designations per request.");
        // A bare array: the per-member JSON rules do not reach its elements, so a null element is refused here.
        for (var i = 0; i < Count; i++)
            if (this[i] is null) yield return ($"[{i}]", "Must not be null.");
    }
}

/// <summary>An organization's role on a council session.</summary>
public sealed record CouncilDesignationResponse
{
    public required Guid OrganizationId { get; init; }
    public required string OrganizationName { get; init; }
    /// <summary>The organization's name in Simplified Chinese; null when not known.</summary>
    public string? OrganizationNameZh { get; init; }
    public required CouncilRole Role { get; init; }
}

/// <summary>A council session with its roles, chair first.</summary>
public sealed record CouncilSessionResponse
{
    public required Guid Id { get; init; }
    public required Guid ConsortiumId { get; init; }
    public required int Number { get; init; }
    public required DateOnly StartsOn { get; init; }
    public required DateOnly EndsOn { get; init; }
    /// <summary>The latest session: the one whose roles the members hold now.</summary>
    public required bool IsCurrent { get; init; }
    public required DateTimeOffset OpenedAt { get; init; }
    public DateTimeOffset? LastDesignatedAt { get; init; }
    public required IReadOnlyList<CouncilDesignationResponse> Designations { get; init; }
}
