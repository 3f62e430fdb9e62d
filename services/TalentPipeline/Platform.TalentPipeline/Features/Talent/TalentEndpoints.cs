using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Platform.ServiceDefaults.Auth;
using Platform.ServiceDefaults.Http;
using Platform.TalentPipeline.Domain;
using Platform.TalentPipeline.Persistence;

namespace Platform.TalentPipeline.Features.Talent;

/// <summary>An enterprise's talent demand.</summary>
/// <param name="Occupation">e.g. "welder".</param>
/// <param name="Skills">e.g. ["robotic welding", "blueprint reading"].</param>
/// <param name="Headcount">People needed.</param>
/// <param name="Region">Where the jobs are, e.g. "Jinan".</param>
/// <param name="NeededBy">When they are needed.</param>
public sealed record CreateDemandRequest(Guid ConsortiumId, Guid EnterpriseId, string Occupation, int Headcount, string Region, DateOnly NeededBy, IReadOnlyList<string>? Skills = null);

/// <summary>A talent demand.</summary>
public sealed record DemandResponse(Guid Id, Guid ConsortiumId, Guid EnterpriseId, string Occupation, IReadOnlyList<string> Skills, int Headcount, string Region,
    DateOnly NeededBy, DateTimeOffset CreatedAt)
{
    public static DemandResponse From(TalentDemand d) => new(d.Id, d.ConsortiumId, d.EnterpriseId, d.Occupation, d.Skills, d.Headcount, d.Region, d.NeededBy, d.CreatedAt);
}

/// <summary>A college's graduating cohort.</summary>
/// <param name="Major">e.g. "Welding technology and automation".</param>
/// <param name="Occupation">The occupation it trains for, e.g. "welder".</param>
public sealed record CreateCohortRequest(Guid ConsortiumId, Guid CollegeId, string Major, string Occupation, int GraduationYear, int Headcount);

/// <summary>A cohort.</summary>
/// <param name="Region">The college's region, from its organization profile.</param>
public sealed record CohortResponse(Guid Id, Guid ConsortiumId, Guid CollegeId, string Major, string Occupation, int GraduationYear, int Headcount, string? Region,
    DateTimeOffset CreatedAt)
{
    public static CohortResponse From(Cohort c) => new(c.Id, c.ConsortiumId, c.CollegeId, c.Major, c.Occupation, c.GraduationYear, c.Headcount, c.Region, c.CreatedAt);
}

/// <summary>One ranked match, best first, with every reason for its score (out of 100).</summary>
public sealed record MatchResponse(int Rank, int Score, CohortResponse? Cohort, DemandResponse? Demand, IReadOnlyList<MatchReason> Reasons);

public static class TalentEndpoints
{
    public static IEndpointRouteBuilder MapTalent(this IEndpointRouteBuilder app)
    {
        var demands = app.MapGroup("/api/v1/demands").WithTags("Talent demand and supply");
        demands.MapPost("/", CreateDemandAsync).RequireScope(Scopes.PipelineWrite).WithSummary("An enterprise posts talent demand.");
        demands.MapGet("/", ListDemandsAsync).RequireScope(Scopes.PipelineRead).WithSummary("Demands of the caller's organization (all, for the operator).");
        demands.MapGet("/{id:guid}", GetDemandAsync).RequireScope(Scopes.PipelineRead).WithSummary("One demand.");
        demands.MapGet("/{id:guid}/matches", DemandMatchesAsync).RequireScope(Scopes.PipelineRead)
            .WithSummary("Cohorts of the consortium ranked for this demand, with the reasons for each score.");

        var cohorts = app.MapGroup("/api/v1/cohorts").WithTags("Talent demand and supply");
        cohorts.MapPost("/", CreateCohortAsync).RequireScope(Scopes.PipelineWrite).WithSummary("A college declares a graduating cohort.");
        cohorts.MapGet("/", ListCohortsAsync).RequireScope(Scopes.PipelineRead).WithSummary("Cohorts of the caller's organization (all, for the operator).");
        cohorts.MapGet("/{id:guid}", GetCohortAsync).RequireScope(Scopes.PipelineRead).WithSummary("One cohort.");
        cohorts.MapGet("/{id:guid}/matches", CohortMatchesAsync).RequireScope(Scopes.PipelineRead)
            .WithSummary("Demands of the consortium ranked for this cohort, with the reasons for each score.");
        return app;
    }

    private static async Task<Results<Created<DemandResponse>, ValidationProblem, ProblemHttpResult>> CreateDemandAsync(CreateDemandRequest request, Caller caller,
        TalentPipelineDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        var errors = new List<(string, string)>();
        if (!caller.CanActFor(request.EnterpriseId)) errors.Add(("enterpriseId", "A partner posts demand only for its own organization."));
        if (string.IsNullOrWhiteSpace(request.Occupation) || request.Occupation.Length > 200) errors.Add(("occupation", "Required, at most 200 characters."));
        if (string.IsNullOrWhiteSpace(request.Region) || request.Region.Length > 200) errors.Add(("region", "Required, at most 200 characters."));
        if (request.Headcount is < 1 or > 100_000) errors.Add(("headcount", "From 1 to 100,000."));
        errors.AddRange(PlausibleDates.Check(request.NeededBy, "neededBy", PlausibleDates.Scheduled(time)));
        if (request.Skills is { Count: > 50 } || request.Skills?.Any(s => string.IsNullOrWhiteSpace(s) || s.Length > 100) == true)
            errors.Add(("skills", "At most 50 skills of 1 to 100 characters."));
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
        return TypedResults.Created($"/api/v1/demands/{demand.Id}", DemandResponse.From(demand));
    }

    private static async Task<Results<Created<CohortResponse>, ValidationProblem, ProblemHttpResult>> CreateCohortAsync(CreateCohortRequest request, Caller caller,
        TalentPipelineDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        var errors = new List<(string, string)>();
        if (!caller.CanActFor(request.CollegeId)) errors.Add(("collegeId", "A partner declares cohorts only for its own organization."));
        if (string.IsNullOrWhiteSpace(request.Major) || request.Major.Length > 200) errors.Add(("major", "Required, at most 200 characters."));
        if (string.IsNullOrWhiteSpace(request.Occupation) || request.Occupation.Length > 200) errors.Add(("occupation", "Required, at most 200 characters."));
        if (request.GraduationYear is < 2000 or > 2100) errors.Add(("graduationYear", "From 2000 to 2100."));
        if (request.Headcount is < 1 or > 100_000) errors.Add(("headcount", "From 1 to 100,000."));
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
        return TypedResults.Created($"/api/v1/cohorts/{cohort.Id}", CohortResponse.From(cohort));
    }

    private static async Task CheckMemberAsync(TalentPipelineDbContext db, Guid consortiumId, Guid organizationId, string field, bool college,
        List<(string, string)> errors, CancellationToken cancellationToken)
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

    private static async Task<Results<Ok<DemandResponse>, ProblemHttpResult>> GetDemandAsync(Guid id, Caller caller, TalentPipelineDbContext db, CancellationToken cancellationToken)
    {
        var demand = await db.Demands.AsNoTracking().FirstOrDefaultAsync(d => d.Id == id, cancellationToken);
        return caller.CanSee(demand, d => d.EnterpriseId) ? TypedResults.Ok(DemandResponse.From(demand)) : Problems.NotFound();
    }

    private static async Task<Results<Ok<CohortResponse>, ProblemHttpResult>> GetCohortAsync(Guid id, Caller caller, TalentPipelineDbContext db, CancellationToken cancellationToken)
    {
        var cohort = await db.Cohorts.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, cancellationToken);
        return caller.CanSee(cohort, c => c.CollegeId) ? TypedResults.Ok(CohortResponse.From(cohort)) : Problems.NotFound();
    }

    private static async Task<Results<Ok<IReadOnlyList<MatchResponse>>, ProblemHttpResult>> DemandMatchesAsync(Guid id, Caller caller, TalentPipelineDbContext db,
        CancellationToken cancellationToken)
    {
        var demand = await db.Demands.AsNoTracking().FirstOrDefaultAsync(d => d.Id == id, cancellationToken);
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

    private static async Task<Results<Ok<IReadOnlyList<MatchResponse>>, ProblemHttpResult>> CohortMatchesAsync(Guid id, Caller caller, TalentPipelineDbContext db,
        CancellationToken cancellationToken)
    {
        var cohort = await db.Cohorts.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, cancellationToken);
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
