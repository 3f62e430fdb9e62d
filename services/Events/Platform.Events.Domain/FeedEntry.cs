namespace Platform.Events.Domain;

/// <summary>
/// One line of a consortium's activity feed ("group news"). Its id is derived from the message it tells about
/// (or, for placement milestones, from program and day); it is published when the source event occurred and updated
/// when the feed last received a message that wrote it, so rebuilding the feed from the same kept messages gives the
/// same entries.
/// </summary>
public sealed class FeedEntry
{
    private FeedEntry()
    {
        Kind = null!;
        Title = null!;
        Content = null!;
    }

    public FeedEntry(Guid id, Guid consortiumId, string kind, string title, string content, string titleZh, string contentZh,
        DateTimeOffset occurredAt, string? link, DateTimeOffset updatedAt)
    {
        Id = id;
        ConsortiumId = consortiumId;
        Kind = kind;
        Title = title;
        Content = content;
        TitleZh = titleZh;
        ContentZh = contentZh;
        OccurredAt = occurredAt.ToUniversalTime();
        Link = link;
        UpdatedAt = updatedAt.ToUniversalTime();
    }

    public Guid Id { get; private set; }
    public Guid ConsortiumId { get; private set; }
    /// <summary>What happened, e.g. <c>memberJoined</c>, <c>agreementSigned</c>, <c>placementMilestones</c>.</summary>
    public string Kind { get; private set; }
    /// <summary>A readable sentence.</summary>
    public string Title { get; private set; }
    public string Content { get; private set; }
    /// <summary>The title in Simplified Chinese; null on an entry written before the feed spoke Chinese (a rebuild tells it).</summary>
    public string? TitleZh { get; private set; }
    public string? ContentZh { get; private set; }
    /// <summary>When it happened (the source event's time; for a day of placements, the latest of that day).</summary>
    public DateTimeOffset OccurredAt { get; private set; }
    /// <summary>When the entry was last written: the receipt of the newest message it tells. The feed is paged in this order.</summary>
    public DateTimeOffset UpdatedAt { get; private set; }
    /// <summary>Where to read more on this platform's API, if anywhere (a path; <c>FeedLinks</c> makes it an address).</summary>
    public string? Link { get; private set; }
    /// <summary>For a day of placement milestones: how many of each type (e.g. <c>employed</c> → 3).</summary>
    public Dictionary<string, int>? Tally { get; private set; }

    public const string PlacementMilestones = "placementMilestones";

    /// <summary>The empty entry of one program's placement milestones on one day (local to the consortium), linking to the program.</summary>
    public static FeedEntry PlacementDay(Guid id, Guid consortiumId, string programTitle, string programLink, DateTimeOffset occurredAt, DateTimeOffset receivedAt) =>
        new(id, consortiumId, PlacementMilestones, programTitle, string.Empty, programTitle, string.Empty, occurredAt, programLink, receivedAt)
        {
            Tally = [],
        };

    /// <summary>Counts one more placement event of <paramref name="type"/> into this day's entry; the caller then retells it (<see cref="Retell"/>).</summary>
    public void CountPlacement(string type, DateTimeOffset occurredAt, DateTimeOffset receivedAt)
    {
        if (Kind != PlacementMilestones || Tally is null) throw new InvalidOperationException("Only a placement-milestones entry counts placements.");
        // A new dictionary, so EF sees the change of the JSON column.
        Tally = new Dictionary<string, int>(Tally) { [type] = Tally.GetValueOrDefault(type) + 1 };
        var at = occurredAt.ToUniversalTime();
        if (at > OccurredAt) OccurredAt = at;
        // Rewritten now: a backdated placement moves the line to the top, where a poller reading new entries finds it.
        if (receivedAt.ToUniversalTime() > UpdatedAt) UpdatedAt = receivedAt.ToUniversalTime();
    }

    /// <summary>New sentences for what the entry now tells (the words live with the feed's resources, not here).</summary>
    public void Retell(string title, string content, string titleZh, string contentZh)
    {
        Title = title;
        Content = content;
        TitleZh = titleZh;
        ContentZh = contentZh;
    }
}
