namespace Platform.Events.Features.Feed;

/// <summary>What one integration event contributes to its consortium's feed.</summary>
public abstract record FeedStory(Guid ConsortiumId, DateTimeOffset OccurredAt);

/// <summary>A line of its own.</summary>
public sealed record FeedLine(Guid ConsortiumId, FeedEntryKind Kind, string Title, string Content, DateTimeOffset OccurredAt, string? Link)
    : FeedStory(ConsortiumId, OccurredAt);

/// <summary>One placement event, counted into its program's line of the day (never one line per trainee).</summary>
public sealed record PlacementMilestone(Guid ConsortiumId, Guid ProgramId, string ProgramTitle, string Type, DateTimeOffset OccurredAt)
    : FeedStory(ConsortiumId, OccurredAt);
