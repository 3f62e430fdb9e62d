namespace Platform.TalentPipeline.Features.Kpis;

public static class FunnelEndpoints
{
    public static IEndpointRouteBuilder MapFunnel(this IEndpointRouteBuilder api)
    {
        api.MapGet("/kpis/funnel", GetAsync).WithName("getFunnel").WithTags("KPIs").RequireScope(Scopes.PipelineRead)
            .WithSummary("Funnel counts and rates from maintained aggregates; partners see their own college's or enterprise's figures.");
        return api;
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
        // A cross-field rule of query parameters (no request record to carry it).
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
