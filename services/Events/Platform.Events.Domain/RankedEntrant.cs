namespace Platform.Events.Domain;

/// <summary>One ranked entrant of a skills competition (trainees are pseudonymous).</summary>
public sealed record RankedEntrant
{
    public required string TraineeRef { get; init; }
    public required Guid CollegeId { get; init; }
    public required string CollegeName { get; init; }
    public string? CollegeNameZh { get; init; }
    public required int Rank { get; init; }
    public string? Award { get; init; }
}
