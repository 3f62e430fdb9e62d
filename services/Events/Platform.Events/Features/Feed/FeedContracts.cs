namespace Platform.Events.Features.Feed;

/// <summary>One line of the activity feed. Times carry the offset of the consortium's zone.</summary>
public sealed record FeedEntryResponse
{
    /// <summary>Stable: derived from the message the entry tells about, so a rebuilt feed has the same ids.</summary>
    public required Guid Id { get; init; }
    public required Guid ConsortiumId { get; init; }
    public required FeedEntryKind Kind { get; init; }
    /// <summary>A readable sentence in the reader's language (<c>Accept-Language</c>: English or Simplified Chinese).</summary>
    public required string Title { get; init; }
    public required string Content { get; init; }
    /// <summary>When the story happened (the source event's time; for a day of placements, the latest of that day).</summary>
    public required DateTimeOffset Published { get; init; }
    /// <summary>When the entry last changed in the feed; the feed is ordered by it, newest first.</summary>
    public required DateTimeOffset Updated { get; init; }
    /// <summary>Where to read more: a path on this service (events), or an absolute address (talent-pipeline's programs); absent when unknown.</summary>
    public string? Link { get; init; }
    /// <summary>For <c>placementMilestones</c>: the day's placement events of the program, per type.</summary>
    public PlacementTally? Tally { get; init; }

    public static FeedEntryResponse From(FeedEntry e, TimeZoneInfo zone, FeedLinks links)
    {
        ArgumentNullException.ThrowIfNull(e);
        ArgumentNullException.ThrowIfNull(links);
        var told = FeedText.Reader.Of(e);
        return new FeedEntryResponse
        {
            Id = e.Id,
            ConsortiumId = e.ConsortiumId,
            Kind = ApiEnum.TryParse<FeedEntryKind>(e.Kind, out var kind) ? kind : throw new InvalidOperationException($"Feed entry {e.Id} has the unknown kind '{e.Kind}'."),
            Title = told.Title,
            Content = told.Content,
            Published = ConsortiumTime.Show(e.OccurredAt, zone),
            Updated = ConsortiumTime.Show(e.UpdatedAt, zone),
            Link = links.Resolve(e.Link),
            Tally = e.Tally is null ? null : PlacementTally.From(e.Tally),
        };
    }
}

/// <summary>How many placement events of each type a program had on one day.</summary>
public sealed record PlacementTally
{
    public required int Enrolled { get; init; }
    public required int InternshipStarted { get; init; }
    public required int InternshipCompleted { get; init; }
    public required int OfferMade { get; init; }
    public required int OfferAccepted { get; init; }
    public required int Employed { get; init; }
    /// <summary>Still employed six months after starting.</summary>
    public required int Retained6Months { get; init; }
    /// <summary>Still employed twelve months after starting.</summary>
    public required int Retained12Months { get; init; }
    /// <summary>Left the program.</summary>
    public required int Withdrawn { get; init; }
    /// <summary>Placement types talent-pipeline added after this version of the feed (told in <c>content</c>).</summary>
    public required int Other { get; init; }

    private static readonly string[] Known =
        ["enrolled", "internshipStarted", "internshipCompleted", "offerMade", "offerAccepted", "employed", "retained6Months", "retained12Months", "withdrawn"];

    public static PlacementTally From(IReadOnlyDictionary<string, int> counts)
    {
        ArgumentNullException.ThrowIfNull(counts);
        int Of(string type) => counts.GetValueOrDefault(type);
        return new PlacementTally
        {
            Enrolled = Of("enrolled"),
            InternshipStarted = Of("internshipStarted"),
            InternshipCompleted = Of("internshipCompleted"),
            OfferMade = Of("offerMade"),
            OfferAccepted = Of("offerAccepted"),
            Employed = Of("employed"),
            Retained6Months = Of("retained6Months"),
            Retained12Months = Of("retained12Months"),
            Withdrawn = Of("withdrawn"),
            Other = counts.Where(c => !Known.Contains(c.Key)).Sum(c => c.Value),
        };
    }
}

/// <summary>The answer to a rebuild.</summary>
public sealed record FeedRebuilt(int Entries);
