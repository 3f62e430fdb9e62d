using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Platform.Events.Persistence;
using Platform.ServiceDefaults.Auth;
using Platform.ServiceDefaults.Http;

namespace Platform.Events.Features.Directory;

/// <summary>A member as the events service knows it (from membership's events): who may organize and sign.</summary>
public sealed record MemberResponse(Guid OrganizationId, string Name, string Kind, string Status, DateTimeOffset ChangedAt);

/// <summary><c>/api/v1/members</c>: the events service's member directory, to pick organizers and parties from.</summary>
public static class MemberEndpoints
{
    public static IEndpointRouteBuilder MapMemberEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/members", ListAsync).WithTags("Members").RequireScope(Scopes.EventsRead)
            .WithSummary("Members of a consortium as this service knows them (status: applied, active, rejected, suspended, withdrawn); a partner sees only consortia its organization belongs to (404 otherwise)");
        return app;
    }

    private static async Task<Results<Ok<Page<MemberResponse>>, ValidationProblem, ProblemHttpResult>> ListAsync(
        Guid? consortiumId, string? status, PageRequest paging, Caller caller, EventsDbContext db, CancellationToken cancellationToken)
    {
        if (consortiumId is not { } consortium) return Problems.Validation(("consortiumId", "Required."));
        if (!await db.CanReadConsortiumAsync(caller, consortium, cancellationToken)) return Problems.NotFound();
        var memberships = db.KnownMemberships.AsNoTracking().Where(m => m.ConsortiumId == consortium);
        if (status is { Length: > 0 }) memberships = memberships.Where(m => m.Status == status);
        var page = await memberships.ToPageAsync(m => m.ChangedAt, m => m.OrganizationId, paging, cancellationToken);
        var names = await db.OrganizationsAsync(page.Items.Select(m => m.OrganizationId), cancellationToken);
        return TypedResults.Ok(page.Map(m => new MemberResponse(m.OrganizationId, names.GetValueOrDefault(m.OrganizationId)?.Name ?? "",
            names.GetValueOrDefault(m.OrganizationId)?.Kind ?? "", m.Status, m.ChangedAt)));
    }
}
