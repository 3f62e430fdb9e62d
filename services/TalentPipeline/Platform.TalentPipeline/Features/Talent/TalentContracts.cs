namespace Platform.TalentPipeline.Features.Talent;

/// <summary>An enterprise's talent demand.</summary>
public sealed record CreateDemandRequest : IValidatedRequest
{
    public required Guid ConsortiumId { get; init; }

    /// <summary>The enterprise that needs the people: an active member of the consortium.</summary>
    public required Guid EnterpriseId { get; init; }

    /// <summary>e.g. "welder".</summary>
    [MaxLength(200)] public required string Occupation { get; init; }

    /// <summary>People needed.</summary>
    [Range(1, 100_000)] public required int Headcount { get; init; }

    /// <summary>Where the jobs are, e.g. "Jinan".</summary>
    [MaxLength(200)] public required string Region { get; init; }

    /// <summary>When they are needed, within ten years of today.</summary>
    public required DateOnly NeededBy { get; init; }

    /// <summary>e.g. ["robotic welding", "blueprint reading"], each 1 to 100 characters.</summary>
    [MaxLength(50)] public IReadOnlyList<string>? Skills { get; init; }

    public IEnumerable<(string Field, string Message)> Validate()
    {
        foreach (var error in FieldChecks.Text(Occupation, "occupation", 200)) yield return error;
        foreach (var error in FieldChecks.Text(Region, "region", 200)) yield return error;
        for (var i = 0; i < (Skills?.Count ?? 0); i++)
            foreach (var error in FieldChecks.Text(Skills![i], $"skills[{i}]", 100)) yield return error;
    }
}

/// <summary>A talent demand.</summary>
public sealed record DemandResponse(Guid Id, Guid ConsortiumId, Guid EnterpriseId, string Occupation, IReadOnlyList<string> Skills, int Headcount, string Region,
    DateOnly NeededBy, DateTimeOffset CreatedAt)
{
    public static DemandResponse From(TalentDemand d) => new(d.Id, d.ConsortiumId, d.EnterpriseId, d.Occupation, d.Skills, d.Headcount, d.Region, d.NeededBy, d.CreatedAt);
}

/// <summary>A college's graduating cohort.</summary>
public sealed record CreateCohortRequest : IValidatedRequest
{
    public required Guid ConsortiumId { get; init; }

    /// <summary>The college declaring it: an active member of the consortium.</summary>
    public required Guid CollegeId { get; init; }

    /// <summary>e.g. "Welding technology and automation".</summary>
    [MaxLength(200)] public required string Major { get; init; }

    /// <summary>The occupation it trains for, e.g. "welder".</summary>
    [MaxLength(200)] public required string Occupation { get; init; }

    [Range(2000, 2100)] public required int GraduationYear { get; init; }

    /// <summary>Graduates in the cohort.</summary>
    [Range(1, 100_000)] public required int Headcount { get; init; }

    public IEnumerable<(string Field, string Message)> Validate()
    {
        foreach (var error in FieldChecks.Text(Major, "major", 200)) yield return error;
        foreach (var error in FieldChecks.Text(Occupation, "occupation", 200)) yield return error;
    }
}

/// <summary>A cohort.</summary>
/// <param name="Region">The college's region, from its organization profile.</param>
public sealed record CohortResponse(Guid Id, Guid ConsortiumId, Guid CollegeId, string Major, string Occupation, int GraduationYear, int Headcount, string? Region,
    DateTimeOffset CreatedAt)
{
    public static CohortResponse From(Cohort c) => new(c.Id, c.ConsortiumId, c.CollegeId, c.Major, c.Occupation, c.GraduationYear, c.Headcount, c.Region, c.CreatedAt);
}

/// <summary>One ranked match, best first, with every reason for its score (out of 100).</summary>
/// <param name="Cohort">The matched cohort (in a demand's matches).</param>
/// <param name="Demand">The matched demand (in a cohort's matches).</param>
public sealed record MatchResponse(int Rank, int Score, CohortResponse? Cohort, DemandResponse? Demand, IReadOnlyList<MatchReason> Reasons);
