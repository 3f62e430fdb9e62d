using Microsoft.AspNetCore.Http.HttpResults;

namespace Platform.Dashboard.Features.Resources;

/// <summary>The Resources view: every process the AppHost runs, its readiness and why, and its console output.</summary>
public static class ResourceEndpoints
{
    public static IEndpointRouteBuilder MapResources(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/resources").WithTags("Resources");
        api.MapGet("/", async (ResourceBoard board, CancellationToken cancellationToken) => TypedResults.Ok(await board.ReportAsync(cancellationToken)));
        api.MapGet("/{name}/console", Console);
        return endpoints;
    }

    private static async Task<Results<Ok<IReadOnlyList<ConsoleLine>>, ProblemHttpResult>> Console(ResourceBoard board, string name, int? lines, CancellationToken cancellationToken)
    {
        var output = await board.ConsoleAsync(name, Math.Clamp(lines ?? 200, 1, 1_000), cancellationToken);
        return output is null
            ? TypedResults.Problem($"No console output for '{name}': the AppHost keeps it, and it is not reachable or does not run '{name}'.", statusCode: StatusCodes.Status404NotFound)
            : TypedResults.Ok(output);
    }
}
