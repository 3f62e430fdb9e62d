namespace Platform.Dashboard.Features.Kpis;

/// <summary>The Consortium view: members, programs, the placement funnel, data quality, upcoming events.</summary>
public static class KpiEndpoints
{
    public static IEndpointRouteBuilder MapKpis(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGroup("/api/kpis").WithTags("Consortium KPIs").MapGet("/", ReportAsync);
        return endpoints;
    }

    private static async Task<Results<Ok<KpiReport>, ValidationProblem>> ReportAsync(ConsortiumKpis kpis, string? consortiumId, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(consortiumId)) return TypedResults.Ok(await kpis.ReportAsync(null, cancellationToken));
        // Consortium ids are GUIDs (membership's): anything else would only come back as 404s from every service.
        if (!Guid.TryParseExact(consortiumId, "D", out var id))
            return Problems.Validation(("consortiumId", "Must be a consortium id (a GUID such as 0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b)."));
        return TypedResults.Ok(await kpis.ReportAsync(id.ToString("D"), cancellationToken));
    }
}
