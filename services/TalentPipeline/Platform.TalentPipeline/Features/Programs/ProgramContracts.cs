namespace Platform.TalentPipeline.Features.Programs;

/// <summary>A new cooperation program (created as a draft; launch it to make it active).</summary>
public sealed record CreateProgramRequest : IValidatedRequest
{
    /// <summary>The consortium whose members run it.</summary>
    public required Guid ConsortiumId { get; init; }

    public required ProgramKind Kind { get; init; }

    /// <summary>e.g. "Intelligent welding order class".</summary>
    [MaxLength(300)] public required string Title { get; init; }

    /// <summary>Participating colleges (active members of the consortium).</summary>
    [MaxLength(50)] public required IReadOnlyList<Guid> CollegeIds { get; init; }

    /// <summary>Participating enterprises (active members of the consortium).</summary>
    [MaxLength(50)] public required IReadOnlyList<Guid> EnterpriseIds { get; init; }

    /// <summary>Occupation or major trained for, e.g. "welder".</summary>
    [MaxLength(200)] public string? Occupation { get; init; }

    /// <summary>Trainee places, when limited.</summary>
    [Range(1, 100_000)] public int? Seats { get; init; }

    /// <summary>First day, within ten years of today.</summary>
    public DateOnly? StartsOn { get; init; }

    /// <summary>Last day, within ten years of today, not before startsOn.</summary>
    public DateOnly? EndsOn { get; init; }

    public IEnumerable<(string Field, string Message)> Validate()
    {
        foreach (var error in FieldChecks.Text(Title, "title", 300)) yield return error;
        if (StartsOn is { } starts && EndsOn is { } ends && ends < starts) yield return ("endsOn", "Must not be before startsOn.");
        if (CollegeIds.Count + EnterpriseIds.Count == 0) yield return ("collegeIds", "A program needs at least one party.");
        if (Kind is ProgramKind.OrderClass or ProgramKind.Apprenticeship)
        {
            if (CollegeIds.Count == 0) yield return ("collegeIds", "An order class or apprenticeship needs a college.");
            if (EnterpriseIds.Count == 0) yield return ("enterpriseIds", "An order class or apprenticeship needs an enterprise.");
        }
    }
}

/// <summary>Why a program is completed.</summary>
public sealed record CompleteProgramRequest
{
    /// <summary>Shown to the parties with the status change.</summary>
    [MultiLine, MaxLength(InputLimits.Reason)] public string? Reason { get; init; }
}

/// <summary>Why a program is cancelled.</summary>
public sealed record CancelProgramRequest
{
    /// <summary>Shown to the parties with the status change.</summary>
    [MultiLine, MaxLength(InputLimits.Reason)] public string? Reason { get; init; }
}

/// <summary>A cooperation program.</summary>
/// <param name="Status">draft, active, paused (a party is suspended), completed or cancelled.</param>
/// <param name="PausedBy">The suspended parties keeping it paused.</param>
/// <param name="AgreementId">The signed agreement it was created from, if any.</param>
public sealed record ProgramResponse(Guid Id, Guid ConsortiumId, ProgramKind Kind, string Title, IReadOnlyList<Guid> CollegeIds, IReadOnlyList<Guid> EnterpriseIds,
    string? Occupation, int? Seats, DateOnly? StartsOn, DateOnly? EndsOn, ProgramStatus Status, IReadOnlyList<Guid> PausedBy, Guid? AgreementId,
    DateTimeOffset CreatedAt)
{
    public static ProgramResponse From(CooperationProgram p) => new(p.Id, p.ConsortiumId, p.Kind, p.Title, p.CollegeIds, p.EnterpriseIds, p.Occupation,
        p.Seats, p.StartsOn, p.EndsOn, p.Status, p.PausedBy, p.AgreementId, p.CreatedAt);
}
