namespace Platform.Events.Contracts;

/// <summary>An event (meeting, ceremony, competition…) was scheduled for a consortium.</summary>
public sealed record ConsortiumEventScheduled
{
    public required Guid EventId { get; init; }
    public required Guid ConsortiumId { get; init; }
    /// <summary>One of API.md's event kinds, e.g. <c>councilMeeting</c>, <c>signingCeremony</c>.</summary>
    public required string Kind { get; init; }
    public required string Title { get; init; }
    public required string Venue { get; init; }
    public required DateTimeOffset StartsAt { get; init; }
    public required DateTimeOffset EndsAt { get; init; }
    public required IReadOnlyList<Guid> OrganizerIds { get; init; }
    public required DateTimeOffset OccurredAt { get; init; }
}

/// <summary>An event took place (it was marked held); its outcomes follow as their own events.</summary>
public sealed record ConsortiumEventHeld
{
    public required Guid EventId { get; init; }
    public required Guid ConsortiumId { get; init; }
    public required string Kind { get; init; }
    public required string Title { get; init; }
    public required int Attendees { get; init; }
    public required DateTimeOffset OccurredAt { get; init; }
}

/// <summary>An event was cancelled; everyone registered or waitlisted is told (<see cref="RegistrantIds"/>).</summary>
public sealed record ConsortiumEventCancelled
{
    public required Guid EventId { get; init; }
    public required Guid ConsortiumId { get; init; }
    public required string Title { get; init; }
    public string? Reason { get; init; }
    /// <summary>The registrations (registered and waitlisted) the cancellation affects.</summary>
    public required IReadOnlyList<Guid> RegistrantIds { get; init; }
    public required DateTimeOffset OccurredAt { get; init; }
}
