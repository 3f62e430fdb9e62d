namespace Platform.Events.Domain;

/// <summary>What <see cref="ConsortiumEvent.Perform"/> changed: the mapper turns it into the lifecycle's integration event.</summary>
public sealed record EventStatusChange(EventAction Action, EventStatus From, EventStatus To, DateTimeOffset At);
