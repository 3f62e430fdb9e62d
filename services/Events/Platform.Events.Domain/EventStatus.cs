namespace Platform.Events.Domain;

/// <summary>
/// An event's lifecycle: draft → scheduled → registrationOpen → registrationClosed → held, or cancelled from any
/// state before held.
/// </summary>
public enum EventStatus
{
    Draft,
    Scheduled,
    RegistrationOpen,
    RegistrationClosed,
    Held,
    Cancelled,
}
