using Platform.ServiceDefaults.Resilience;
using Polly;

namespace Platform.Membership.Features.Charters;

public static class CharterEndpoints
{
    internal const string VersionIndex = "ix_charters_consortium_id_version";

    public static RouteGroupBuilder MapCharters(this RouteGroupBuilder api)
    {
        var charters = api.MapGroup("/consortia/{consortiumId:guid}/charters").WithTags("Charters");
        charters.MapPost("/", ApproveAsync).WithName("approveCharter").RequireOperator()
            .WithSummary("Record a newly approved charter version.");
        charters.MapGet("/", ListAsync).WithName("listCharters").RequireScope(Scopes.MembershipRead)
            .WithSummary("The charter's versions, latest first.");
        return api;
    }

    internal static async Task<Results<Created<CharterResponse>, ValidationProblem, ProblemHttpResult>> ApproveAsync(
        Guid consortiumId, ApproveCharterRequest request, MembershipDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        if (!await db.Consortia.AnyAsync(c => c.Id == consortiumId, cancellationToken)) return Problems.NotFound("No such consortium.");
        if (request.ApprovedBySession is { } number && !await db.CouncilSessions.AnyAsync(s => s.ConsortiumId == consortiumId && s.Number == number, cancellationToken))
            return Problems.Validation(("approvedBySession", $"The consortium has no council session {number}."));

        // Two approvals at once both pick the next version; the unique index lets one win and the other takes the one after.
        return await VersionTaken.RunAsync<Results<Created<CharterResponse>, ValidationProblem, ProblemHttpResult>>(async ct =>
        {
            var version = 1 + (await db.Charters.Where(c => c.ConsortiumId == consortiumId).MaxAsync(c => (int?)c.Version, ct) ?? 0);
            var charter = Charter.Approve(Guid.CreateVersion7(), consortiumId, version, request.Text?.Trim(), request.Link, request.ApprovedOn, request.ApprovedBySession);
            db.Charters.Add(charter);
            db.AddIntegrationEvent(new CharterApproved
            {
                ConsortiumId = consortiumId, CharterId = charter.Id, Version = version, ApprovedOn = charter.ApprovedOn,
                ApprovedBySession = charter.ApprovedBySession, Link = charter.Link, OccurredAt = time.GetUtcNow(),
            });
            await db.SaveChangesAsync(ct);
            return TypedResults.Created($"/api/v1/consortia/{consortiumId}/charters", CharterResponse.From(charter));
        }, db.ChangeTracker.Clear, cancellationToken);
    }

    private static readonly ResiliencePipeline VersionTaken = Retries.Define(ConcurrentChange.MaxAttempts,
        e => e is DbUpdateException u && u.IsUniqueViolation(VersionIndex));

    internal static async Task<Results<Ok<Page<CharterResponse>>, ProblemHttpResult>> ListAsync(
        Guid consortiumId, PageRequest paging, Caller caller, MembershipDbContext db, CancellationToken cancellationToken)
    {
        if (!await ConsortiumAccess.CanReadAsync(db, caller, consortiumId, cancellationToken)) return Problems.NotFound();
        var page = await db.Charters.AsNoTracking().Where(c => c.ConsortiumId == consortiumId).ToPageAsync(c => c.Id, paging, cancellationToken);
        return TypedResults.Ok(page.Map(CharterResponse.From));
    }
}
