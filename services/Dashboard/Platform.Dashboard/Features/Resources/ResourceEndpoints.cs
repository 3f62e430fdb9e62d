namespace Platform.Dashboard.Features.Resources;

/// <summary>The Resources view: every watched service (and the broker), live and ready or not and why, since when.</summary>
public static class ResourceEndpoints
{
    public static IEndpointRouteBuilder MapResources(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGroup("/api/resources").WithTags("Resources")
            .MapGet("/", async (ResourceBoard board, CancellationToken cancellationToken) => TypedResults.Ok(await board.ReportAsync(cancellationToken)));
        return endpoints;
    }
}
