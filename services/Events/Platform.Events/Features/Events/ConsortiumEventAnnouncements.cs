namespace Platform.Events.Features.Events;

/// <summary>
/// The one place a consortium event's lifecycle change becomes its integration event (into the outbox, with the
/// change). Only schedule, hold and cancel are announced; opening and closing registration concern no other service.
/// </summary>
public static class ConsortiumEventAnnouncements
{
    public static async Task AnnounceAsync(EventsDbContext db, ConsortiumEvent e, EventStatusChange change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(e);
        ArgumentNullException.ThrowIfNull(change);
        var at = change.At;
        switch (change.Action)
        {
            case EventAction.Schedule:
                var shown = ConsortiumTime.Zone(e.TimeZone);
                db.AddIntegrationEvent(new ConsortiumEventScheduled
                {
                    EventId = e.Id,
                    ConsortiumId = e.ConsortiumId,
                    Kind = ApiEnum.Name(e.Kind),
                    Title = e.Title,
                    Venue = e.Venue,
                    StartsAt = ConsortiumTime.Show(e.StartsAt, shown),
                    EndsAt = ConsortiumTime.Show(e.EndsAt, shown),
                    OrganizerIds = e.OrganizerIds,
                    OccurredAt = at,
                });
                break;
            case EventAction.Hold:
                db.AddIntegrationEvent(new ConsortiumEventHeld
                {
                    EventId = e.Id,
                    ConsortiumId = e.ConsortiumId,
                    Kind = ApiEnum.Name(e.Kind),
                    Title = e.Title,
                    Attendees = e.CheckedInCount,
                    OccurredAt = at,
                });
                break;
            case EventAction.Cancel:
                var registrants = await db.Registrations.Where(r => r.EventId == e.Id && r.Status != RegistrationStatus.Cancelled)
                    .OrderBy(r => r.Arrival).Select(r => r.Id).ToListAsync(cancellationToken);
                db.AddIntegrationEvent(new ConsortiumEventCancelled
                {
                    EventId = e.Id,
                    ConsortiumId = e.ConsortiumId,
                    Title = e.Title,
                    Reason = e.CancellationReason,
                    RegistrantIds = registrants,
                    OccurredAt = at,
                });
                break;
            case EventAction.OpenRegistration or EventAction.CloseRegistration:
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(change), change.Action, "An action the lifecycle does not know.");
        }
    }
}
