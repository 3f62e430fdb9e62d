using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Platform.ServiceDefaults.Auth;

/// <summary>
/// <c>GET /api/v1/me</c> on every service: who the presented key belongs to and what it may do. Lets a partner
/// check a newly issued key (and that every service already honours it) before wiring its integration.
/// </summary>
public static class CallerEndpoint
{
    public sealed record CallerResponse(CallerKind Kind, Guid? ApiClientId, Guid? OrganizationId, IReadOnlyList<string> Scopes);

    public static IEndpointRouteBuilder MapCallerEndpoint(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/me", (Caller caller) => TypedResults.Ok(new CallerResponse(
                caller.Kind, caller.ApiClientId, caller.OrganizationId, [.. caller.Scopes.Order(StringComparer.Ordinal)])))
            .WithTags("Caller")
            .WithName("getCaller")
            .WithSummary("The caller of this API key: operator or partner, its organization and scopes.")
            .ProducesProblem(StatusCodes.Status401Unauthorized);
        return app;
    }
}
