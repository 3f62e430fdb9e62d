namespace Platform.Events.Features.Events;

/// <summary>A new event, created as a draft.</summary>
public sealed record PlanEventRequest : IValidatedRequest
{
    public required EventKind Kind { get; init; }
    [MaxLength(300)]
    public required string Title { get; init; }
    public required Guid ConsortiumId { get; init; }
    /// <summary>Organizing organizations (1 to 20): active members of the consortium. A partner key's own organization must be one of them.</summary>
    [MaxLength(20)]
    public required IReadOnlyList<Guid> OrganizerIds { get; init; }
    [MaxLength(300)]
    public required string Venue { get; init; }
    /// <summary>ISO 8601. With an offset it is that instant; without one, local time of the consortium's zone (Asia/Shanghai by default).</summary>
    [MaxLength(64)]
    public required string StartsAt { get; init; }
    /// <summary>As <see cref="StartsAt"/>; after it.</summary>
    [MaxLength(64)]
    public required string EndsAt { get; init; }
    /// <summary>Seats; registrations beyond it are waitlisted.</summary>
    [Range(1, 100_000)]
    public required int Capacity { get; init; }

    // What does not depend on the consortium's zone; a local time is read in that zone by the handler.
    public IEnumerable<(string Field, string Message)> Validate()
    {
        foreach (var problem in FieldChecks.Text(Title, "title", 300).Concat(FieldChecks.Text(Venue, "venue", 300))) yield return problem;
        if (OrganizerIds.Count == 0) yield return ("organizerIds", "Expected 1 to 20 organizing organizations.");
        var startsOk = ConsortiumTime.TryRead(StartsAt, TimeZoneInfo.Utc, out var starts);
        var endsOk = ConsortiumTime.TryRead(EndsAt, TimeZoneInfo.Utc, out var ends);
        if (!startsOk) yield return ("startsAt", StartsAtFormat);
        if (!endsOk) yield return ("endsAt", EndsAtFormat);
        if (startsOk && endsOk && ConsortiumTime.IsInstant(StartsAt) && ConsortiumTime.IsInstant(EndsAt) && ends <= starts)
            yield return ("endsAt", EndsAfterStart);
    }

    internal const string StartsAtFormat = "Expected an ISO 8601 time, e.g. 2025-01-15T09:00:00+08:00 (without an offset: the consortium's local time).";
    internal const string EndsAtFormat = "Expected an ISO 8601 time, e.g. 2025-01-15T11:30:00+08:00.";
    internal const string EndsAfterStart = "The event must end after it starts.";
}

/// <summary>Optional body of <c>cancelEvent</c>.</summary>
public sealed record CancelEventRequest
{
    /// <summary>Why (shown to registrants).</summary>
    [MultiLine, MaxLength(InputLimits.Reason)]
    public string? Reason { get; init; }
}

/// <summary>An organizer, named as the member directory knows it.</summary>
public sealed record OrganizerResponse(Guid OrganizationId, string? Name);

/// <summary>An event. Times carry the offset of the consortium's zone, named in <c>timeZone</c>.</summary>
public sealed record EventResponse
{
    public required Guid Id { get; init; }
    public required Guid ConsortiumId { get; init; }
    public required EventKind Kind { get; init; }
    public required string Title { get; init; }
    public required string Venue { get; init; }
    public required DateTimeOffset StartsAt { get; init; }
    public required DateTimeOffset EndsAt { get; init; }
    /// <summary>IANA zone the times are shown in, e.g. <c>Asia/Shanghai</c>.</summary>
    public required string TimeZone { get; init; }
    public required int Capacity { get; init; }
    public required IReadOnlyList<OrganizerResponse> Organizers { get; init; }
    public required EventStatus Status { get; init; }
    public required int Registered { get; init; }
    public required int Waitlisted { get; init; }
    public required int CheckedIn { get; init; }
    public required int SeatsLeft { get; init; }
    /// <summary>The lifecycle actions allowed now.</summary>
    public required IReadOnlyList<EventAction> AllowedActions { get; init; }
    public string? CancellationReason { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    /// <summary>What the event produced (only on <c>getEvent</c>).</summary>
    public EventOutcomesResponse? Outcomes { get; init; }

    public static EventResponse From(ConsortiumEvent e, IReadOnlyDictionary<Guid, NamedOrganization> names, EventOutcomesResponse? outcomes = null)
    {
        ArgumentNullException.ThrowIfNull(e);
        ArgumentNullException.ThrowIfNull(names);
        var zone = ConsortiumTime.Zone(e.TimeZone);
        return new EventResponse
        {
            Id = e.Id,
            ConsortiumId = e.ConsortiumId,
            Kind = e.Kind,
            Title = e.Title,
            Venue = e.Venue,
            StartsAt = ConsortiumTime.Show(e.StartsAt, zone),
            EndsAt = ConsortiumTime.Show(e.EndsAt, zone),
            TimeZone = e.TimeZone,
            Capacity = e.Capacity,
            Organizers = [.. e.OrganizerIds.Select(id => new OrganizerResponse(id, names.GetValueOrDefault(id)?.Name))],
            Status = e.Status,
            Registered = e.RegisteredCount,
            Waitlisted = e.WaitlistedCount,
            CheckedIn = e.CheckedInCount,
            SeatsLeft = Math.Max(0, e.Capacity - e.RegisteredCount),
            AllowedActions = e.AllowedActions,
            CancellationReason = e.CancellationReason,
            CreatedAt = ConsortiumTime.Show(e.CreatedAt, zone),
            Outcomes = outcomes,
        };
    }
}

/// <summary>The outcomes recorded on a held event.</summary>
public sealed record EventOutcomesResponse(
    IReadOnlyList<Outcomes.AgreementResponse> Agreements,
    IReadOnlyList<Outcomes.UnveilingResponse> Unveilings,
    IReadOnlyList<Outcomes.CouncilDesignationsResponse> CouncilDesignations,
    Outcomes.CompetitionResultsResponse? CompetitionResults);

/// <summary>The state of an event the caller tried to move (in a 409's <c>currentState</c>).</summary>
public sealed record EventState(EventStatus Status, IReadOnlyList<EventAction> AllowedActions)
{
    public static EventState Of(ConsortiumEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return new EventState(e.Status, e.AllowedActions);
    }
}
