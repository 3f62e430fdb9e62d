using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Platform.Membership.Contracts;
using Platform.Membership.Domain;
using Platform.Membership.Persistence;
using Platform.ServiceDefaults.Auth;
using Platform.ServiceDefaults.Http;
using Platform.ServiceDefaults.Messaging;
using Platform.ServiceDefaults.Persistence;

namespace Platform.Membership.Features.Charters;

/// <summary>Record an approved version of the charter: its text, or a link to it, or both.</summary>
/// <param name="ApprovedBySession">The council session that approved it, when known.</param>
public sealed record ApproveCharterRequest(DateOnly ApprovedOn, [property: MultiLine, MaxLength(200_000)] string? Text = null, Uri? Link = null,
    [property: Range(1, 1000)] int? ApprovedBySession = null)
{
    internal IEnumerable<(string Field, string Message)> Check()
    {
        if (string.IsNullOrWhiteSpace(Text) && Link is null) yield return ("text", "Give the charter's text or a link to it.");
        if (Text?.Length > 200_000) yield return ("text", "At most 200,000 characters; link to longer documents.");
        if (Link is not null && (!Link.IsAbsoluteUri || Link.Scheme is not ("https" or "http") || Link.OriginalString.Length > 2000))
            yield return ("link", "An absolute http(s) URL of at most 2,000 characters.");
    }
}

/// <summary>A charter version; versions count up from 1.</summary>
public sealed record CharterResponse(Guid Id, Guid ConsortiumId, int Version, string? Text, Uri? Link, DateOnly ApprovedOn, int? ApprovedBySession)
{
    internal static CharterResponse From(Charter c) => new(c.Id, c.ConsortiumId, c.Version, c.Text, c.Link, c.ApprovedOn, c.ApprovedBySession);
}

public static class CharterEndpoints
{
    internal const string VersionIndex = "ix_charters_consortium_id_version";

    public static RouteGroupBuilder MapCharters(this RouteGroupBuilder api)
    {
        var charters = api.MapGroup("/consortia/{consortiumId:guid}/charters").WithTags("Charters");
        charters.MapPost("/", ApproveAsync).RequireOperator()
            .WithSummary("Record a newly approved charter version.");
        charters.MapGet("/", ListAsync).RequireScope(Scopes.MembershipRead)
            .WithSummary("The charter's versions, latest first.");
        return api;
    }

    internal static async Task<Results<Created<CharterResponse>, ValidationProblem, ProblemHttpResult>> ApproveAsync(
        Guid consortiumId, ApproveCharterRequest request, MembershipDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        var errors = request.Check().ToList();
        if (errors.Count > 0) return Problems.Validation([.. errors]);
        if (!await db.Consortia.AnyAsync(c => c.Id == consortiumId, cancellationToken)) return Problems.NotFound("No such consortium.");
        if (request.ApprovedBySession is { } number && !await db.CouncilSessions.AnyAsync(s => s.ConsortiumId == consortiumId && s.Number == number, cancellationToken))
            return Problems.Validation(("approvedBySession", $"The consortium has no council session {number}."));

        // Two approvals at once both pick the next version; the unique index lets one win and the other takes the one after.
        for (var attempt = 1; ; attempt++)
        {
            var version = 1 + (await db.Charters.Where(c => c.ConsortiumId == consortiumId).MaxAsync(c => (int?)c.Version, cancellationToken) ?? 0);
            var charter = Charter.Approve(Guid.CreateVersion7(), consortiumId, version, request.Text?.Trim(), request.Link, request.ApprovedOn, request.ApprovedBySession);
            db.Charters.Add(charter);
            db.AddIntegrationEvent(new CharterApproved
            {
                ConsortiumId = consortiumId, CharterId = charter.Id, Version = version, ApprovedOn = charter.ApprovedOn,
                ApprovedBySession = charter.ApprovedBySession, Link = charter.Link, OccurredAt = time.GetUtcNow(),
            });
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                return TypedResults.Created($"/api/v1/consortia/{consortiumId}/charters", CharterResponse.From(charter));
            }
            catch (DbUpdateException e) when (e.IsUniqueViolation(VersionIndex) && attempt < ConcurrentChange.MaxAttempts)
            {
                db.ChangeTracker.Clear();
            }
        }
    }

    internal static async Task<Results<Ok<Page<CharterResponse>>, ProblemHttpResult>> ListAsync(
        Guid consortiumId, PageRequest paging, Caller caller, MembershipDbContext db, CancellationToken cancellationToken)
    {
        if (!await ConsortiumAccess.CanReadAsync(db, caller, consortiumId, cancellationToken)) return Problems.NotFound();
        var page = await db.Charters.AsNoTracking().Where(c => c.ConsortiumId == consortiumId).ToPageAsync(c => c.Id, paging, cancellationToken);
        return TypedResults.Ok(page.Map(CharterResponse.From));
    }
}
