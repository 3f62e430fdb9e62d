using DomainDesignation = Platform.Membership.Domain.CouncilDesignation;

namespace Platform.Membership.Features.Council;

public static class CouncilEndpoints
{
    internal const string SessionNumberIndex = "ix_council_sessions_consortium_id_number";

    public static RouteGroupBuilder MapCouncil(this RouteGroupBuilder api)
    {
        var sessions = api.MapGroup("/consortia/{consortiumId:guid}/council-sessions").WithTags("Council");
        sessions.MapPost("/", OpenAsync).WithName("openCouncilSession").RequireOperator()
            .WithSummary("Open the next council session; the previous session's roles end with it.");
        sessions.MapGet("/", ListAsync).WithName("listCouncilSessions").RequireScope(Scopes.MembershipRead)
            .WithSummary("The consortium's council sessions, latest first, with their roles.");
        sessions.MapGet("/{sessionNumber:int}", GetAsync).WithName("getCouncilSession").RequireScope(Scopes.MembershipRead)
            .WithSummary("One council session with its roles.");
        sessions.MapPut("/{sessionNumber:int}/roles", DesignateAsync).WithName("designateCouncilRoles").RequireOperator()
            .WithSummary("Designate the session's roles in bulk: [{ organizationId, role }]. All-or-nothing: only active members, each once, at most one secretaryGeneral. Replaces the previous designation; members left out lose their role.");
        return api;
    }

    internal static async Task<Results<Created<CouncilSessionResponse>, ValidationProblem, ProblemHttpResult>> OpenAsync(
        Guid consortiumId, OpenCouncilSessionRequest request, MembershipDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        // Plausible against today's date, which the request cannot know: checked here.
        var dates = PlausibleDates.Check(request.StartsOn, "startsOn", PlausibleDates.Scheduled(time))
            .Concat(PlausibleDates.Check(request.EndsOn, "endsOn", PlausibleDates.Scheduled(time))).ToArray();
        if (dates.Length > 0) return Problems.Validation(dates);
        if (!await db.Consortia.AnyAsync(c => c.Id == consortiumId, cancellationToken)) return Problems.NotFound("No such consortium.");

        return await db.RetryOnConflictAsync<Results<Created<CouncilSessionResponse>, ValidationProblem, ProblemHttpResult>>(async () =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            await CouncilRoleDesignation.LockCouncilAsync(db, consortiumId, cancellationToken);
            var previous = await db.CouncilSessions.Where(s => s.ConsortiumId == consortiumId).OrderByDescending(s => s.Number).FirstOrDefaultAsync(cancellationToken);
            if (CouncilSession.CheckNextNumber(request.Number, previous?.Number) is { } problem)
                return Problems.Conflict(problem, new { currentSession = previous!.Number });

            var now = time.GetUtcNow();
            var session = CouncilSession.Open(Guid.CreateVersion7(), consortiumId, request.Number, request.StartsOn, request.EndsOn, now);
            db.CouncilSessions.Add(session);
            if (previous is not null) await EndTermAsync(db, previous, now, cancellationToken);
            db.AddIntegrationEvent(CouncilAnnouncements.Opened(session));
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException e) when (e.IsUniqueViolation(SessionNumberIndex))
            {
                db.ChangeTracker.Clear();
                return Problems.Conflict($"Council session {request.Number} was opened by another request at the same moment.", new { currentSession = request.Number }, ProblemCode.ConcurrentChange);
            }
            await transaction.CommitAsync(cancellationToken);
            return TypedResults.Created($"/api/v1/consortia/{consortiumId}/council-sessions/{session.Number}", await ToResponseAsync(db, session, isCurrent: true, cancellationToken));
        });
    }

    /// <summary>A new session starts without roles: the members' roles of the previous term end (see <see cref="CouncilSession.EndTerm"/>).</summary>
    private static async Task EndTermAsync(MembershipDbContext db, CouncilSession previous, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var holders = await db.Memberships.Where(m => m.ConsortiumId == previous.ConsortiumId && m.CouncilRole != null).ToListAsync(cancellationToken);
        var revoked = previous.EndTerm(holders, now);
        var ids = revoked.Select(r => r.OrganizationId).ToList();
        var names = await db.Organizations.Where(o => ids.Contains(o.Id)).ToDictionaryAsync(o => o.Id, o => new OrganizationNames(o.Name, o.NameZh), cancellationToken);
        foreach (var change in revoked) db.AddIntegrationEvent(CouncilAnnouncements.Revoked(change, names));
    }

    internal static async Task<Results<Ok<Page<CouncilSessionResponse>>, ProblemHttpResult>> ListAsync(
        Guid consortiumId, PageRequest paging, Caller caller, MembershipDbContext db, CancellationToken cancellationToken)
    {
        if (!await ConsortiumAccess.CanReadAsync(db, caller, consortiumId, cancellationToken)) return Problems.NotFound();
        var page = await db.CouncilSessions.AsNoTracking().Where(s => s.ConsortiumId == consortiumId).ToPageAsync(s => s.Id, paging, cancellationToken);
        var current = await db.CouncilSessions.Where(s => s.ConsortiumId == consortiumId).MaxAsync(s => (int?)s.Number, cancellationToken);
        var items = new List<CouncilSessionResponse>();
        foreach (var session in page.Items) items.Add(await ToResponseAsync(db, session, session.Number == current, cancellationToken));
        return TypedResults.Ok(new Page<CouncilSessionResponse>(items, page.NextCursor));
    }

    internal static async Task<Results<Ok<CouncilSessionResponse>, ProblemHttpResult>> GetAsync(
        Guid consortiumId, int sessionNumber, Caller caller, MembershipDbContext db, CancellationToken cancellationToken)
    {
        if (!await ConsortiumAccess.CanReadAsync(db, caller, consortiumId, cancellationToken)) return Problems.NotFound();
        var session = await db.CouncilSessions.AsNoTracking().FirstOrDefaultAsync(s => s.ConsortiumId == consortiumId && s.Number == sessionNumber, cancellationToken);
        if (session is null) return Problems.NotFound();
        var current = await db.CouncilSessions.Where(s => s.ConsortiumId == consortiumId).MaxAsync(s => s.Number, cancellationToken);
        return TypedResults.Ok(await ToResponseAsync(db, session, session.Number == current, cancellationToken));
    }

    internal static async Task<Results<Ok<CouncilSessionResponse>, ValidationProblem, ProblemHttpResult>> DesignateAsync(
        Guid consortiumId, int sessionNumber, CouncilDesignationsRequest designations, MembershipDbContext db, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var requested = designations.Select(d => new DomainDesignation(d.OrganizationId, d.Role)).ToList();
        return await db.RetryOnConflictAsync<Results<Ok<CouncilSessionResponse>, ValidationProblem, ProblemHttpResult>>(async () =>
        {
            // The council lock (taken by DesignateAsync) holds until this transaction ends.
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            switch (await CouncilRoleDesignation.DesignateAsync(db, consortiumId, sessionNumber, requested, time.GetUtcNow(), cancellationToken))
            {
                case null:
                    return Problems.NotFound($"The consortium has no council session {sessionNumber}.");
                case DesignationResult.NotCurrent notCurrent:
                    return Problems.Conflict($"Council session {sessionNumber} has been succeeded by session {notCurrent.CurrentNumber}; only the current session's roles can be designated.",
                        new { currentSession = notCurrent.CurrentNumber });
                case DesignationResult.Refused refused:
                    return Problems.Validation(refused.Problems.GroupBy(p => $"[{p.Index}].organizationId")
                        .ToDictionary(g => g.Key, g => g.Select(p => p.Reason).ToArray(), StringComparer.Ordinal));
                case DesignationResult.Applied applied:
                    await db.SaveChangesAsync(cancellationToken);
                    await transaction.CommitAsync(cancellationToken);
                    return TypedResults.Ok(await ToResponseAsync(db, applied.Session, isCurrent: true, cancellationToken));
                default:
                    throw new InvalidOperationException("Unknown designation outcome.");
            }
        });
    }

    private static async Task<CouncilSessionResponse> ToResponseAsync(MembershipDbContext db, CouncilSession session, bool isCurrent, CancellationToken cancellationToken)
    {
        var ids = session.Designations.Select(d => d.OrganizationId).ToList();
        var names = await db.Organizations.AsNoTracking().Where(o => ids.Contains(o.Id)).ToDictionaryAsync(o => o.Id, o => new OrganizationNames(o.Name, o.NameZh), cancellationToken);
        return new CouncilSessionResponse
        {
            Id = session.Id, ConsortiumId = session.ConsortiumId, Number = session.Number, StartsOn = session.StartsOn, EndsOn = session.EndsOn,
            IsCurrent = isCurrent, OpenedAt = session.OpenedAt, LastDesignatedAt = session.LastDesignatedAt,
            Designations = [.. session.Designations.OrderBy(d => d.Role).ThenBy(d => names.GetValueOrDefault(d.OrganizationId)?.Name, StringComparer.Ordinal)
                .Select(d => new CouncilDesignationResponse { OrganizationId = d.OrganizationId, OrganizationName = names.GetValueOrDefault(d.OrganizationId)?.Name ?? "", OrganizationNameZh = names.GetValueOrDefault(d.OrganizationId)?.NameZh, Role = d.Role })],
        };
    }
}
