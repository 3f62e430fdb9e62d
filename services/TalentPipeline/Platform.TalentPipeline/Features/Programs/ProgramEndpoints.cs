using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Platform.ServiceDefaults.Auth;
using Platform.ServiceDefaults.Http;
using Platform.TalentPipeline.Domain;
using Platform.TalentPipeline.Persistence;

namespace Platform.TalentPipeline.Features.Programs;

/// <summary>A new cooperation program (created as a draft; launch it to make it active).</summary>
/// <param name="ConsortiumId">The consortium whose members run it.</param>
/// <param name="Kind">orderClass, apprenticeship, internshipBase, employmentBase, trainingBase, teacherPracticeCenter, skillsTrainingProject or productionPracticeProject.</param>
/// <param name="Title">e.g. "Intelligent welding order class".</param>
/// <param name="CollegeIds">Participating colleges (active members of the consortium).</param>
/// <param name="EnterpriseIds">Participating enterprises (active members of the consortium).</param>
/// <param name="Occupation">Occupation or major trained for, e.g. "welder".</param>
/// <param name="Seats">Trainee places, when limited.</param>
/// <param name="StartsOn">First day.</param>
/// <param name="EndsOn">Last day.</param>
public sealed record CreateProgramRequest(Guid ConsortiumId, ProgramKind Kind, [property: MaxLength(300)] string Title, [property: MaxLength(50)] IReadOnlyList<Guid> CollegeIds,
    [property: MaxLength(50)] IReadOnlyList<Guid> EnterpriseIds, [property: MaxLength(200)] string? Occupation = null, [property: Range(1, 100_000)] int? Seats = null,
    DateOnly? StartsOn = null, DateOnly? EndsOn = null);

/// <summary>A cooperation program.</summary>
/// <param name="Status">draft, active, paused (a party is suspended), completed or cancelled.</param>
/// <param name="PausedBy">The suspended parties keeping it paused.</param>
/// <param name="AgreementId">The signed agreement it was created from, if any.</param>
public sealed record ProgramResponse(Guid Id, Guid ConsortiumId, ProgramKind Kind, string Title, IReadOnlyList<Guid> CollegeIds, IReadOnlyList<Guid> EnterpriseIds,
    string? Occupation, int? Seats, DateOnly? StartsOn, DateOnly? EndsOn, ProgramStatus Status, IReadOnlyList<Guid> PausedBy, Guid? AgreementId,
    DateTimeOffset CreatedAt)
{
    public static ProgramResponse From(CooperationProgram p) => new(p.Id, p.ConsortiumId, p.Kind, p.Title, p.CollegeIds, p.EnterpriseIds, p.Occupation,
        p.Seats, p.StartsOn, p.EndsOn, p.Status, p.PausedBy, p.AgreementId, p.CreatedAt);
}

/// <summary>Why a status change was made.</summary>
public sealed record ProgramActionRequest([property: MultiLine, MaxLength(InputLimits.Reason)] string? Reason = null);

public static class ProgramEndpoints
{
    public static IEndpointRouteBuilder MapPrograms(this IEndpointRouteBuilder app)
    {
        var programs = app.MapGroup("/api/v1/programs").WithTags("Programs");
        programs.MapPost("/", CreateAsync).RequireScope(Scopes.PipelineWrite)
            .WithSummary("Create a cooperation program (draft). Every party must be an active member of the consortium.");
        programs.MapGet("/", ListAsync).RequireScope(Scopes.PipelineRead)
            .WithSummary("Programs the caller takes part in (all, for the operator), newest first.");
        programs.MapGet("/{id:guid}", GetAsync).RequireScope(Scopes.PipelineRead).WithSummary("One program.");
        programs.MapPost("/{id:guid}/{action}", PerformAsync).RequireScope(Scopes.PipelineWrite)
            .WithSummary("launch, complete or cancel a program; illegal transitions → 409.");
        return app;
    }

    private static async Task<Results<Created<ProgramResponse>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        CreateProgramRequest request, Caller caller, TalentPipelineDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        var errors = new List<(string, string)>();
        if (string.IsNullOrWhiteSpace(request.Title) || request.Title.Length > 300) errors.Add(("title", "Required, at most 300 characters."));
        if (request.Occupation is { Length: > 200 }) errors.Add(("occupation", "At most 200 characters."));
        if (request.Seats is <= 0) errors.Add(("seats", "Must be positive."));
        if (request.StartsOn is { } starts) errors.AddRange(PlausibleDates.Check(starts, "startsOn", PlausibleDates.Scheduled(time)));
        if (request.EndsOn is { } ends) errors.AddRange(PlausibleDates.Check(ends, "endsOn", PlausibleDates.Scheduled(time)));
        if (request.StartsOn is { } s && request.EndsOn is { } e && e < s) errors.Add(("endsOn", "Must not be before startsOn."));
        if (request.CollegeIds.Count + request.EnterpriseIds.Count == 0) errors.Add(("collegeIds", "A program needs at least one party."));
        if (request.Kind is ProgramKind.OrderClass or ProgramKind.Apprenticeship)
        {
            if (request.CollegeIds.Count == 0) errors.Add(("collegeIds", "An order class or apprenticeship needs a college."));
            if (request.EnterpriseIds.Count == 0) errors.Add(("enterpriseIds", "An order class or apprenticeship needs an enterprise."));
        }
        var parties = request.CollegeIds.Concat(request.EnterpriseIds).ToList();
        if (!caller.CanActForAny(parties)) errors.Add(("collegeIds", "A partner creates programs only where its own organization is a party."));

        var members = await db.Members.AsNoTracking().Where(m => m.ConsortiumId == request.ConsortiumId && parties.Contains(m.OrganizationId))
            .ToDictionaryAsync(m => m.OrganizationId, cancellationToken);
        CheckParties(request.CollegeIds, "collegeIds", college: true, members, errors);
        CheckParties(request.EnterpriseIds, "enterpriseIds", college: false, members, errors);
        if (errors.Count > 0) return Problems.Validation([.. errors]);

        var program = CooperationProgram.Create(Guid.CreateVersion7(), request.ConsortiumId, request.Kind, request.Title.Trim(), request.CollegeIds,
            request.EnterpriseIds, request.Occupation?.Trim(), request.Seats, request.StartsOn, request.EndsOn, time.GetUtcNow());
        db.Programs.Add(program);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/api/v1/programs/{program.Id}", ProgramResponse.From(program));
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

    private static async Task<Ok<Page<ProgramResponse>>> ListAsync(Guid? consortiumId, ProgramStatus? status, PageRequest page, Caller caller,
        TalentPipelineDbContext db, CancellationToken cancellationToken)
    {
        var query = db.Programs.AsNoTracking();
        if (consortiumId is { } c) query = query.Where(p => p.ConsortiumId == c);
        if (status is { } s) query = query.Where(p => p.Status == s);
        if (!caller.IsOperator && caller.OrganizationId is { } own)
            query = query.Where(p => p.CollegeIds.Contains(own) || p.EnterpriseIds.Contains(own));
        var result = await query.ToPageAsync(p => p.Id, page, cancellationToken);
        return TypedResults.Ok(result.Map(ProgramResponse.From));
    }

    private static async Task<Results<Ok<ProgramResponse>, ProblemHttpResult>> GetAsync(Guid id, Caller caller, TalentPipelineDbContext db, CancellationToken cancellationToken)
    {
        var program = await db.Programs.AsNoTracking().FirstOrDefaultAsync(p => p.Id == id, cancellationToken);
        if (!caller.CanSee(program, p => p.Parties)) return Problems.NotFound();
        return TypedResults.Ok(ProgramResponse.From(program));
    }

    private static async Task<Results<Ok<ProgramResponse>, ValidationProblem, ProblemHttpResult>> PerformAsync(
        Guid id, string action, ProgramActionRequest? request, Caller caller, TalentPipelineDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        if (!Enum.TryParse<ProgramAction>(action, ignoreCase: true, out var parsed) || int.TryParse(action, out _))
            return Problems.Validation(("action", "Expected launch, complete or cancel."));
        var program = await db.Programs.FirstOrDefaultAsync(p => p.Id == id, cancellationToken);
        if (!caller.CanSee(program, p => p.Parties)) return Problems.NotFound();

        if (parsed == ProgramAction.Launch)
        {
            var parties = program.Parties.ToList();
            var active = await db.Members.AsNoTracking()
                .Where(m => m.ConsortiumId == program.ConsortiumId && parties.Contains(m.OrganizationId) && m.Status == MemberStatus.Active)
                .Select(m => m.OrganizationId).ToListAsync(cancellationToken);
            var missing = program.InactiveParties(active.ToHashSet());
            if (missing.Count > 0)
                return Problems.Conflict($"Every party must be an active member to launch; not active: {string.Join(", ", missing)}.", new { status = program.Status });
        }

        if (program.TryPerform(parsed, request?.Reason) is not { } transition)
            return Problems.Conflict($"A program in status '{ApiEnum.Name(program.Status)}' does not allow '{ApiEnum.Name(parsed)}'.",
                new { status = program.Status, allowedActions = program.AllowedActions });
        await ProgramAnnouncements.AnnounceAsync(db, program, transition, time.GetUtcNow(), cancellationToken);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Problems.Conflict("The program changed meanwhile (e.g. it was paused); read it again and retry.");
        }
        return TypedResults.Ok(ProgramResponse.From(program));
    }
}
