namespace Platform.TalentPipeline.Features.Placements;

// The two request shapes document POST /placement-events; the endpoint reads the body field by field (PlacementReading)
// so that one malformed event is rejected in the report while the others are accepted.

/// <summary>One placement event as a college sends it (JSON, or a CSV row with these column names).</summary>
public sealed record PlacementEventRequest
{
    /// <summary>The college's own id of the event; a resend with the same id is a duplicate.</summary>
    [MaxLength(100)] public required string EventId { get; init; }

    /// <summary>The college pushing it: the organization of the API key.</summary>
    public required Guid CollegeId { get; init; }

    /// <summary>A launched program the college is a party to.</summary>
    public required Guid ProgramId { get; init; }

    /// <summary>The college's pseudonymous reference of the trainee (never a name or ID number).</summary>
    [MaxLength(PersonReference.MaxLength)] public required string TraineeRef { get; init; }

    public required PlacementType Type { get; init; }

    /// <summary>When it happened (ISO 8601 with offset, e.g. 2025-07-01T09:00:00+08:00).</summary>
    public required DateTimeOffset OccurredAt { get; init; }

    /// <summary>The enterprise concerned (internship host, employer), when there is one.</summary>
    public Guid? EnterpriseId { get; init; }
}

/// <summary>A batch of placement events.</summary>
public sealed record PlacementBatchRequest
{
    /// <summary>1 to 1,000 events, answered in this order.</summary>
    [MinLength(1), MaxLength(PlacementReading.MaxBatch)] public required IReadOnlyList<PlacementEventRequest> Events { get; init; }
}

/// <summary>What became of each event of a submission.</summary>
public enum PlacementOutcome
{
    Accepted,
    Duplicate,
    Rejected,
}

/// <summary>One reason an event was rejected: the field (JSON path, or CSV column) and what is wrong.</summary>
public sealed record PlacementReason(string Field, string Message);

/// <summary>The answer for one event.</summary>
/// <param name="Index">Position in the submission (0-based).</param>
/// <param name="Line">CSV line number (1 is the header), for CSV uploads.</param>
/// <param name="Status">accepted, duplicate or rejected.</param>
/// <param name="Stage">The trainee's stage after an accepted event.</param>
/// <param name="Flag">For an accepted event that makes an impossible sequence: afterWithdrawn, employedBeforeEnrolled or retentionBeforeEmployment.</param>
public sealed record PlacementResult(int Index, int? Line, string? EventId, PlacementOutcome Status, IReadOnlyList<PlacementReason>? Reasons,
    PlacementType? Stage, PlacementFlag? Flag);

/// <summary>The report of a submission: counts and one result per event, in submission order.</summary>
public sealed record PlacementReport(int Accepted, int Duplicates, int Rejected, IReadOnlyList<PlacementResult> Results)
{
    public static PlacementReport Of(IReadOnlyList<PlacementResult> results) => new(
        results.Count(r => r.Status == PlacementOutcome.Accepted), results.Count(r => r.Status == PlacementOutcome.Duplicate),
        results.Count(r => r.Status == PlacementOutcome.Rejected), results);
}

/// <summary>One event of a trainee's history.</summary>
public sealed record TraineeEventResponse(string EventId, Guid ProgramId, PlacementType Type, DateTimeOffset OccurredAt, Guid? EnterpriseId,
    PlacementFlag? Flag, DateTimeOffset AcceptedAt);

/// <summary>A trainee's current stage and whole history (ordered by occurredAt).</summary>
public sealed record TraineeResponse(Guid CollegeId, string TraineeRef, Guid ConsortiumId, Guid ProgramId, PlacementType Stage, DateTimeOffset StageOccurredAt,
    IReadOnlyList<TraineeEventResponse> History);

/// <summary>A college's data-quality issues: accepted events that make impossible sequences.</summary>
public sealed record DataQualityResponse(Guid? CollegeId, int Issues, IReadOnlyDictionary<string, int> ByFlag, IReadOnlyList<FlaggedEventResponse> Recent);

/// <summary>One flagged event.</summary>
public sealed record FlaggedEventResponse(Guid CollegeId, string EventId, string TraineeRef, PlacementType Type, DateTimeOffset OccurredAt, PlacementFlag Flag);
