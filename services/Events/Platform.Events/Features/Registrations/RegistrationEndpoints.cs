namespace Platform.Events.Features.Registrations;

/// <summary><c>/api/v1/events/{eventId}/registrations</c>: seats, waitlist and check-in.</summary>
public static class RegistrationEndpoints
{
    public static IEndpointRouteBuilder MapRegistrations(this IEndpointRouteBuilder api)
    {
        var registrations = api.MapGroup("/events/{eventId:guid}/registrations").WithTags("Registrations");
        registrations.MapPost("/", RegisterAsync).WithName("registerForEvent").RequireScope(Scopes.EventsWrite)
            .WithSummary("Register a person: a seat while there is one, else the waitlist; the same email again returns the existing registration (200)");
        registrations.MapGet("/", ListAsync).WithName("listRegistrations").RequireScope(Scopes.EventsRead)
            .WithSummary("Registrations the caller may see (organizers and operator: all; others: their own organization's)");
        registrations.MapGet("/{registrationId:guid}", GetAsync).WithName("getRegistration").RequireScope(Scopes.EventsRead)
            .WithSummary("One registration");
        registrations.MapDelete("/{registrationId:guid}", CancelAsync).WithName("cancelRegistration").RequireScope(Scopes.EventsWrite)
            .WithSummary("Cancel a registration; a freed seat goes to the first waitlisted");
        registrations.MapPost("/{registrationId:guid}/check-in", CheckInAsync).WithName("checkInRegistration").RequireScope(Scopes.EventsWrite)
            .WithSummary("Check a registered person in (once; organizers and operator)");
        return api;
    }

    private static async Task<Results<Created<RegistrationResponse>, Ok<RegistrationResponse>, ValidationProblem, ProblemHttpResult>> RegisterAsync(
        Guid eventId, RegisterForEventRequest request, Caller caller, RegistrationDesk desk, CancellationToken cancellationToken)
    {
        var email = request.Email.Trim();
        if (!caller.CanActFor(request.OrganizationId))
            return Problems.Status(StatusCodes.Status403Forbidden, "A partner key registers only its own organization's people.");

        // Seats, waitlist and arrival order are decided at the event's desk, together with whoever else is waiting; the
        // desk also checks the organization against the member directory, once for everyone in the turn.
        var person = new Registrant(request.PersonName.Trim(), request.Title?.Trim() is { Length: > 0 } t ? t : null, request.OrganizationId, email);
        return Respond(await desk.RegisterAsync(eventId, person, caller, cancellationToken));
    }

    /// <summary>The desk's answer in HTTP: 201, 200, 400, 404, 409 or 503.</summary>
    public static Results<Created<RegistrationResponse>, Ok<RegistrationResponse>, ValidationProblem, ProblemHttpResult> Respond(RegistrationAnswer answer) => answer switch
    {
        RegistrationAnswer.Made made => TypedResults.Created($"{PlatformApi.Prefix}/events/{made.EventId}/registrations/{made.Registration.Id}", made.Registration),
        RegistrationAnswer.AlreadyMade existing => TypedResults.Ok(existing.Registration),
        RegistrationAnswer.EventNotFound => Problems.NotFound(),
        RegistrationAnswer.UnknownOrganization => Problems.Validation(("organizationId", "Unknown organization: not registered on the platform.")),
        RegistrationAnswer.TakenByAnotherOrganization => Problems.Conflict("This email address is already registered for the event by another organization.", code: ProblemCode.AlreadyExists),
        RegistrationAnswer.NotOpen closed => Problems.Conflict($"Registration is not open; the event is {ApiEnum.Name(closed.Event.Status)}.", closed.Event),
        RegistrationAnswer.NotSaved notSaved => Problems.Status(StatusCodes.Status503ServiceUnavailable, notSaved.Detail),
        _ => throw new ArgumentOutOfRangeException(nameof(answer), answer, "An answer the desk does not give."),
    };

    private static async Task<Results<Ok<Page<RegistrationResponse>>, ProblemHttpResult>> ListAsync(
        Guid eventId, ApiEnum<RegistrationStatus>? status, PageRequest paging, Caller caller, EventsDbContext db, CancellationToken cancellationToken)
    {
        var found = await db.Events.AsNoTracking().SingleOrDefaultAsync(e => e.Id == eventId, cancellationToken);
        if (found is null) return Problems.NotFound();
        var query = db.Registrations.AsNoTracking().Where(r => r.EventId == eventId);
        if (!caller.CanActForAny(found.OrganizerIds))
        {
            var own = caller.OrganizationId;
            query = query.Where(r => r.OrganizationId == own);
        }
        if (status is { Value: var s }) query = query.Where(r => r.Status == s);
        var page = await query.ToPageAsync(r => r.Id, paging, cancellationToken);

        // Waitlist positions of the page in one query: the waitlisted arrivals up to the page's last one.
        var lastWaiting = page.Items.Where(r => r.Status == RegistrationStatus.Waitlisted).Select(r => r.Arrival).DefaultIfEmpty(0).Max();
        var waiting = lastWaiting == 0 ? [] : await db.Registrations
            .Where(r => r.EventId == eventId && r.Status == RegistrationStatus.Waitlisted && r.Arrival <= lastWaiting)
            .OrderBy(r => r.Arrival).Select(r => r.Arrival).ToListAsync(cancellationToken);
        var zone = ConsortiumTime.Zone(found.TimeZone);
        return TypedResults.Ok(page.Map(r => RegistrationResponse.From(r, zone, waiting.BinarySearch(r.Arrival) is var i and >= 0 ? i + 1 : null)));
    }

    private static async Task<Results<Ok<RegistrationResponse>, ProblemHttpResult>> GetAsync(
        Guid eventId, Guid registrationId, Caller caller, EventsDbContext db, CancellationToken cancellationToken)
    {
        var found = await db.Events.AsNoTracking().SingleOrDefaultAsync(e => e.Id == eventId, cancellationToken);
        var registration = await db.Registrations.AsNoTracking().SingleOrDefaultAsync(r => r.Id == registrationId && r.EventId == eventId, cancellationToken);
        if (found is null || !CanSee(caller, found, registration)) return Problems.NotFound();
        return TypedResults.Ok(RegistrationResponse.From(registration, ConsortiumTime.Zone(found.TimeZone), await db.PositionAsync(registration, cancellationToken)));
    }

    private static async Task<Results<Ok<CancellationResponse>, ProblemHttpResult>> CancelAsync(
        Guid eventId, Guid registrationId, Caller caller, EventsDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (await LockVisibleAsync(eventId, registrationId, caller, db, cancellationToken) is not ({ } found, { } registration)) return Problems.NotFound();
        if (registration.Status == RegistrationStatus.Cancelled)
            return Problems.Conflict("The registration is already cancelled.", new { status = registration.Status });
        if (!found.AcceptsRegistrationChanges)
            return Problems.Conflict($"Registrations cannot change once the event is {ApiEnum.Name(found.Status)}.", EventState.Of(found));

        var firstWaitlisted = registration.Status == RegistrationStatus.Registered
            ? await db.Registrations.Where(r => r.EventId == eventId && r.Status == RegistrationStatus.Waitlisted)
                .OrderBy(r => r.Arrival).FirstOrDefaultAsync(cancellationToken)
            : null;
        var promoted = found.Cancel(registration, firstWaitlisted, time.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);

        var zone = ConsortiumTime.Zone(found.TimeZone);
        // The promoted person's details are shown only to whoever may see them.
        var shownPromotion = promoted is not null && CanSee(caller, found, promoted) ? RegistrationResponse.From(promoted, zone, null) : null;
        return TypedResults.Ok(new CancellationResponse(RegistrationResponse.From(registration, zone, null), shownPromotion));
    }

    private static async Task<Results<Ok<RegistrationResponse>, ProblemHttpResult>> CheckInAsync(
        Guid eventId, Guid registrationId, Caller caller, EventsDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (await LockVisibleAsync(eventId, registrationId, caller, db, cancellationToken) is not ({ } found, { } registration)) return Problems.NotFound();
        if (!caller.CanActForAny(found.OrganizerIds))
            return Problems.Status(StatusCodes.Status403Forbidden, "Only the event's organizers (or the operator) check people in.");

        var refusal = found.TryCheckIn(registration, time.GetUtcNow());
        if (refusal is not null)
            return Problems.Conflict(refusal, new { status = registration.Status, checkedInAt = registration.CheckedInAt, eventStatus = found.Status });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return TypedResults.Ok(RegistrationResponse.From(registration, ConsortiumTime.Zone(found.TimeZone), null));
    }

    /// <summary>The event, locked like every seat change, and its registration if the caller may see it; null answers 404.</summary>
    private static async Task<(ConsortiumEvent Event, Registration Registration)?> LockVisibleAsync(
        Guid eventId, Guid registrationId, Caller caller, EventsDbContext db, CancellationToken cancellationToken)
    {
        var found = await db.LockEventAsync(eventId, cancellationToken);
        var registration = found is null ? null
            : await db.Registrations.SingleOrDefaultAsync(r => r.Id == registrationId && r.EventId == eventId, cancellationToken);
        return found is not null && CanSee(caller, found, registration) ? (found, registration) : null;
    }

    /// <summary>Personal data: the operator, the event's organizers and the person's own organization.</summary>
    private static bool CanSee(Caller caller, ConsortiumEvent e, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] Registration? registration) =>
        registration is not null && (caller.CanActFor(registration.OrganizationId) || caller.CanActForAny(e.OrganizerIds));
}
