namespace Platform.Events.Features.Feed;

/// <summary>What one integration event contributes to its consortium's feed.</summary>
public abstract record FeedStory(Guid ConsortiumId, DateTimeOffset OccurredAt);

/// <summary>A story's title and content in one language.</summary>
public sealed record Told(string Title, string Content);

/// <summary>A line of its own, told in English and in Chinese.</summary>
public sealed record FeedLine(Guid ConsortiumId, FeedEntryKind Kind, Told English, Told Chinese, DateTimeOffset OccurredAt, string? Link)
    : FeedStory(ConsortiumId, OccurredAt);

/// <summary>One placement event, counted into its program's line of the day (never one line per trainee).</summary>
public sealed record PlacementMilestone(Guid ConsortiumId, Guid ProgramId, string ProgramTitle, string Type, DateTimeOffset OccurredAt)
    : FeedStory(ConsortiumId, OccurredAt);
