namespace Platform.Events.Features.Registrations;

/// <summary>Where a waitlisted registration stands in line, asked by the desk and the registration endpoints alike.</summary>
public static class Waitlist
{
    /// <summary>1 for the first waitlisted arrival, 2 for the next…; null for a registration that is not waitlisted.</summary>
    public static async Task<int?> PositionAsync(this EventsDbContext db, Registration registration, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(registration);
        if (registration.Status != RegistrationStatus.Waitlisted) return null;
        return await db.Registrations.CountAsync(r => r.EventId == registration.EventId && r.Status == RegistrationStatus.Waitlisted
                                                      && r.Arrival <= registration.Arrival, cancellationToken);
    }
}
