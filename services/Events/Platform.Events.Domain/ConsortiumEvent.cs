namespace Platform.Events.Domain;

/// <summary>
/// A consortium event: a founding or council meeting, a signing or unveiling ceremony, a skills competition…
/// It owns its seats: every registration change goes through it (under a row lock), so the counters are the truth.
/// </summary>
public sealed class ConsortiumEvent
{
    private ConsortiumEvent(Guid id, Guid consortiumId, EventKind kind, string title, string venue, DateTimeOffset startsAt,
        DateTimeOffset endsAt, string timeZone, int capacity, Guid[] organizerIds, DateTimeOffset createdAt)
    {
        Id = id;
        ConsortiumId = consortiumId;
        Kind = kind;
        Title = title;
        Venue = venue;
        StartsAt = startsAt;
        EndsAt = endsAt;
        TimeZone = timeZone;
        Capacity = capacity;
        OrganizerIds = organizerIds;
        CreatedAt = createdAt;
    }

    public Guid Id { get; private set; }
    public Guid ConsortiumId { get; private set; }
    public EventKind Kind { get; private set; }
    public string Title { get; private set; }
    public string Venue { get; private set; }
    /// <summary>Stored UTC; shown in <see cref="TimeZone"/>.</summary>
    public DateTimeOffset StartsAt { get; private set; }
    public DateTimeOffset EndsAt { get; private set; }
    /// <summary>The consortium's IANA zone when the event was planned.</summary>
    public string TimeZone { get; private set; }
    public int Capacity { get; private set; }
    public Guid[] OrganizerIds { get; private set; }
    public EventStatus Status { get; private set; } = EventStatus.Draft;
    public int RegisteredCount { get; private set; }
    public int WaitlistedCount { get; private set; }
    public int CheckedInCount { get; private set; }
    /// <summary>How many registrations ever arrived; gives each its place in the arrival order.</summary>
    public int Arrivals { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset? StatusChangedAt { get; private set; }
    public string? CancellationReason { get; private set; }

    public static ConsortiumEvent Plan(Guid id, Guid consortiumId, EventKind kind, string title, string venue, DateTimeOffset startsAt,
        DateTimeOffset endsAt, string timeZone, int capacity, IEnumerable<Guid> organizerIds, DateTimeOffset at)
    {
        if (endsAt <= startsAt) throw new ArgumentException("An event ends after it starts.", nameof(endsAt));
        if (capacity < 1) throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "An event has at least one seat.");
        return new ConsortiumEvent(id, consortiumId, kind, title, venue, startsAt.ToUniversalTime(), endsAt.ToUniversalTime(), timeZone,
            capacity, [.. organizerIds.Distinct()], at);
    }

    /// <summary>The status an action leads to from <paramref name="current"/>, or null when the action is not allowed then.</summary>
    public static EventStatus? Target(EventStatus current, EventAction action) => (current, action) switch
    {
        (EventStatus.Draft, EventAction.Schedule) => EventStatus.Scheduled,
        (EventStatus.Scheduled, EventAction.OpenRegistration) => EventStatus.RegistrationOpen,
        (EventStatus.RegistrationOpen, EventAction.CloseRegistration) => EventStatus.RegistrationClosed,
        // A site visit or signing ceremony by invitation never opens registration.
        (EventStatus.Scheduled or EventStatus.RegistrationClosed, EventAction.Hold) => EventStatus.Held,
        (EventStatus.Draft or EventStatus.Scheduled or EventStatus.RegistrationOpen or EventStatus.RegistrationClosed, EventAction.Cancel) => EventStatus.Cancelled,
        _ => null,
    };

    /// <summary>The actions allowed now (shown to a caller whose action was refused).</summary>
    public IReadOnlyList<EventAction> AllowedActions => [.. Enum.GetValues<EventAction>().Where(a => Target(Status, a) is not null)];

    /// <summary>Performs the action and says what changed, or returns null (changing nothing) when the current status does not allow it.</summary>
    public EventStatusChange? Perform(EventAction action, DateTimeOffset at, string? reason)
    {
        if (Target(Status, action) is not { } target) return null;
        var change = new EventStatusChange(action, Status, target, at);
        Status = target;
        StatusChangedAt = at;
        if (target == EventStatus.Cancelled) CancellationReason = reason;
        return change;
    }

    public bool IsOrganizer(Guid organizationId) => OrganizerIds.Contains(organizationId);

    public bool AcceptsRegistrations => Status == EventStatus.RegistrationOpen;

    /// <summary>Registrations may be cancelled and checked in from the moment registration opens until the event is held.</summary>
    public bool AcceptsRegistrationChanges => Status is EventStatus.RegistrationOpen or EventStatus.RegistrationClosed;

    /// <summary>Outcomes (agreements, unveilings, designations, results) are recorded once the event took place.</summary>
    public bool AcceptsOutcomes => Status == EventStatus.Held;

    /// <summary>
    /// A new registration: a seat while there is one, else the end of the waitlist. Call it with the event locked,
    /// so arrivals are counted one at a time.
    /// </summary>
    public Registration Register(Guid registrationId, Registrant person, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(person);
        if (!AcceptsRegistrations) throw new InvalidOperationException($"Registration is not open; the event is {Status}.");
        Arrivals++;
        var seated = RegisteredCount < Capacity;
        if (seated) RegisteredCount++;
        else WaitlistedCount++;
        return new Registration(registrationId, Id, Arrivals, person, seated ? RegistrationStatus.Registered : RegistrationStatus.Waitlisted, at);
    }

    /// <summary>
    /// Cancels a registration; a freed seat goes to <paramref name="firstWaitlisted"/> (the earliest arrival still
    /// waiting), which is returned when promoted.
    /// </summary>
    public Registration? Cancel(Registration registration, Registration? firstWaitlisted, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(registration);
        if (registration.EventId != Id) throw new ArgumentException("The registration belongs to another event.", nameof(registration));
        if (!AcceptsRegistrationChanges || registration.Status == RegistrationStatus.Cancelled)
            throw new InvalidOperationException("The registration cannot be cancelled now.");

        var freedSeat = registration.Status == RegistrationStatus.Registered;
        if (freedSeat)
        {
            RegisteredCount--;
            if (registration.CheckedInAt is not null) CheckedInCount--;
        }
        else
        {
            WaitlistedCount--;
        }
        registration.MarkCancelled(at);

        if (!freedSeat || firstWaitlisted is null) return null;
        if (firstWaitlisted.Status != RegistrationStatus.Waitlisted) throw new ArgumentException("Only a waitlisted registration is promoted.", nameof(firstWaitlisted));
        WaitlistedCount--;
        RegisteredCount++;
        firstWaitlisted.Promote(at);
        return firstWaitlisted;
    }

    /// <summary>Checks a registered person in, once; returns why not otherwise.</summary>
    public string? TryCheckIn(Registration registration, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(registration);
        if (!AcceptsRegistrationChanges) return $"Check-in is possible while registration is open or closed; the event is {Status}.";
        if (registration.Status != RegistrationStatus.Registered) return $"Only a registered person can check in; this registration is {registration.Status}.";
        if (registration.CheckedInAt is not null) return "This person has already checked in.";
        registration.MarkCheckedIn(at);
        CheckedInCount++;
        return null;
    }
}
