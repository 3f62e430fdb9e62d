namespace Platform.TalentPipeline.Contracts;

// Stages, kinds and statuses travel as the API's camelCase strings (e.g. "internshipStarted", "orderClass").
// Trainees are pseudonymous: traineeRef is chosen by the college; no names or ID numbers ever travel.

/// <summary>A college's placement event was accepted (not a duplicate, not rejected).</summary>
public sealed record PlacementRecorded
{
    /// <summary>The college's own event id; (CollegeId, EventId) is unique.</summary>
    public required string EventId { get; init; }
    public required Guid CollegeId { get; init; }
    public required Guid ProgramId { get; init; }
    public required Guid ConsortiumId { get; init; }
    /// <summary>The program's title, so a feed can aggregate per program without calling back.</summary>
    public required string ProgramTitle { get; init; }
    public required string TraineeRef { get; init; }
    /// <summary><c>enrolled</c>, <c>internshipStarted</c>, …, <c>withdrawn</c> (API.md).</summary>
    public required string Type { get; init; }
    public Guid? EnterpriseId { get; init; }
    public required DateTimeOffset OccurredAt { get; init; }
    /// <summary>The trainee's stage after this event (out-of-order events never move it backwards).</summary>
    public required string Stage { get; init; }
    /// <summary>True when the event makes an impossible sequence (e.g. employed before enrolled); kept in history, counted as a data-quality issue.</summary>
    public required bool Flagged { get; init; }
    public required DateTimeOffset AcceptedAt { get; init; }
}

/// <summary>A trainee became employed (an accepted <c>employed</c> placement event).</summary>
public sealed record TraineeEmployed
{
    public required string EventId { get; init; }
    public required Guid CollegeId { get; init; }
    public required Guid ProgramId { get; init; }
    public required Guid ConsortiumId { get; init; }
    public required string ProgramTitle { get; init; }
    public required string TraineeRef { get; init; }
    public Guid? EnterpriseId { get; init; }
    public required DateTimeOffset OccurredAt { get; init; }
}
