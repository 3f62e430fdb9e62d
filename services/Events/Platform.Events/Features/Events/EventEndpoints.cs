using Platform.Events.Features.Outcomes;

namespace Platform.Events.Features.Events;

/// <summary><c>/api/v1/events</c>: planning events and moving them through their lifecycle.</summary>
public static class EventEndpoints
{
    public static IEndpointRouteBuilder MapEvents(this IEndpointRouteBuilder api)
    {
        var events = api.MapGroup("/events").WithTags("Events");
        events.MapPost("/", PlanAsync).WithName("planEvent").RequireScope(Scopes.EventsWrite)
            .WithSummary("Plan an event (created as a draft)");
        events.MapGet("/", ListAsync).WithName("listEvents").RequireScope(Scopes.EventsRead)
            .WithSummary("List events, newest first");
        events.MapGet("/{eventId:guid}", GetAsync).WithName("getEvent").RequireScope(Scopes.EventsRead)
            .WithSummary("One event with its outcomes");
        MapAction(events, "schedule", EventAction.Schedule, "scheduleEvent", "Schedule a draft event (publishes ConsortiumEventScheduled)");
        MapAction(events, "open-registration", EventAction.OpenRegistration, "openEventRegistration", "Open registration of a scheduled event");
        MapAction(events, "close-registration", EventAction.CloseRegistration, "closeEventRegistration", "Close registration: no new registrations; cancellations and check-in go on");
        MapAction(events, "hold", EventAction.Hold, "holdEvent", "Mark the event held, with the checked-in count (publishes ConsortiumEventHeld); outcomes can be recorded from now on");
        events.MapPost("/{eventId:guid}/cancel",
                (Guid eventId, CancelEventRequest? request, Caller caller, EventsDbContext db, TimeProvider time, CancellationToken cancellationToken) =>
                    PerformAsync(eventId, EventAction.Cancel, request?.Reason, caller, db, time, cancellationToken))
            .WithName("cancelEvent").RequireScope(Scopes.EventsWrite)
            .WithSummary("Cancel an event before it is held (publishes ConsortiumEventCancelled naming every registrant)");
        return api;
    }

    // The actions without a body: one route and operationId each, one handler.
    private static void MapAction(RouteGroupBuilder events, string route, EventAction action, string operationId, string summary) =>
        events.MapPost($"/{{eventId:guid}}/{route}",
                (Guid eventId, Caller caller, EventsDbContext db, TimeProvider time, CancellationToken cancellationToken) =>
                    PerformAsync(eventId, action, null, caller, db, time, cancellationToken))
            .WithName(operationId).RequireScope(Scopes.EventsWrite)
            .WithSummary(summary);

    private static async Task<Results<Created<EventResponse>, ValidationProblem, ProblemHttpResult>> PlanAsync(
        PlanEventRequest request, Caller caller, EventsDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        var consortium = await db.KnownConsortia.AsNoTracking().SingleOrDefaultAsync(c => c.Id == request.ConsortiumId, cancellationToken);
        var timeZone = consortium?.TimeZone is { } known && ConsortiumTime.IsKnownZone(known) ? known : KnownConsortium.DefaultTimeZone;
        var zone = ConsortiumTime.Zone(timeZone);

        // Time rules here, not on the record: a time without an offset is read in the consortium's zone.
        var errors = new List<(string, string)>();
        var startsOk = ConsortiumTime.TryRead(request.StartsAt, zone, out var startsAt);
        var endsOk = ConsortiumTime.TryRead(request.EndsAt, zone, out var endsAt);
        // Only a local time the zone skips (a daylight-saving jump) fails here; the record checked the format.
        if (!startsOk) errors.Add(("startsAt", PlanEventRequest.StartsAtFormat));
        if (!endsOk) errors.Add(("endsAt", PlanEventRequest.EndsAtFormat));
        if (startsOk) errors.AddRange(PlausibleDates.Check(startsAt, "startsAt", PlausibleDates.Scheduled(time)));
        if (endsOk) errors.AddRange(PlausibleDates.Check(endsAt, "endsAt", PlausibleDates.Scheduled(time)));
        if (startsOk && endsOk && endsAt <= startsAt) errors.Add(("endsAt", PlanEventRequest.EndsAfterStart));
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
        return TypedResults.Created($"{PlatformApi.Prefix}/events/{planned.Id}", EventResponse.From(planned, members));
    }

    private static async Task<Ok<Page<EventResponse>>> ListAsync(
        Guid? consortiumId, ApiEnum<EventStatus>? status, ApiEnum<EventKind>? kind, PageRequest paging, EventsDbContext db, CancellationToken cancellationToken)
    {
        var query = db.Events.AsNoTracking();
        if (consortiumId is { } c) query = query.Where(e => e.ConsortiumId == c);
        if (status is { Value: var s }) query = query.Where(e => e.Status == s);
        if (kind is { Value: var k }) query = query.Where(e => e.Kind == k);
        var page = await query.ToPageAsync(e => e.Id, paging, cancellationToken);
        var names = await db.OrganizationsAsync(page.Items.SelectMany(e => e.OrganizerIds), cancellationToken);
        return TypedResults.Ok(page.Map(e => EventResponse.From(e, names)));
    }

    private static async Task<Results<Ok<EventResponse>, ProblemHttpResult>> GetAsync(Guid eventId, Caller caller, EventsDbContext db, CancellationToken cancellationToken)
    {
        var found = await db.Events.AsNoTracking().SingleOrDefaultAsync(e => e.Id == eventId, cancellationToken);
        if (found is null) return Problems.NotFound();
        var names = await db.OrganizationsAsync(found.OrganizerIds, cancellationToken);
        var outcomes = await EventOutcomes.ReadAsync(db, found, caller, cancellationToken);
        return TypedResults.Ok(EventResponse.From(found, names, outcomes));
    }

    private static async Task<Results<Ok<EventResponse>, ProblemHttpResult>> PerformAsync(
        Guid eventId, EventAction action, string? reason, Caller caller, EventsDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // Locked like every seat change, so 'hold' counts the attendees no check-in is still adding to.
        var found = await db.LockEventAsync(eventId, cancellationToken);
        if (found is null) return Problems.NotFound();
        if (!caller.CanActForAny(found.OrganizerIds))
            return Problems.Status(StatusCodes.Status403Forbidden, "Only the event's organizers (or the operator) change its lifecycle.");

        var now = time.GetUtcNow();
        if (found.Perform(action, now, reason?.Trim() is { Length: > 0 } r ? r : null) is not { } change)
            return Problems.Conflict($"An event that is {ApiEnum.Name(found.Status)} cannot be moved by '{ApiEnum.Name(action)}'.", EventState.Of(found));

        await ConsortiumEventAnnouncements.AnnounceAsync(db, found, change, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);

        var names = await db.OrganizationsAsync(found.OrganizerIds, cancellationToken);
        return TypedResults.Ok(EventResponse.From(found, names));
    }
}
