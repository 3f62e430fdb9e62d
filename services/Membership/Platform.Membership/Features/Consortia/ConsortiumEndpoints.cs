namespace Platform.Membership.Features.Consortia;

public static class ConsortiumEndpoints
{
    public static RouteGroupBuilder MapConsortia(this RouteGroupBuilder api)
    {
        var consortia = api.MapGroup("/consortia").WithTags("Consortia");
        consortia.MapPost("/", EstablishAsync).WithName("establishConsortium").RequireOperator()
            .WithSummary("Establish a consortium (vocational education group or industry–education consortium).");
        consortia.MapGet("/", ListAsync).WithName("listConsortia").RequireScope(Scopes.MembershipRead)
            .WithSummary("Every consortium on the platform, newest first.");
        consortia.MapGet("/{consortiumId:guid}", GetAsync).WithName("getConsortium").RequireScope(Scopes.MembershipRead)
            .WithSummary("One consortium.");
        return api;
    }

    internal static async Task<Results<Created<ConsortiumResponse>, ValidationProblem>> EstablishAsync(
        EstablishConsortiumRequest request, MembershipDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        var leads = request.LeadOrganizationIds ?? [];
        var known = await db.Organizations.Where(o => leads.Contains(o.Id)).Select(o => o.Id).ToListAsync(cancellationToken);
        if (FieldChecks.Unknown(leads, known.Contains, i => $"leadOrganizationIds[{i}]", "No such organization; register it first.") is { Length: > 0 } unknown)
            return Problems.Validation(unknown);

        var consortium = Consortium.Establish(Guid.CreateVersion7(), request.Name, request.Kind, request.Region, request.Sectors ?? [], leads,
            request.EstablishedOn, request.TimeZone, time.GetUtcNow(), request.NameZh);
        db.Consortia.Add(consortium);
        db.AddIntegrationEvent(new ConsortiumEstablished
        {
            ConsortiumId = consortium.Id,
            Name = consortium.Name,
            NameZh = consortium.NameZh,
            Kind = ApiEnum.Name(consortium.Kind),
            Region = consortium.Region,
            Sectors = consortium.Sectors,
            LeadOrganizationIds = consortium.LeadOrganizationIds,
            EstablishedOn = consortium.EstablishedOn,
            TimeZone = consortium.TimeZone,
            OccurredAt = consortium.CreatedAt,
        });
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/api/v1/consortia/{consortium.Id}", ConsortiumResponse.From(consortium));
    }

    internal static async Task<Ok<Page<ConsortiumResponse>>> ListAsync(PageRequest paging, MembershipDbContext db, CancellationToken cancellationToken)
    {
        var page = await db.Consortia.AsNoTracking().ToPageAsync(c => c.Id, paging, cancellationToken);
        return TypedResults.Ok(page.Map(ConsortiumResponse.From));
    }

    internal static async Task<Results<Ok<ConsortiumResponse>, ProblemHttpResult>> GetAsync(Guid consortiumId, MembershipDbContext db, CancellationToken cancellationToken) =>
        await db.Consortia.AsNoTracking().FirstOrDefaultAsync(c => c.Id == consortiumId, cancellationToken) is { } consortium
            ? TypedResults.Ok(ConsortiumResponse.From(consortium))
            : Problems.NotFound();
}
