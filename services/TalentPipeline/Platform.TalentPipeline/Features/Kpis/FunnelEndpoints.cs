using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Platform.ServiceDefaults.Auth;
using Platform.ServiceDefaults.Http;
using Platform.TalentPipeline.Domain;
using Platform.TalentPipeline.Persistence;

namespace Platform.TalentPipeline.Features.Kpis;

/// <summary>Trainees who first reached each stage (each trainee counts once per stage).</summary>
public sealed record FunnelCounts(int Enrolled, int InternshipStarted, int InternshipCompleted, int OfferMade, int OfferAccepted, int Employed,
    int Retained6Months, int Retained12Months, int Withdrawn, int EmployedAfterInternship)
{
    public static FunnelCounts From(IReadOnlyDictionary<FunnelStage, int> counts)
    {
        int Of(FunnelStage stage) => counts.GetValueOrDefault(stage);
        return new(Of(FunnelStage.Enrolled), Of(FunnelStage.InternshipStarted), Of(FunnelStage.InternshipCompleted), Of(FunnelStage.OfferMade),
            Of(FunnelStage.OfferAccepted), Of(FunnelStage.Employed), Of(FunnelStage.Retained6Months), Of(FunnelStage.Retained12Months),
            Of(FunnelStage.Withdrawn), Of(FunnelStage.EmployedAfterInternship));
    }
}

/// <summary>One month of the funnel (by the month the stage was first reached, UTC).</summary>
public sealed record FunnelMonth(DateOnly Month, FunnelCounts Counts);

/// <summary>
/// Funnel KPIs. Rates are null when their denominator is zero. placementRate = employed / enrolled;
/// internshipToEmploymentConversion = employedAfterInternship / internshipStarted; retention6Months = retained6Months / employed;
/// retention12Months = retained12Months / employed.
/// </summary>
public sealed record FunnelResponse(FunnelCounts Counts, double? PlacementRate, double? InternshipToEmploymentConversion, double? Retention6Months,
    double? Retention12Months, IReadOnlyList<FunnelMonth> ByMonth);

public static class FunnelEndpoints
{
    public static IEndpointRouteBuilder MapFunnel(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/kpis/funnel", GetAsync).WithTags("KPIs").RequireScope(Scopes.PipelineRead)
            .WithSummary("Funnel counts and rates from maintained aggregates; partners see their own college's or enterprise's figures.");
        return app;
    }

    private static async Task<Results<Ok<FunnelResponse>, ValidationProblem, ProblemHttpResult>> GetAsync(Guid? consortiumId, Guid? programId, Guid? collegeId,
        Guid? enterpriseId, DateOnly? from, DateOnly? to, Caller caller, TalentPipelineDbContext db, CancellationToken cancellationToken)
    {
        if (!caller.IsOperator)
        {
            if (collegeId is null && enterpriseId is null)
                return Problems.Validation(("collegeId", "Partners see the funnel of their own organization: pass collegeId or enterpriseId."));
            if (collegeId is { } c && !caller.CanActFor(c) || enterpriseId is { } e && !caller.CanActFor(e)) return Problems.NotFound();
        }
        if (from is { } f && to is { } t && t < f) return Problems.Validation(("to", "Must not be before from."));

        var query = db.FunnelCounts.AsNoTracking();
        if (consortiumId is { } consortium) query = query.Where(x => x.ConsortiumId == consortium);
        if (programId is { } program) query = query.Where(x => x.ProgramId == program);
        if (collegeId is { } college) query = query.Where(x => x.CollegeId == college);
        if (enterpriseId is { } enterprise) query = query.Where(x => x.EnterpriseId == enterprise);
        if (from is { } start) query = query.Where(x => x.Month >= new DateOnly(start.Year, start.Month, 1));
        if (to is { } end) query = query.Where(x => x.Month <= end);

        var rows = await query.GroupBy(x => new { x.Month, x.Stage }).Select(g => new { g.Key.Month, g.Key.Stage, Trainees = g.Sum(x => x.Trainees) })
            .ToListAsync(cancellationToken);
        var totals = rows.GroupBy(r => r.Stage).ToDictionary(g => g.Key, g => g.Sum(r => r.Trainees));
        var counts = FunnelCounts.From(totals);
        var byMonth = rows.GroupBy(r => r.Month).OrderBy(g => g.Key)
            .Select(g => new FunnelMonth(g.Key, FunnelCounts.From(g.ToDictionary(r => r.Stage, r => r.Trainees)))).ToList();
        return TypedResults.Ok(new FunnelResponse(counts, Rate(counts.Employed, counts.Enrolled), Rate(counts.EmployedAfterInternship, counts.InternshipStarted),
            Rate(counts.Retained6Months, counts.Employed), Rate(counts.Retained12Months, counts.Employed), byMonth));
    }

    private static double? Rate(int numerator, int denominator) => denominator == 0 ? null : Math.Round((double)numerator / denominator, 4);
}
