namespace Platform.Events.Features.Registrations;

/// <summary>
/// What the <see cref="RegistrationDesk"/> decided for one registration, in the feature's words; the endpoint turns it
/// into HTTP (<see cref="RegistrationEndpoints.Respond"/>), so the desk knows nothing of status codes.
/// </summary>
public abstract record RegistrationAnswer
{
    private RegistrationAnswer() { }

    /// <summary>A new registration: a seat or a waitlist place.</summary>
    public sealed record Made(Guid EventId, RegistrationResponse Registration) : RegistrationAnswer;

    /// <summary>The address was already registered for the event: that registration.</summary>
    public sealed record AlreadyMade(RegistrationResponse Registration) : RegistrationAnswer;

    public sealed record EventNotFound : RegistrationAnswer;

    /// <summary>The person's organization is not known to the platform (the member directory has never heard of it).</summary>
    public sealed record UnknownOrganization : RegistrationAnswer;

    /// <summary>The address is registered by an organization the caller may not act for.</summary>
    public sealed record TakenByAnotherOrganization : RegistrationAnswer;

    /// <summary>The event does not take registrations in its current state.</summary>
    public sealed record NotOpen(EventState Event) : RegistrationAnswer;

    /// <summary>Nothing was saved (shutting down, or the database failed); the caller may try again.</summary>
    public sealed record NotSaved(string Detail) : RegistrationAnswer;
}
