namespace Platform.TalentPipeline.Features.Programs;

public static class ProgramEndpoints
{
    public static IEndpointRouteBuilder MapPrograms(this IEndpointRouteBuilder api)
    {
        var programs = api.MapGroup("/programs").WithTags("Programs");
        programs.MapPost("/", CreateAsync).WithName("createProgram").RequireScope(Scopes.PipelineWrite)
            .WithSummary("Create a cooperation program (draft). Every party must be an active member of the consortium.");
        programs.MapGet("/", ListAsync).WithName("listPrograms").RequireScope(Scopes.PipelineRead)
            .WithSummary("Programs the caller takes part in (all, for the operator), newest first.");
        programs.MapGet("/{programId:guid}", GetAsync).WithName("getProgram").RequireScope(Scopes.PipelineRead).WithSummary("One program.");
        programs.MapPost("/{programId:guid}/launch", LaunchAsync).WithName("launchProgram").RequireScope(Scopes.PipelineWrite)
            .WithSummary("Launch a draft program: every party must be an active member.");
        programs.MapPost("/{programId:guid}/complete", CompleteAsync).WithName("completeProgram").RequireScope(Scopes.PipelineWrite)
            .WithSummary("Complete an active program; colleges may still report retention for it.");
        programs.MapPost("/{programId:guid}/cancel", CancelAsync).WithName("cancelProgram").RequireScope(Scopes.PipelineWrite)
            .WithSummary("Cancel a draft, active or paused program; it takes no more placement events.");
        return api;
    }

    private static async Task<Results<Created<ProgramResponse>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        CreateProgramRequest request, Caller caller, TalentPipelineDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        // Rules that need the clock, the caller or the member list; the request's own rules ran before (CreateProgramRequest.Validate).
        var errors = new List<(string, string)>();
        if (request.StartsOn is { } starts) errors.AddRange(PlausibleDates.Check(starts, "startsOn", PlausibleDates.Scheduled(time)));
        if (request.EndsOn is { } ends) errors.AddRange(PlausibleDates.Check(ends, "endsOn", PlausibleDates.Scheduled(time)));
        var parties = request.CollegeIds.Concat(request.EnterpriseIds).ToList();
        if (!caller.CanActForAny(parties)) errors.Add(("collegeIds", "A partner creates programs only where its own organization is a party."));

        var members = await db.Members.AsNoTracking().Where(m => m.ConsortiumId == request.ConsortiumId && parties.Contains(m.OrganizationId))
            .ToDictionaryAsync(m => m.OrganizationId, cancellationToken);
        CheckParties(request.CollegeIds, "collegeIds", college: true, members, errors);
        CheckParties(request.EnterpriseIds, "enterpriseIds", college: false, members, errors);
        if (errors.Count > 0) return Problems.Validation([.. errors]);

        var occupation = string.IsNullOrWhiteSpace(request.Occupation) ? null : request.Occupation.Trim();
        var program = CooperationProgram.Create(Guid.CreateVersion7(), request.ConsortiumId, request.Kind, request.Title.Trim(), request.CollegeIds,
            request.EnterpriseIds, occupation, request.Seats, request.StartsOn, request.EndsOn, time.GetUtcNow());
        db.Programs.Add(program);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"{PlatformApi.Prefix}/programs/{program.Id}", ProgramResponse.From(program));
    }

    private static void CheckParties(IReadOnlyList<Guid> ids, string field, bool college, Dictionary<Guid, Member> members, List<(string, string)> errors)
    {
        for (var i = 0; i < ids.Count; i++)
        {
            if (!members.TryGetValue(ids[i], out var member) || !member.IsActive)
                errors.Add(($"{field}[{i}]", member is null ? "Not a member of the consortium." : $"Not an active member of the consortium ({ApiEnum.Name(member.Status)})."));
            else if (Member.IsCollegeKind(member.Kind) != college)
                errors.Add(($"{field}[{i}]", college ? $"{member.Name} is not a college ({member.Kind})." : $"{member.Name} is a college; list it under collegeIds."));
        }
    }

    private static async Task<Ok<Page<ProgramResponse>>> ListAsync(Guid? consortiumId, ApiEnum<ProgramStatus>? status, PageRequest page, Caller caller,
        TalentPipelineDbContext db, CancellationToken cancellationToken)
    {
        var query = db.Programs.AsNoTracking();
        if (consortiumId is { } c) query = query.Where(p => p.ConsortiumId == c);
        if (status?.Value is { } s) query = query.Where(p => p.Status == s);
        if (!caller.IsOperator && caller.OrganizationId is { } own)
            query = query.Where(p => p.CollegeIds.Contains(own) || p.EnterpriseIds.Contains(own));
        var result = await query.ToPageAsync(p => p.Id, page, cancellationToken);
        return TypedResults.Ok(result.Map(ProgramResponse.From));
    }

    private static async Task<Results<Ok<ProgramResponse>, ProblemHttpResult>> GetAsync(Guid programId, Caller caller, TalentPipelineDbContext db,
        CancellationToken cancellationToken)
    {
        var program = await db.Programs.AsNoTracking().FirstOrDefaultAsync(p => p.Id == programId, cancellationToken);
        if (!caller.CanSee(program, p => p.Parties)) return Problems.NotFound();
        return TypedResults.Ok(ProgramResponse.From(program));
    }

    private static Task<Results<Ok<ProgramResponse>, ProblemHttpResult>> LaunchAsync(Guid programId, Caller caller, TalentPipelineDbContext db,
        TimeProvider time, CancellationToken cancellationToken) =>
        PerformAsync(programId, ProgramAction.Launch, null, caller, db, time, cancellationToken);

    private static Task<Results<Ok<ProgramResponse>, ProblemHttpResult>> CompleteAsync(Guid programId, CompleteProgramRequest? request, Caller caller,
        TalentPipelineDbContext db, TimeProvider time, CancellationToken cancellationToken) =>
        PerformAsync(programId, ProgramAction.Complete, request?.Reason, caller, db, time, cancellationToken);

    private static Task<Results<Ok<ProgramResponse>, ProblemHttpResult>> CancelAsync(Guid programId, CancelProgramRequest? request, Caller caller,
        TalentPipelineDbContext db, TimeProvider time, CancellationToken cancellationToken) =>
        PerformAsync(programId, ProgramAction.Cancel, request?.Reason, caller, db, time, cancellationToken);

    private static async Task<Results<Ok<ProgramResponse>, ProblemHttpResult>> PerformAsync(Guid programId, ProgramAction action, string? reason,
        Caller caller, TalentPipelineDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        var program = await db.Programs.FirstOrDefaultAsync(p => p.Id == programId, cancellationToken);
        if (!caller.CanSee(program, p => p.Parties)) return Problems.NotFound();

        if (CooperationProgram.Target(program.Status, action) is null)
            return Problems.Conflict($"A program in state '{ApiEnum.Name(program.Status)}' cannot be {Done(action)}.", CurrentState(program));
        if (action == ProgramAction.Launch)
        {
            var parties = program.Parties.ToList();
            var active = await db.Members.AsNoTracking()
                .Where(m => m.ConsortiumId == program.ConsortiumId && parties.Contains(m.OrganizationId) && m.Status == MemberStatus.Active)
                .Select(m => m.OrganizationId).ToListAsync(cancellationToken);
            var missing = program.InactiveParties(active.ToHashSet());
            if (missing.Count > 0)
                return Problems.Conflict($"Every party must be an active member to launch; not active: {string.Join(", ", missing)}.", CurrentState(program));
        }

        var transition = program.TryPerform(action, reason)!;
        await ProgramAnnouncements.AnnounceAsync(db, program, transition, time.GetUtcNow(), cancellationToken);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Problems.Conflict("The program changed meanwhile (e.g. it was paused); read it again and retry.", code: ProblemCode.ConcurrentChange);
        }
        return TypedResults.Ok(ProgramResponse.From(program));
    }

    private static string Done(ProgramAction action) => action switch
    {
        ProgramAction.Launch => "launched",
        ProgramAction.Complete => "completed",
        _ => "cancelled",
    };

    /// <summary>The 409's <c>currentState</c>: the status, and the actions it allows (their routes).</summary>
    private static object CurrentState(CooperationProgram program) =>
        new { status = ApiEnum.Name(program.Status), allowedActions = program.AllowedActions.Select(ApiEnum.Name).ToArray() };
}
