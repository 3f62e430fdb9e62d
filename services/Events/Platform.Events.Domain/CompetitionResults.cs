namespace Platform.Events.Domain;

/// <summary>The published results of a skills competition; one set per competition.</summary>
public sealed class CompetitionResults
{
    private CompetitionResults() { }

    public CompetitionResults(Guid id, ConsortiumEvent competition, IEnumerable<RankedEntrant> entrants, DateTimeOffset publishedAt)
    {
        ArgumentNullException.ThrowIfNull(competition);
        if (!competition.AcceptsOutcomes) throw new InvalidOperationException("Results are published for a held competition.");
        if (competition.Kind != EventKind.SkillsCompetition) throw new InvalidOperationException("Results belong to a skills competition.");
        Id = id;
        EventId = competition.Id;
        ConsortiumId = competition.ConsortiumId;
        Entrants = [.. entrants.OrderBy(e => e.Rank)];
        PublishedAt = publishedAt;
    }

    public Guid Id { get; private set; }
    public Guid EventId { get; private set; }
    public Guid ConsortiumId { get; private set; }
    public List<RankedEntrant> Entrants { get; private set; } = [];
    public DateTimeOffset PublishedAt { get; private set; }
}
