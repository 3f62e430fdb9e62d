using Npgsql;

namespace Platform.Events.Features.Outcomes;

/// <summary>
/// <c>/api/v1/events/{eventId}/outcomes/*</c>: what a held event produced, each published through the outbox for the
/// services that act on it; and the consortium's agreements register.
/// </summary>
public static class OutcomeEndpoints
{
    public static IEndpointRouteBuilder MapOutcomes(this IEndpointRouteBuilder api)
    {
        var outcomes = api.MapGroup("/events/{eventId:guid}/outcomes").WithTags("Outcomes").RequireScope(Scopes.EventsWrite);
        outcomes.MapPost("/agreements", RecordAgreementAsync).WithName("recordAgreement")
            .WithSummary("Record an agreement signed at the event (publishes AgreementSigned)");
        outcomes.MapPost("/unveilings", RecordUnveilingAsync).WithName("recordUnveiling")
            .WithSummary("Record a plaque unveiled at the event (publishes PlaqueUnveiled)");
        outcomes.MapPost("/council-designations", RecordDesignationsAsync).WithName("recordCouncilDesignations")
            .WithSummary("Record council roles designated at a council or founding meeting (publishes CouncilDesignationsRecorded; membership applies or rejects them)");
        outcomes.MapPost("/competition-results", PublishResultsAsync).WithName("publishCompetitionResults")
            .WithSummary("Publish a skills competition's ranked results (publishes CompetitionResultsPublished)");

        api.MapGet("/agreements", ListAgreementsAsync).WithTags("Outcomes").WithName("listAgreements").RequireScope(Scopes.EventsRead)
            .WithSummary("The consortium's agreements register: every agreement with its event and parties, newest first")
            .WithDescription("A partner sees only consortia its organization belongs to; any other consortium, or one this service never heard of, answers 404.");
        return api;
    }

    /// <summary>The held event the caller organizes, or the problem to answer.</summary>
    private static async Task<(ConsortiumEvent? Event, ProblemHttpResult? Problem)> HeldEventAsync(Guid eventId, Caller caller, EventsDbContext db, CancellationToken cancellationToken)
    {
        var found = await db.Events.AsNoTracking().SingleOrDefaultAsync(e => e.Id == eventId, cancellationToken);
        if (found is null) return (null, Problems.NotFound());
        if (!caller.CanActForAny(found.OrganizerIds))
            return (null, Problems.Status(StatusCodes.Status403Forbidden, "Only the event's organizers (or the operator) record its outcomes."));
        if (!found.AcceptsOutcomes)
            return (null, Problems.Conflict($"Outcomes are recorded once the event is held; it is {ApiEnum.Name(found.Status)}.", EventState.Of(found)));
        return (found, null);
    }

    private static DateOnly EventDay(ConsortiumEvent e) => ConsortiumTime.Day(e.StartsAt, ConsortiumTime.Zone(e.TimeZone));

    private static async Task<Results<Created<AgreementResponse>, ValidationProblem, ProblemHttpResult>> RecordAgreementAsync(
        Guid eventId, RecordAgreementRequest request, Caller caller, EventsDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        // The day's range depends on today (the clock), not on the request alone.
        if (request.SignedOn is { } signedOn && PlausibleDates.Check(signedOn, "signedOn", PlausibleDates.Scheduled(time)).ToArray() is { Length: > 0 } wrongDay)
            return Problems.Validation(wrongDay);

        var (held, problem) = await HeldEventAsync(eventId, caller, db, cancellationToken);
        if (held is null) return problem!;
        var members = await db.ActiveMembersAsync(held.ConsortiumId, request.Parties, cancellationToken);
        if (FieldChecks.Unknown(request.Parties, members.ContainsKey, i => $"parties[{i}]", "Not an active member of the event's consortium.") is { Length: > 0 } strangers)
            return Problems.Validation(strangers);

        var now = time.GetUtcNow();
        var agreement = new Agreement(Guid.CreateVersion7(), held, request.Kind, request.Title.Trim(), request.Occupation?.Trim() is { Length: > 0 } o ? o : null,
            request.Parties.Select(p => members[p]), request.SignedOn ?? EventDay(held), now);
        db.Agreements.Add(agreement);
        db.AddIntegrationEvent(OutcomeAnnouncements.Signed(agreement, held, caller));
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"{PlatformApi.Prefix}/events/{held.Id}", AgreementResponse.From(agreement, held.Title));
    }

    private static async Task<Results<Created<UnveilingResponse>, ValidationProblem, ProblemHttpResult>> RecordUnveilingAsync(
        Guid eventId, RecordUnveilingRequest request, Caller caller, EventsDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        if (request.UnveiledOn is { } unveiledOn && PlausibleDates.Check(unveiledOn, "unveiledOn", PlausibleDates.Scheduled(time)).ToArray() is { Length: > 0 } wrongDay)
            return Problems.Validation(wrongDay);

        var (held, problem) = await HeldEventAsync(eventId, caller, db, cancellationToken);
        if (held is null) return problem!;
        var members = await db.ActiveMembersAsync(held.ConsortiumId, [request.HostOrganizationId], cancellationToken);
        if (!members.TryGetValue(request.HostOrganizationId, out var host))
            return Problems.Validation(("hostOrganizationId", "Not an active member of the event's consortium."));

        var now = time.GetUtcNow();
        var unveiling = new Unveiling(Guid.CreateVersion7(), held, request.Name.Trim(), host, request.Kind, request.UnveiledOn ?? EventDay(held), now);
        db.Unveilings.Add(unveiling);
        db.AddIntegrationEvent(OutcomeAnnouncements.Unveiled(unveiling, caller));
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"{PlatformApi.Prefix}/events/{held.Id}", UnveilingResponse.From(unveiling));
    }

    private static async Task<Results<Created<CouncilDesignationsResponse>, ValidationProblem, ProblemHttpResult>> RecordDesignationsAsync(
        Guid eventId, RecordCouncilDesignationsRequest request, Caller caller, EventsDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        var (held, problem) = await HeldEventAsync(eventId, caller, db, cancellationToken);
        if (held is null) return problem!;
        if (!CouncilDesignationRecording.IsCouncilMeeting(held.Kind))
            return Problems.Conflict($"Council roles are designated at a council or founding meeting; this event is a {ApiEnum.Name(held.Kind)}.",
                new { kind = held.Kind, status = held.Status });
        // Names only: whether each organization may hold the role is membership's rule, answered by Applied/Rejected.
        var known = await db.OrganizationsAsync(request.Designations.Select(d => d.OrganizationId), cancellationToken);
        if (FieldChecks.Unknown(request.Designations, d => known.ContainsKey(d.OrganizationId), i => $"designations[{i}].organizationId", "Unknown organization.") is { Length: > 0 } unknown)
            return Problems.Validation(unknown);

        var now = time.GetUtcNow();
        var recording = new CouncilDesignationRecording(Guid.CreateVersion7(), held, request.SessionNumber,
            request.Designations.Select(d => new Designation { OrganizationId = d.OrganizationId, OrganizationName = known[d.OrganizationId].Name, Role = d.Role }), now);
        db.CouncilDesignationRecordings.Add(recording);
        db.AddIntegrationEvent(OutcomeAnnouncements.DesignationsRecorded(recording, caller));
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"{PlatformApi.Prefix}/events/{held.Id}", CouncilDesignationsResponse.From(recording));
    }

    private static async Task<Results<Created<CompetitionResultsResponse>, ValidationProblem, ProblemHttpResult>> PublishResultsAsync(
        Guid eventId, PublishCompetitionResultsRequest request, Caller caller, EventsDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        var (held, problem) = await HeldEventAsync(eventId, caller, db, cancellationToken);
        if (held is null) return problem!;
        if (held.Kind != EventKind.SkillsCompetition)
            return Problems.Conflict($"Results belong to a skills competition; this event is a {ApiEnum.Name(held.Kind)}.", new { kind = held.Kind, status = held.Status });
        var existing = await db.CompetitionResults.AsNoTracking().SingleOrDefaultAsync(r => r.EventId == held.Id, cancellationToken);
        if (existing is not null)
            return Problems.Conflict("The competition's results are already published.", CompetitionResultsResponse.From(existing));
        var colleges = await db.OrganizationsAsync(request.Entrants.Select(e => e.CollegeId), cancellationToken);
        if (FieldChecks.Unknown(request.Entrants, e => colleges.ContainsKey(e.CollegeId), i => $"entrants[{i}].collegeId", "Unknown organization.") is { Length: > 0 } unknown)
            return Problems.Validation(unknown);

        var now = time.GetUtcNow();
        var results = new CompetitionResults(Guid.CreateVersion7(), held, request.Entrants.Select(e => new RankedEntrant
        {
            TraineeRef = e.TraineeRef.Trim(),
            CollegeId = e.CollegeId,
            CollegeName = colleges[e.CollegeId].Name,
            CollegeNameZh = colleges[e.CollegeId].NameZh,
            Rank = e.Rank,
            Award = e.Award?.Trim() is { Length: > 0 } a ? a : null,
        }), now);
        db.CompetitionResults.Add(results);
        db.AddIntegrationEvent(OutcomeAnnouncements.ResultsPublished(results, held, caller));
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException exception) when (exception.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            return Problems.Conflict("The competition's results were published meanwhile.", code: ProblemCode.ConcurrentChange);
        }
        return TypedResults.Created($"{PlatformApi.Prefix}/events/{held.Id}", CompetitionResultsResponse.From(results));
    }

    private static async Task<Results<Ok<Page<AgreementResponse>>, ProblemHttpResult>> ListAgreementsAsync(
        Guid consortiumId, PageRequest paging, Caller caller, EventsDbContext db, CancellationToken cancellationToken)
    {
        if (!await db.CanReadConsortiumAsync(caller, consortiumId, cancellationToken)) return Problems.NotFound();
        var page = await db.Agreements.AsNoTracking().Where(a => a.ConsortiumId == consortiumId).ToPageAsync(a => a.Id, paging, cancellationToken);
        var eventIds = page.Items.Select(a => a.EventId).Distinct().ToList();
        var titles = await db.Events.Where(e => eventIds.Contains(e.Id)).ToDictionaryAsync(e => e.Id, e => e.Title, cancellationToken);
        return TypedResults.Ok(page.Map(a => AgreementResponse.From(a, titles.GetValueOrDefault(a.EventId))));
    }
}
