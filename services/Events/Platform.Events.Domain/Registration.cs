namespace Platform.Events.Domain;

/// <summary>A person's place at an event: a seat or a waitlist spot, in arrival order.</summary>
public sealed class Registration
{
    private Registration()
    {
        PersonName = null!;
        Email = null!;
    }

    internal Registration(Guid id, Guid eventId, int arrival, Registrant person, RegistrationStatus status, DateTimeOffset at)
    {
        Id = id;
        EventId = eventId;
        Arrival = arrival;
        PersonName = person.Name;
        PersonTitle = person.Title;
        OrganizationId = person.OrganizationId;
        Email = Registrant.NormalizeEmail(person.Email);
        Status = status;
        CreatedAt = at;
        SeatedAt = status == RegistrationStatus.Registered ? at : null;
    }

    public Guid Id { get; private set; }
    public Guid EventId { get; private set; }
    /// <summary>1 for the first registration that arrived, 2 for the next…; the waitlist is served in this order.</summary>
    public int Arrival { get; private set; }
    public string PersonName { get; private set; }
    public string? PersonTitle { get; private set; }
    public Guid OrganizationId { get; private set; }
    public string Email { get; private set; }
    public RegistrationStatus Status { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    /// <summary>When the person got a seat (at once, or when promoted from the waitlist).</summary>
    public DateTimeOffset? SeatedAt { get; private set; }
    public DateTimeOffset? CheckedInAt { get; private set; }
    public DateTimeOffset? CancelledAt { get; private set; }

    internal void MarkCancelled(DateTimeOffset at)
    {
        Status = RegistrationStatus.Cancelled;
        CancelledAt = at;
    }

    internal void Promote(DateTimeOffset at)
    {
        Status = RegistrationStatus.Registered;
        SeatedAt = at;
    }

    internal void MarkCheckedIn(DateTimeOffset at) => CheckedInAt = at;
}
