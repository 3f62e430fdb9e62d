namespace Platform.Events.Features.Outcomes;

/// <summary>An agreement signed at the event.</summary>
public sealed record RecordAgreementRequest : IValidatedRequest
{
    /// <summary>The signing organizations (2 to 20, each once), active members of the event's consortium.</summary>
    [MaxLength(20)]
    public required IReadOnlyList<Guid> Parties { get; init; }
    public required AgreementKind Kind { get; init; }
    [MaxLength(300)]
    public required string Title { get; init; }
    /// <summary>The occupation or major trained for, e.g. "intelligent welding".</summary>
    [MaxLength(200)]
    public string? Occupation { get; init; }
    /// <summary>Defaults to the event's (local) day.</summary>
    public DateOnly? SignedOn { get; init; }

    public IEnumerable<(string Field, string Message)> Validate()
    {
        foreach (var problem in FieldChecks.Text(Title, "title", 300)) yield return problem;
        if (Parties.Count < 2) yield return ("parties", "Expected 2 to 20 signing organizations.");
        for (var i = 0; i < Parties.Count; i++)
        {
            if (Parties.Take(i).Contains(Parties[i])) yield return ($"parties[{i}]", "Listed twice.");
        }
    }
}

/// <summary>A plaque unveiled at the event.</summary>
public sealed record RecordUnveilingRequest : IValidatedRequest
{
    /// <summary>The plaque's name, e.g. "Jining Municipal High-Skilled Talent Training Base".</summary>
    [MaxLength(300)]
    public required string Name { get; init; }
    /// <summary>The organization hosting the base or center; an active member of the consortium.</summary>
    public required Guid HostOrganizationId { get; init; }
    public required UnveilingKind Kind { get; init; }
    /// <summary>Defaults to the event's (local) day.</summary>
    public DateOnly? UnveiledOn { get; init; }

    public IEnumerable<(string Field, string Message)> Validate() => FieldChecks.Text(Name, "name", 300);
}

/// <summary>One role designated at the meeting.</summary>
public sealed record DesignationRequest
{
    public required Guid OrganizationId { get; init; }
    public required CouncilRole Role { get; init; }
}

/// <summary>The council roles designated at a council (or founding) meeting; membership applies them as a whole or rejects them.</summary>
public sealed record RecordCouncilDesignationsRequest : IValidatedRequest
{
    /// <summary>The council session the roles are for (1 = the first council).</summary>
    [Range(1, 1000)]
    public required int SessionNumber { get; init; }
    /// <summary>1 to 500 roles, one per organization.</summary>
    [MaxLength(500)]
    public required IReadOnlyList<DesignationRequest> Designations { get; init; }

    public IEnumerable<(string Field, string Message)> Validate()
    {
        if (Designations.Count == 0) yield return ("designations", "Expected 1 to 500 designations.");
        for (var i = 0; i < Designations.Count; i++)
        {
            if (Designations.Take(i).Any(d => d.OrganizationId == Designations[i].OrganizationId))
                yield return ($"designations[{i}].organizationId", "Designated twice.");
        }
    }
}

/// <summary>One ranked entrant.</summary>
public sealed record EntrantRequest
{
    /// <summary>The college's pseudonymous reference for the trainee (no names, never an ID number).</summary>
    [MaxLength(PersonReference.MaxLength)]
    public required string TraineeRef { get; init; }
    public required Guid CollegeId { get; init; }
    [Range(1, 100_000)]
    public required int Rank { get; init; }
    /// <summary>e.g. "First prize"; null without an award.</summary>
    [MaxLength(100)]
    public string? Award { get; init; }
}

/// <summary>The results of a skills competition.</summary>
public sealed record PublishCompetitionResultsRequest : IValidatedRequest
{
    /// <summary>1 to 5000 entrants, each trainee once per college.</summary>
    [MaxLength(5000)]
    public required IReadOnlyList<EntrantRequest> Entrants { get; init; }

    public IEnumerable<(string Field, string Message)> Validate()
    {
        if (Entrants.Count == 0) yield return ("entrants", "Expected 1 to 5000 entrants.");
        var seen = new HashSet<(Guid, string)>();
        for (var i = 0; i < Entrants.Count; i++)
        {
            var entrant = Entrants[i];
            foreach (var problem in PersonReference.Check(entrant.TraineeRef, $"entrants[{i}].traineeRef")) yield return problem;
            if (!seen.Add((entrant.CollegeId, entrant.TraineeRef))) yield return ($"entrants[{i}].traineeRef", "Listed twice.");
        }
    }
}

/// <summary>An agreement in the register.</summary>
public sealed record AgreementResponse(Guid Id, Guid EventId, string? EventTitle, Guid ConsortiumId, AgreementKind Kind, string Title, string? Occupation,
    IReadOnlyList<NamedOrganization> Parties, DateOnly SignedOn)
{
    public static AgreementResponse From(Agreement a, string? eventTitle)
    {
        ArgumentNullException.ThrowIfNull(a);
        return new(a.Id, a.EventId, eventTitle, a.ConsortiumId, a.Kind, a.Title, a.Occupation, a.Parties, a.SignedOn);
    }
}

/// <summary>An unveiled plaque and what talent-pipeline did with it (state, the program, or the reasons of a rejection).</summary>
public sealed record UnveilingResponse(Guid Id, Guid EventId, string Name, Guid HostOrganizationId, string HostOrganizationName, string? HostOrganizationNameZh, UnveilingKind Kind,
    DateOnly UnveiledOn,
    UnveilingState State, Guid? ProgramId, IReadOnlyDictionary<string, List<string>>? Reasons, DateTimeOffset? ResolvedAt)
{
    public static UnveilingResponse From(Unveiling u)
    {
        ArgumentNullException.ThrowIfNull(u);
        return new(u.Id, u.EventId, u.Name, u.HostOrganizationId, u.HostOrganizationName, u.HostOrganizationNameZh, u.Kind, u.UnveiledOn, u.State, u.ProgramId,
            u.State == UnveilingState.Rejected ? u.Refusals.ToDictionary(r => r.Field, r => r.Reasons) : null, u.ResolvedAt);
    }
}

/// <summary>Recorded council designations and what membership did with them.</summary>
public sealed record CouncilDesignationsResponse(Guid Id, Guid EventId, int SessionNumber, IReadOnlyList<Designation> Designations,
    DesignationsState State, IReadOnlyDictionary<string, List<string>>? Reasons, DateTimeOffset? ResolvedAt)
{
    public static CouncilDesignationsResponse From(CouncilDesignationRecording d)
    {
        ArgumentNullException.ThrowIfNull(d);
        return new(d.Id, d.EventId, d.SessionNumber, d.Designations, d.State,
            d.State == DesignationsState.Rejected ? d.Refusals.ToDictionary(r => r.Field, r => r.Reasons) : null, d.ResolvedAt);
    }
}

/// <summary>Published competition results, ranked.</summary>
public sealed record CompetitionResultsResponse(Guid Id, Guid EventId, IReadOnlyList<EntrantResponse> Entrants, DateTimeOffset PublishedAt)
{
    /// <summary>The results; <paramref name="seesRefsOf"/> says for which colleges the caller sees trainee refs (null: all).</summary>
    public static CompetitionResultsResponse From(CompetitionResults r, Func<Guid, bool>? seesRefsOf = null)
    {
        ArgumentNullException.ThrowIfNull(r);
        return new(r.Id, r.EventId,
            [.. r.Entrants.Select(e => new EntrantResponse(seesRefsOf is null || seesRefsOf(e.CollegeId) ? e.TraineeRef : null, e.CollegeId, e.CollegeName, e.CollegeNameZh, e.Rank, e.Award))],
            r.PublishedAt);
    }
}

/// <summary>A ranked entrant. <c>traineeRef</c> is null unless the caller is the operator, an organizer or the entrant's college.</summary>
public sealed record EntrantResponse(string? TraineeRef, Guid CollegeId, string CollegeName, string? CollegeNameZh, int Rank, string? Award);
