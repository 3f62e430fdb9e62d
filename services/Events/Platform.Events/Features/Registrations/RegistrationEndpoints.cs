using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Platform.Events.Domain;
using Platform.Events.Features.Directory;
using Platform.Events.Features.Events;
using Platform.Events.Persistence;
using Platform.ServiceDefaults.Auth;
using Platform.ServiceDefaults.Http;

namespace Platform.Events.Features.Registrations;

/// <summary>A person registering for an event.</summary>
public sealed record RegisterRequest
{
    public required string PersonName { get; init; }
    /// <summary>The person's title, e.g. "Deputy Mayor" or "Dean".</summary>
    public string? Title { get; init; }
    /// <summary>The person's organization; a partner key registers only its own organization's people.</summary>
    public required Guid OrganizationId { get; init; }
    /// <summary>One registration per address and event: registering the same address again returns the existing registration.</summary>
    public required string Email { get; init; }
}

/// <summary>A registration. Contains personal data: visible to the operator, the event's organizers and the person's organization.</summary>
public sealed record RegistrationResponse
{
    public required Guid Id { get; init; }
    public required Guid EventId { get; init; }
    public required string PersonName { get; init; }
    public string? Title { get; init; }
    public required Guid OrganizationId { get; init; }
    public required string Email { get; init; }
    public required RegistrationStatus Status { get; init; }
    /// <summary>Place in the arrival order (1 = first to register).</summary>
    public required int Arrival { get; init; }
    /// <summary>1 for the next person to get a seat; null unless waitlisted.</summary>
    public int? WaitlistPosition { get; init; }
    public required DateTimeOffset RegisteredAt { get; init; }
    public DateTimeOffset? SeatedAt { get; init; }
    public DateTimeOffset? CheckedInAt { get; init; }
    public DateTimeOffset? CancelledAt { get; init; }

    public static RegistrationResponse From(Registration r, TimeZoneInfo zone, int? waitlistPosition)
    {
        ArgumentNullException.ThrowIfNull(r);
        return new RegistrationResponse
        {
            Id = r.Id,
            EventId = r.EventId,
            PersonName = r.PersonName,
            Title = r.PersonTitle,
            OrganizationId = r.OrganizationId,
            Email = r.Email,
            Status = r.Status,
            Arrival = r.Arrival,
            WaitlistPosition = r.Status == RegistrationStatus.Waitlisted ? waitlistPosition : null,
            RegisteredAt = ConsortiumTime.Show(r.CreatedAt, zone),
            SeatedAt = r.SeatedAt is { } s ? ConsortiumTime.Show(s, zone) : null,
            CheckedInAt = r.CheckedInAt is { } c ? ConsortiumTime.Show(c, zone) : null,
            CancelledAt = r.CancelledAt is { } x ? ConsortiumTime.Show(x, zone) : null,
        };
    }
}

/// <summary>The answer to a cancellation: the cancelled registration and whoever got the freed seat.</summary>
public sealed record CancellationResponse(RegistrationResponse Cancelled, RegistrationResponse? Promoted);

/// <summary><c>/api/v1/events/{id}/registrations</c>: seats, waitlist and check-in.</summary>
public static class RegistrationEndpoints
{
    public static IEndpointRouteBuilder MapRegistrationEndpoints(this IEndpointRouteBuilder app)
    {
        var registrations = app.MapGroup("/api/v1/events/{eventId:guid}/registrations").WithTags("Registrations");
        registrations.MapPost("/", RegisterAsync).RequireScope(Scopes.EventsWrite)
            .WithSummary("Register a person: a seat while there is one, else the waitlist; the same email again returns the existing registration (200)");
        registrations.MapGet("/", ListAsync).RequireScope(Scopes.EventsRead)
            .WithSummary("Registrations the caller may see (organizers and operator: all; others: their own organization's)");
        registrations.MapGet("/{registrationId:guid}", GetAsync).RequireScope(Scopes.EventsRead)
            .WithSummary("One registration");
        registrations.MapDelete("/{registrationId:guid}", CancelAsync).RequireScope(Scopes.EventsWrite)
            .WithSummary("Cancel a registration; a freed seat goes to the first waitlisted");
        registrations.MapPost("/{registrationId:guid}/check-in", CheckInAsync).RequireScope(Scopes.EventsWrite)
            .WithSummary("Check a registered person in (once; organizers and operator)");
        return app;
    }

    private static async Task<Results<Created<RegistrationResponse>, Ok<RegistrationResponse>, ValidationProblem, ProblemHttpResult>> RegisterAsync(
        Guid eventId, RegisterRequest request, Caller caller, RegistrationDesk desk, EventsDbContext db, CancellationToken cancellationToken)
    {
        var errors = FieldChecks.Text(request.PersonName, "personName", 200)
            .Concat(FieldChecks.Text(request.Title, "title", 200, required: false))
            .Concat(FieldChecks.Email(request.Email, "email", required: true)).ToList();
        var email = request.Email?.Trim() ?? "";
        if (errors.Count > 0) return Problems.Validation([.. errors]);
        if (!caller.CanActFor(request.OrganizationId))
            return Problems.Status(StatusCodes.Status403Forbidden, "A partner key registers only its own organization's people.");
        // A reference that must exist: the member directory knows every organization membership has announced.
        if ((await db.OrganizationsAsync([request.OrganizationId], cancellationToken)).Count == 0)
            return Problems.Validation(("organizationId", "Unknown organization: not registered on the platform."));

        // Seats, waitlist and arrival order are decided at the event's desk, together with whoever else is waiting.
        var person = new Registrant(request.PersonName.Trim(), request.Title?.Trim() is { Length: > 0 } t ? t : null, request.OrganizationId, email);
        return await desk.RegisterAsync(eventId, person, caller, cancellationToken);
    }

    private static async Task<Results<Ok<Page<RegistrationResponse>>, ProblemHttpResult>> ListAsync(
        Guid eventId, RegistrationStatus? status, PageRequest paging, Caller caller, EventsDbContext db, CancellationToken cancellationToken)
    {
        var found = await db.Events.AsNoTracking().SingleOrDefaultAsync(e => e.Id == eventId, cancellationToken);
        if (found is null) return Problems.NotFound();
        var query = db.Registrations.AsNoTracking().Where(r => r.EventId == eventId);
        if (!caller.CanActForAny(found.OrganizerIds))
        {
            var own = caller.OrganizationId;
            query = query.Where(r => r.OrganizationId == own);
        }
        if (status is { } s) query = query.Where(r => r.Status == s);
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
        return TypedResults.Ok(RegistrationResponse.From(registration, ConsortiumTime.Zone(found.TimeZone), await WaitlistPositionAsync(db, registration, cancellationToken)));
    }

    private static async Task<Results<Ok<CancellationResponse>, ProblemHttpResult>> CancelAsync(
        Guid eventId, Guid registrationId, Caller caller, EventsDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var found = await db.LockEventAsync(eventId, cancellationToken);
        var registration = found is null ? null
            : await db.Registrations.SingleOrDefaultAsync(r => r.Id == registrationId && r.EventId == eventId, cancellationToken);
        if (found is null || !CanSee(caller, found, registration)) return Problems.NotFound();
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
        var found = await db.LockEventAsync(eventId, cancellationToken);
        var registration = found is null ? null
            : await db.Registrations.SingleOrDefaultAsync(r => r.Id == registrationId && r.EventId == eventId, cancellationToken);
        if (found is null || !CanSee(caller, found, registration)) return Problems.NotFound();
        if (!caller.CanActForAny(found.OrganizerIds))
            return Problems.Status(StatusCodes.Status403Forbidden, "Only the event's organizers (or the operator) check people in.");

        var refusal = found.TryCheckIn(registration, time.GetUtcNow());
        if (refusal is not null)
            return Problems.Conflict(refusal, new { status = registration.Status, checkedInAt = registration.CheckedInAt, eventStatus = found.Status });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return TypedResults.Ok(RegistrationResponse.From(registration, ConsortiumTime.Zone(found.TimeZone), null));
    }

    /// <summary>Personal data: the operator, the event's organizers and the person's own organization.</summary>
    private static bool CanSee(Caller caller, ConsortiumEvent e, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] Registration? registration) =>
        registration is not null && (caller.CanActFor(registration.OrganizationId) || caller.CanActForAny(e.OrganizerIds));

    internal static async Task<int?> WaitlistPositionAsync(EventsDbContext db, Registration registration, CancellationToken cancellationToken)
    {
        if (registration.Status != RegistrationStatus.Waitlisted) return null;
        return await db.Registrations.CountAsync(r => r.EventId == registration.EventId && r.Status == RegistrationStatus.Waitlisted
                                                      && r.Arrival <= registration.Arrival, cancellationToken);
    }
}
