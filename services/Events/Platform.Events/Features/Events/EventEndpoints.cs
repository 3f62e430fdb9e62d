using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Platform.Events.Contracts;
using Platform.Events.Domain;
using Platform.Events.Features.Directory;
using Platform.Events.Features.Outcomes;
using Platform.Events.Persistence;
using Platform.ServiceDefaults.Auth;
using Platform.ServiceDefaults.Http;
using Platform.ServiceDefaults.Messaging;

namespace Platform.Events.Features.Events;

/// <summary><c>/api/v1/events</c>: planning events and moving them through their lifecycle.</summary>
public static class EventEndpoints
{
    private static readonly (string Route, EventAction Action)[] Actions =
    [
        ("schedule", EventAction.Schedule),
        ("open-registration", EventAction.OpenRegistration),
        ("close-registration", EventAction.CloseRegistration),
        ("hold", EventAction.Hold),
        ("cancel", EventAction.Cancel),
    ];

    public static IEndpointRouteBuilder MapEventEndpoints(this IEndpointRouteBuilder app)
    {
        var events = app.MapGroup("/api/v1/events").WithTags("Events");
        events.MapPost("/", PlanAsync).RequireScope(Scopes.EventsWrite)
            .WithSummary("Plan an event (created as a draft)");
        events.MapGet("/", ListAsync).RequireScope(Scopes.EventsRead)
            .WithSummary("List events, newest first");
        events.MapGet("/{id:guid}", GetAsync).RequireScope(Scopes.EventsRead)
            .WithName("GetEvent").WithSummary("One event with its outcomes");
        foreach (var (route, action) in Actions)
        {
            events.MapPost($"/{{id:guid}}/{route}",
                    (Guid id, EventActionRequest? body, Caller caller, EventsDbContext db, TimeProvider time, CancellationToken cancellationToken) =>
                        PerformAsync(id, action, body, caller, db, time, cancellationToken))
                .RequireScope(Scopes.EventsWrite)
                .WithSummary($"Lifecycle action '{route}' (409 with the current state when not allowed)");
        }
        return app;
    }

    private static async Task<Results<Created<EventResponse>, ValidationProblem, ProblemHttpResult>> PlanAsync(
        PlanEventRequest request, Caller caller, EventsDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        var consortium = await db.KnownConsortia.AsNoTracking().SingleOrDefaultAsync(c => c.Id == request.ConsortiumId, cancellationToken);
        var timeZone = consortium?.TimeZone is { } known && ConsortiumTime.IsKnownZone(known) ? known : KnownConsortium.DefaultTimeZone;
        var zone = ConsortiumTime.Zone(timeZone);

        var errors = new List<(string, string)>();
        errors.AddRange(FieldChecks.Text(request.Title, "title", 300));
        errors.AddRange(FieldChecks.Text(request.Venue, "venue", 300));
        if (request.Capacity is < 1 or > 100_000) errors.Add(("capacity", "Expected 1 to 100000 seats."));
        if (request.OrganizerIds.Count is 0 or > 20) errors.Add(("organizerIds", "Expected 1 to 20 organizing organizations."));
        var startsOk = ConsortiumTime.TryRead(request.StartsAt, zone, out var startsAt);
        var endsOk = ConsortiumTime.TryRead(request.EndsAt, zone, out var endsAt);
        if (!startsOk) errors.Add(("startsAt", "Expected an ISO 8601 time, e.g. 2025-01-15T09:00:00+08:00 (without an offset: the consortium's local time)."));
        if (!endsOk) errors.Add(("endsAt", "Expected an ISO 8601 time, e.g. 2025-01-15T11:30:00+08:00."));
        if (startsOk) errors.AddRange(PlausibleDates.Check(startsAt, "startsAt", PlausibleDates.Scheduled(time)));
        if (endsOk) errors.AddRange(PlausibleDates.Check(endsAt, "endsAt", PlausibleDates.Scheduled(time)));
        if (startsOk && endsOk && endsAt <= startsAt) errors.Add(("endsAt", "The event must end after it starts."));
        if (errors.Count > 0) return Problems.Validation([.. errors]);

        if (!caller.CanActForAny(request.OrganizerIds))
            return Problems.Status(StatusCodes.Status403Forbidden, "A partner key plans events its own organization organizes: include it in organizerIds.");

        var members = await db.ActiveMembersAsync(request.ConsortiumId, request.OrganizerIds, cancellationToken);
        for (var i = 0; i < request.OrganizerIds.Count; i++)
        {
            if (!members.ContainsKey(request.OrganizerIds[i]))
                errors.Add(($"organizerIds[{i}]", "Not an active member of the consortium."));
        }
        if (errors.Count > 0) return Problems.Validation([.. errors]);

        var planned = ConsortiumEvent.Plan(Guid.CreateVersion7(), request.ConsortiumId, request.Kind, request.Title.Trim(), request.Venue.Trim(),
            startsAt, endsAt, timeZone, request.Capacity, request.OrganizerIds, time.GetUtcNow());
        db.Events.Add(planned);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/api/v1/events/{planned.Id}", EventResponse.From(planned, members));
    }

    private static async Task<Ok<Page<EventResponse>>> ListAsync(
        Guid? consortiumId, EventStatus? status, EventKind? kind, PageRequest paging, EventsDbContext db, CancellationToken cancellationToken)
    {
        var query = db.Events.AsNoTracking();
        if (consortiumId is { } c) query = query.Where(e => e.ConsortiumId == c);
        if (status is { } s) query = query.Where(e => e.Status == s);
        if (kind is { } k) query = query.Where(e => e.Kind == k);
        var page = await query.ToPageAsync(e => e.Id, paging, cancellationToken);
        var names = await db.OrganizationsAsync(page.Items.SelectMany(e => e.OrganizerIds), cancellationToken);
        return TypedResults.Ok(page.Map(e => EventResponse.From(e, names)));
    }

    private static async Task<Results<Ok<EventResponse>, ProblemHttpResult>> GetAsync(Guid id, Caller caller, EventsDbContext db, CancellationToken cancellationToken)
    {
        var found = await db.Events.AsNoTracking().SingleOrDefaultAsync(e => e.Id == id, cancellationToken);
        if (found is null) return Problems.NotFound();
        var names = await db.OrganizationsAsync(found.OrganizerIds, cancellationToken);
        var outcomes = await OutcomeEndpoints.ReadOutcomesAsync(db, found, caller, cancellationToken);
        return TypedResults.Ok(EventResponse.From(found, names, outcomes));
    }

    private static async Task<Results<Ok<EventResponse>, ProblemHttpResult>> PerformAsync(
        Guid id, EventAction action, EventActionRequest? body, Caller caller, EventsDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // Locked like every seat change, so 'hold' counts the attendees no check-in is still adding to.
        var found = await db.LockEventAsync(id, cancellationToken);
        if (found is null) return Problems.NotFound();
        if (!caller.CanActForAny(found.OrganizerIds))
            return Problems.Status(StatusCodes.Status403Forbidden, "Only the event's organizers (or the operator) change its lifecycle.");

        var now = time.GetUtcNow();
        var from = found.Status;
        if (!found.TryPerform(action, now, body?.Reason?.Trim()))
            return Problems.Conflict($"An event that is {ApiEnum.Name(from)} cannot be moved by '{ApiEnum.Name(action)}'.", EventState.Of(found));

        var shown = ConsortiumTime.Zone(found.TimeZone);
        switch (action)
        {
            case EventAction.Schedule:
                db.AddIntegrationEvent(new ConsortiumEventScheduled
                {
                    EventId = found.Id,
                    ConsortiumId = found.ConsortiumId,
                    Kind = ApiEnum.Name(found.Kind),
                    Title = found.Title,
                    Venue = found.Venue,
                    StartsAt = ConsortiumTime.Show(found.StartsAt, shown),
                    EndsAt = ConsortiumTime.Show(found.EndsAt, shown),
                    OrganizerIds = found.OrganizerIds,
                    OccurredAt = now,
                });
                break;
            case EventAction.Hold:
                db.AddIntegrationEvent(new ConsortiumEventHeld
                {
                    EventId = found.Id,
                    ConsortiumId = found.ConsortiumId,
                    Kind = ApiEnum.Name(found.Kind),
                    Title = found.Title,
                    Attendees = found.CheckedInCount,
                    OccurredAt = now,
                });
                break;
            case EventAction.Cancel:
                var registrants = await db.Registrations.Where(r => r.EventId == found.Id && r.Status != RegistrationStatus.Cancelled)
                    .OrderBy(r => r.Arrival).Select(r => r.Id).ToListAsync(cancellationToken);
                db.AddIntegrationEvent(new ConsortiumEventCancelled
                {
                    EventId = found.Id,
                    ConsortiumId = found.ConsortiumId,
                    Title = found.Title,
                    Reason = found.CancellationReason,
                    RegistrantIds = registrants,
                    OccurredAt = now,
                });
                break;
        }
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);

        var names = await db.OrganizationsAsync(found.OrganizerIds, cancellationToken);
        return TypedResults.Ok(EventResponse.From(found, names));
    }

}
