namespace Platform.TalentPipeline.Domain;

/// <summary>An enterprise's talent demand: how many people of an occupation it needs, where and by when.</summary>
public sealed class TalentDemand
{
    public Guid Id { get; set; }
    public Guid ConsortiumId { get; set; }
    public Guid EnterpriseId { get; set; }
    public required string Occupation { get; set; }
    public List<string> Skills { get; set; } = [];
    public int Headcount { get; set; }
    public required string Region { get; set; }
    public DateOnly NeededBy { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>A college's supply: a graduating cohort of a major, training for an occupation.</summary>
public sealed class Cohort
{
    public Guid Id { get; set; }
    public Guid ConsortiumId { get; set; }
    public Guid CollegeId { get; set; }
    public required string Major { get; set; }
    public required string Occupation { get; set; }
    public int GraduationYear { get; set; }
    public int Headcount { get; set; }
    /// <summary>The college's region when the cohort was declared (from its organization profile), for matching.</summary>
    public string? Region { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>One part of a match score and why it was given.</summary>
public sealed record MatchReason(string Criterion, int Points, int OutOf, string Explanation);

/// <summary>A scored pairing of a demand and a cohort.</summary>
public sealed record MatchScore(int Score, IReadOnlyList<MatchReason> Reasons);

/// <summary>
/// Scores how well a cohort meets a demand, out of 100: occupation (50), region (20), timing (20) and headcount (10).
/// Deterministic and explained: every point comes with its reason. Cohorts graduate on 1 July of their year.
/// </summary>
public static class TalentMatching
{
    public static MatchScore Score(TalentDemand demand, Cohort cohort)
    {
        ArgumentNullException.ThrowIfNull(demand);
        ArgumentNullException.ThrowIfNull(cohort);
        MatchReason[] reasons = [Occupation(demand, cohort), Region(demand, cohort), Timing(demand, cohort), Headcount(demand, cohort)];
        return new MatchScore(reasons.Sum(r => r.Points), reasons);
    }

    private static MatchReason Occupation(TalentDemand demand, Cohort cohort)
    {
        const int outOf = 50;
        var wanted = Normalize(demand.Occupation);
        if (wanted == Normalize(cohort.Occupation))
            return new("occupation", outOf, outOf, $"The cohort trains for '{cohort.Occupation}', the occupation asked for.");
        var wantedWords = Words(demand.Occupation);
        var shared = wantedWords.Intersect(Words(cohort.Occupation)).ToList();
        if (shared.Count > 0)
            return new("occupation", 30, outOf, $"The cohort's occupation '{cohort.Occupation}' shares '{string.Join(" ", shared)}' with '{demand.Occupation}'.");
        var fromMajor = wantedWords.Intersect(Words(cohort.Major)).ToList();
        if (fromMajor.Count > 0)
            return new("occupation", 15, outOf, $"The cohort's major '{cohort.Major}' mentions '{string.Join(" ", fromMajor)}'.");
        return new("occupation", 0, outOf, $"The cohort trains for '{cohort.Occupation}', unrelated to '{demand.Occupation}'.");
    }

    private static MatchReason Region(TalentDemand demand, Cohort cohort)
    {
        const int outOf = 20;
        if (cohort.Region is null) return new("region", 0, outOf, "The college's region is not known.");
        if (Normalize(cohort.Region) == Normalize(demand.Region))
            return new("region", outOf, outOf, $"The college is in {cohort.Region}, where the demand is.");
        var shared = Words(demand.Region).Intersect(Words(cohort.Region)).ToList();
        if (shared.Count > 0)
            return new("region", 10, outOf, $"The college ({cohort.Region}) and the demand ({demand.Region}) share {string.Join(" ", shared)}.");
        return new("region", 0, outOf, $"The college is in {cohort.Region}, the demand in {demand.Region}.");
    }

    private static MatchReason Timing(TalentDemand demand, Cohort cohort)
    {
        const int outOf = 20;
        var graduates = new DateOnly(cohort.GraduationYear, 7, 1);
        var monthsEarly = MonthsBetween(graduates, demand.NeededBy);
        return monthsEarly switch
        {
            >= 0 and <= 12 => new("timing", outOf, outOf, $"Graduates {graduates:yyyy-MM-dd}, {monthsEarly} month(s) before it is needed by {demand.NeededBy:yyyy-MM-dd}."),
            > 12 => new("timing", 10, outOf, $"Graduates {graduates:yyyy-MM-dd}, more than a year before {demand.NeededBy:yyyy-MM-dd}; many may be placed already."),
            >= -6 => new("timing", 5, outOf, $"Graduates {graduates:yyyy-MM-dd}, {-monthsEarly} month(s) after it is needed by {demand.NeededBy:yyyy-MM-dd}."),
            _ => new("timing", 0, outOf, $"Graduates {graduates:yyyy-MM-dd}, too late for {demand.NeededBy:yyyy-MM-dd}."),
        };
    }

    private static MatchReason Headcount(TalentDemand demand, Cohort cohort)
    {
        const int outOf = 10;
        var covered = Math.Min(cohort.Headcount, demand.Headcount);
        var points = demand.Headcount == 0 ? 0 : outOf * covered / demand.Headcount;
        return new("headcount", points, outOf, $"The cohort of {cohort.Headcount} covers {covered} of the {demand.Headcount} needed.");
    }

    private static int MonthsBetween(DateOnly from, DateOnly to) => (to.Year - from.Year) * 12 + to.Month - from.Month;

    private static string Normalize(string text) => string.Join(' ', Words(text));

    private static IReadOnlyList<string> Words(string text) =>
        [.. text.ToLowerInvariant().Split([' ', ',', '-', '/', '(', ')', '.', ';'], StringSplitOptions.RemoveEmptyEntries)];
}
