namespace Platform.Events.Features.Directory;

/// <summary><c>/api/v1/members</c>: the events service's member directory, to pick organizers and parties from.</summary>
public static class MemberEndpoints
{
    public static IEndpointRouteBuilder MapMembers(this IEndpointRouteBuilder api)
    {
        api.MapGet("/members", ListAsync).WithTags("Members").WithName("listMembers").RequireScope(Scopes.EventsRead)
            .WithSummary("Members of a consortium as this service knows them, most recently changed first")
            .WithDescription("A partner sees only consortia its organization belongs to; any other consortium, or one this service never heard of, answers 404.");
        return api;
    }

    private static async Task<Results<Ok<Page<MemberResponse>>, ProblemHttpResult>> ListAsync(
        Guid consortiumId, ApiEnum<MembershipStatus>? status, PageRequest paging, Caller caller, EventsDbContext db, CancellationToken cancellationToken)
    {
        if (!await db.CanReadConsortiumAsync(caller, consortiumId, cancellationToken)) return Problems.NotFound();
        var memberships = db.KnownMemberships.AsNoTracking().Where(m => m.ConsortiumId == consortiumId);
        if (status is { Value: var wanted }) memberships = memberships.Where(m => m.Status == wanted);
        var page = await memberships.ToPageAsync(m => m.ChangedAt, m => m.OrganizationId, paging, cancellationToken);
        var names = await db.OrganizationsAsync(page.Items.Select(m => m.OrganizationId), cancellationToken);
        return TypedResults.Ok(page.Map(m => new MemberResponse
        {
            OrganizationId = m.OrganizationId,
            Name = names.GetValueOrDefault(m.OrganizationId)?.Name ?? "",
            NameZh = names.GetValueOrDefault(m.OrganizationId)?.NameZh,
            Kind = names.GetValueOrDefault(m.OrganizationId)?.Kind ?? "",
            Status = m.Status,
            ChangedAt = m.ChangedAt,
        }));
    }
}
