namespace Platform.Dashboard.Features.Kpis;

/// <summary>The Consortium view: members, programs, the placement funnel, data quality, upcoming events.</summary>
public static class KpiEndpoints
{
    public static IEndpointRouteBuilder MapKpis(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGroup("/api/kpis").WithTags("Consortium KPIs")
            .MapGet("/", async (ConsortiumKpis kpis, string? consortiumId, CancellationToken cancellationToken) =>
                TypedResults.Ok(await kpis.ReportAsync(string.IsNullOrWhiteSpace(consortiumId) ? null : consortiumId, cancellationToken)));
        return endpoints;
    }
}
