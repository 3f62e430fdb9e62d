namespace Platform.TalentPipeline.Features.Talent;

public static class TalentEndpoints
{
    public static IEndpointRouteBuilder MapTalent(this IEndpointRouteBuilder api)
    {
        var demands = api.MapGroup("/demands").WithTags("Talent demand");
        demands.MapPost("/", CreateDemandAsync).WithName("postTalentDemand").RequireScope(Scopes.PipelineWrite).WithSummary("An enterprise posts talent demand.");
        demands.MapGet("/", ListDemandsAsync).WithName("listTalentDemands").RequireScope(Scopes.PipelineRead)
            .WithSummary("Demands of the caller's organization (all, for the operator).");
        demands.MapGet("/{demandId:guid}", GetDemandAsync).WithName("getTalentDemand").RequireScope(Scopes.PipelineRead).WithSummary("One demand.");
        demands.MapGet("/{demandId:guid}/matches", DemandMatchesAsync).WithName("listDemandMatches").RequireScope(Scopes.PipelineRead)
            .WithSummary("Cohorts of the consortium ranked for this demand, with the reasons for each score.");

        var cohorts = api.MapGroup("/cohorts").WithTags("Cohorts");
        cohorts.MapPost("/", CreateCohortAsync).WithName("declareCohort").RequireScope(Scopes.PipelineWrite).WithSummary("A college declares a graduating cohort.");
        cohorts.MapGet("/", ListCohortsAsync).WithName("listCohorts").RequireScope(Scopes.PipelineRead)
            .WithSummary("Cohorts of the caller's organization (all, for the operator).");
        cohorts.MapGet("/{cohortId:guid}", GetCohortAsync).WithName("getCohort").RequireScope(Scopes.PipelineRead).WithSummary("One cohort.");
        cohorts.MapGet("/{cohortId:guid}/matches", CohortMatchesAsync).WithName("listCohortMatches").RequireScope(Scopes.PipelineRead)
            .WithSummary("Demands of the consortium ranked for this cohort, with the reasons for each score.");
        return api;
    }

    private static async Task<Results<Created<DemandResponse>, ValidationProblem, ProblemHttpResult>> CreateDemandAsync(CreateDemandRequest request, Caller caller,
        TalentPipelineDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        // Rules that need the clock, the caller or the member list; the request's own rules ran before (CreateDemandRequest.Validate).
        var errors = PlausibleDates.Check(request.NeededBy, "neededBy", PlausibleDates.Scheduled(time)).ToList();
        if (!caller.CanActFor(request.EnterpriseId)) errors.Add(("enterpriseId", "A partner posts demand only for its own organization."));
        await CheckMemberAsync(db, request.ConsortiumId, request.EnterpriseId, "enterpriseId", college: false, errors, cancellationToken);
        if (errors.Count > 0) return Problems.Validation([.. errors]);

        var demand = new TalentDemand
        {
            Id = Guid.CreateVersion7(),
            ConsortiumId = request.ConsortiumId,
            EnterpriseId = request.EnterpriseId,
            Occupation = request.Occupation.Trim(),
            Skills = [.. (request.Skills ?? []).Select(s => s.Trim())],
            Headcount = request.Headcount,
            Region = request.Region.Trim(),
            NeededBy = request.NeededBy,
            CreatedAt = time.GetUtcNow(),
        };
        db.Demands.Add(demand);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"{PlatformApi.Prefix}/demands/{demand.Id}", DemandResponse.From(demand));
    }

    private static async Task<Results<Created<CohortResponse>, ValidationProblem, ProblemHttpResult>> CreateCohortAsync(CreateCohortRequest request, Caller caller,
        TalentPipelineDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        // Rules that need the caller or the member list; the request's own rules ran before (CreateCohortRequest.Validate).
        var errors = new List<(string Field, string Message)>();
        if (!caller.CanActFor(request.CollegeId)) errors.Add(("collegeId", "A partner declares cohorts only for its own organization."));
        await CheckMemberAsync(db, request.ConsortiumId, request.CollegeId, "collegeId", college: true, errors, cancellationToken);
        if (errors.Count > 0) return Problems.Validation([.. errors]);

        var region = await db.Organizations.Where(o => o.Id == request.CollegeId).Select(o => o.Region).FirstOrDefaultAsync(cancellationToken);
        var cohort = new Cohort
        {
            Id = Guid.CreateVersion7(),
            ConsortiumId = request.ConsortiumId,
            CollegeId = request.CollegeId,
            Major = request.Major.Trim(),
            Occupation = request.Occupation.Trim(),
            GraduationYear = request.GraduationYear,
            Headcount = request.Headcount,
            Region = region,
            CreatedAt = time.GetUtcNow(),
        };
        db.Cohorts.Add(cohort);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"{PlatformApi.Prefix}/cohorts/{cohort.Id}", CohortResponse.From(cohort));
    }

    private static async Task CheckMemberAsync(TalentPipelineDbContext db, Guid consortiumId, Guid organizationId, string field, bool college,
        List<(string Field, string Message)> errors, CancellationToken cancellationToken)
    {
        var member = await db.Members.AsNoTracking().FirstOrDefaultAsync(m => m.ConsortiumId == consortiumId && m.OrganizationId == organizationId, cancellationToken);
        if (member is null) errors.Add((field, "Not a member of the consortium."));
        else if (!member.IsActive) errors.Add((field, $"Not an active member of the consortium ({ApiEnum.Name(member.Status)})."));
        else if (Member.IsCollegeKind(member.Kind) != college) errors.Add((field, college ? $"{member.Name} is not a college." : $"{member.Name} is a college, not an employer."));
    }

    private static async Task<Ok<Page<DemandResponse>>> ListDemandsAsync(Guid? consortiumId, PageRequest page, Caller caller, TalentPipelineDbContext db,
        CancellationToken cancellationToken)
    {
        var query = db.Demands.AsNoTracking();
        if (consortiumId is { } c) query = query.Where(d => d.ConsortiumId == c);
        if (!caller.IsOperator) query = query.Where(d => d.EnterpriseId == caller.OrganizationId);
        return TypedResults.Ok((await query.ToPageAsync(d => d.Id, page, cancellationToken)).Map(DemandResponse.From));
    }

    private static async Task<Ok<Page<CohortResponse>>> ListCohortsAsync(Guid? consortiumId, PageRequest page, Caller caller, TalentPipelineDbContext db,
        CancellationToken cancellationToken)
    {
        var query = db.Cohorts.AsNoTracking();
        if (consortiumId is { } c) query = query.Where(d => d.ConsortiumId == c);
        if (!caller.IsOperator) query = query.Where(d => d.CollegeId == caller.OrganizationId);
        return TypedResults.Ok((await query.ToPageAsync(d => d.Id, page, cancellationToken)).Map(CohortResponse.From));
    }

    private static async Task<Results<Ok<DemandResponse>, ProblemHttpResult>> GetDemandAsync(Guid demandId, Caller caller, TalentPipelineDbContext db, CancellationToken cancellationToken)
    {
        var demand = await db.Demands.AsNoTracking().FirstOrDefaultAsync(d => d.Id == demandId, cancellationToken);
        return caller.CanSee(demand, d => d.EnterpriseId) ? TypedResults.Ok(DemandResponse.From(demand)) : Problems.NotFound();
    }

    private static async Task<Results<Ok<CohortResponse>, ProblemHttpResult>> GetCohortAsync(Guid cohortId, Caller caller, TalentPipelineDbContext db, CancellationToken cancellationToken)
    {
        var cohort = await db.Cohorts.AsNoTracking().FirstOrDefaultAsync(c => c.Id == cohortId, cancellationToken);
        return caller.CanSee(cohort, c => c.CollegeId) ? TypedResults.Ok(CohortResponse.From(cohort)) : Problems.NotFound();
    }

    private static async Task<Results<Ok<IReadOnlyList<MatchResponse>>, ProblemHttpResult>> DemandMatchesAsync(Guid demandId, Caller caller, TalentPipelineDbContext db,
        CancellationToken cancellationToken)
    {
        var demand = await db.Demands.AsNoTracking().FirstOrDefaultAsync(d => d.Id == demandId, cancellationToken);
        if (!caller.CanSee(demand, d => d.EnterpriseId)) return Problems.NotFound();
        var cohorts = await db.Cohorts.AsNoTracking()
            .Where(c => c.ConsortiumId == demand.ConsortiumId
                        && db.Members.Any(m => m.ConsortiumId == c.ConsortiumId && m.OrganizationId == c.CollegeId && m.Status == MemberStatus.Active))
            .ToListAsync(cancellationToken);
        IReadOnlyList<MatchResponse> ranked = [.. cohorts.Select(c => (Cohort: c, Score: TalentMatching.Score(demand, c)))
            .OrderByDescending(m => m.Score.Score).ThenBy(m => m.Cohort.Id)
            .Select((m, i) => new MatchResponse(i + 1, m.Score.Score, CohortResponse.From(m.Cohort), null, m.Score.Reasons))];
        return TypedResults.Ok(ranked);
    }

    private static async Task<Results<Ok<IReadOnlyList<MatchResponse>>, ProblemHttpResult>> CohortMatchesAsync(Guid cohortId, Caller caller, TalentPipelineDbContext db,
        CancellationToken cancellationToken)
    {
        var cohort = await db.Cohorts.AsNoTracking().FirstOrDefaultAsync(c => c.Id == cohortId, cancellationToken);
        if (!caller.CanSee(cohort, c => c.CollegeId)) return Problems.NotFound();
        var demands = await db.Demands.AsNoTracking()
            .Where(d => d.ConsortiumId == cohort.ConsortiumId
                        && db.Members.Any(m => m.ConsortiumId == d.ConsortiumId && m.OrganizationId == d.EnterpriseId && m.Status == MemberStatus.Active))
            .ToListAsync(cancellationToken);
        IReadOnlyList<MatchResponse> ranked = [.. demands.Select(d => (Demand: d, Score: TalentMatching.Score(d, cohort)))
            .OrderByDescending(m => m.Score.Score).ThenBy(m => m.Demand.Id)
            .Select((m, i) => new MatchResponse(i + 1, m.Score.Score, null, DemandResponse.From(m.Demand), m.Score.Reasons))];
        return TypedResults.Ok(ranked);
    }
}
