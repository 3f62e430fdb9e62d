namespace Platform.Events.Domain;

/// <summary>The lifecycle actions, one route each (<c>POST /api/v1/events/{eventId}/schedule</c>, ...).</summary>
public enum EventAction
{
    Schedule,
    OpenRegistration,
    CloseRegistration,
    Hold,
    Cancel,
}
