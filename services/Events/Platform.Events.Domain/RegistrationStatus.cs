namespace Platform.Events.Domain;

/// <summary>Where a registration stands.</summary>
public enum RegistrationStatus
{
    /// <summary>Holds a seat.</summary>
    Registered,
    /// <summary>Waits for a seat; the first waitlisted is promoted when a registered person cancels.</summary>
    Waitlisted,
    Cancelled,
}
