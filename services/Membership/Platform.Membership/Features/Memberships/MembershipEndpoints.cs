using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Http.HttpResults;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Platform.Membership.Contracts;
using Platform.Membership.Domain;
using Platform.Membership.Persistence;
using Platform.ServiceDefaults.Auth;
using Platform.ServiceDefaults.Http;
using Platform.ServiceDefaults.Messaging;
using Platform.ServiceDefaults.Persistence;
using DomainMembership = Platform.Membership.Domain.Membership;

namespace Platform.Membership.Features.Memberships;

/// <summary>An organization applies to join the consortium (recorded by the operator).</summary>
/// <param name="OrganizationId">A registered organization.</param>
/// <param name="Reason">Optional note kept in the history, e.g. "application letter of 2024-03-02".</param>
public sealed record ApplyForMembershipRequest(Guid OrganizationId, [property: MultiLine, MaxLength(InputLimits.Reason)] string? Reason = null)
{
    internal IEnumerable<(string Field, string Message)> Check() =>
        FieldChecks.NotEmptyId(OrganizationId, "organizationId").Concat(FieldChecks.Text(Reason, "reason", InputLimits.Reason, required: false));
}

/// <summary>Why the membership changes; kept in its history.</summary>
public sealed record MembershipActionRequest([property: MultiLine, MaxLength(InputLimits.Reason)] string? Reason = null)
{
    internal IEnumerable<(string Field, string Message)> Check() => FieldChecks.Text(Reason, "reason", 1000, required: false);
}

/// <summary>A membership with the member organization and its current council role.</summary>
/// <param name="AllowedActions">What the operator can do next (e.g. <c>suspend</c>, <c>withdraw</c>).</param>
public sealed record MembershipResponse(
    Guid Id, Guid ConsortiumId, Guid OrganizationId, string OrganizationName, OrganizationKind OrganizationKind, string Region,
    MembershipStatus Status, CouncilRole? CouncilRole, IReadOnlyList<MembershipAction> AllowedActions, DateTimeOffset AppliedAt, DateTimeOffset UpdatedAt);

/// <summary>One step of a membership's audit trail.</summary>
/// <param name="Action">Null for the application itself.</param>
/// <param name="Actor"><c>operator</c>, or <c>partner</c> with its organization and API client.</param>
public sealed record MembershipTransitionResponse(
    MembershipStatus From, MembershipStatus To, MembershipAction? Action, Actor Actor, DateTimeOffset At, string? Reason);

/// <summary>The audit trail of one membership, oldest first.</summary>
public sealed record MembershipHistoryResponse(Guid MembershipId, Guid ConsortiumId, Guid OrganizationId, MembershipStatus Status, IReadOnlyList<MembershipTransitionResponse> Transitions);

public static class MembershipEndpoints
{
    internal const string CurrentMembershipIndex = "ux_memberships_current";

    public static RouteGroupBuilder MapMemberships(this RouteGroupBuilder api)
    {
        var memberships = api.MapGroup("/consortia/{consortiumId:guid}/memberships").WithTags("Memberships");
        memberships.MapPost("/", ApplyAsync).RequireOperator()
            .WithSummary("Record an organization's application to join → status applied.");
        memberships.MapPost("/{membershipId:guid}/{action}", PerformAsync).RequireOperator()
            .WithSummary("approve, reject, suspend, reinstate or withdraw; an action the current status does not allow → 409 with the current state.");
        memberships.MapGet("/", ListAsync).RequireScope(Scopes.MembershipRead)
            .Produces<Page<MembershipResponse>>(StatusCodes.Status200OK, "application/json")
            .WithSummary("The consortium's members with their current council role, newest first; filter by status, role, kind. Visible to the operator and the consortium's members.")
            .WithDescription("Answers with an ETag that changes whenever the list does; send it back as If-None-Match to get 304 Not Modified while nothing changed.");
        memberships.MapGet("/{membershipId:guid}", GetAsync).RequireScope(Scopes.MembershipRead)
            .WithSummary("One membership.");
        memberships.MapGet("/{membershipId:guid}/history", HistoryAsync).RequireScope(Scopes.MembershipRead)
            .WithSummary("Every transition with actor, time and reason. Visible to the operator and the member organization itself.");
        return api;
    }

    internal static async Task<Results<Created<MembershipResponse>, ValidationProblem, ProblemHttpResult>> ApplyAsync(
        Guid consortiumId, ApplyForMembershipRequest request, Caller caller, MembershipDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        var errors = request.Check().ToList();
        if (errors.Count > 0) return Problems.Validation([.. errors]);
        if (!await db.Consortia.AnyAsync(c => c.Id == consortiumId, cancellationToken)) return Problems.NotFound("No such consortium.");
        var organization = await db.Organizations.AsNoTracking().FirstOrDefaultAsync(o => o.Id == request.OrganizationId, cancellationToken);
        if (organization is null) return Problems.Validation(("organizationId", "No such organization; register it first."));

        if (await CurrentMembershipAsync(db, consortiumId, organization.Id, cancellationToken) is { } current)
            return AlreadyMember(organization, current);

        var previousVersion = await db.Memberships.Where(m => m.ConsortiumId == consortiumId && m.OrganizationId == organization.Id)
            .MaxAsync(m => (long?)m.Version, cancellationToken) ?? 0;
        var membership = DomainMembership.Apply(Guid.CreateVersion7(), consortiumId, organization.Id, ActorOf(caller), time.GetUtcNow(), request.Reason?.Trim(), previousVersion);
        db.Memberships.Add(membership);
        db.AddIntegrationEvent(new MembershipApplied
        {
            MembershipId = membership.Id,
            ConsortiumId = consortiumId,
            OrganizationId = organization.Id,
            OrganizationName = organization.Name,
            OrganizationKind = ApiEnum.Name(organization.Kind),
            OccurredAt = membership.AppliedAt,
            Version = membership.Version,
        });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException e) when (e.IsUniqueViolation(CurrentMembershipIndex))
        {
            db.ChangeTracker.Clear();
            return AlreadyMember(organization, (await CurrentMembershipAsync(db, consortiumId, organization.Id, cancellationToken))!);
        }
        return TypedResults.Created($"/api/v1/consortia/{consortiumId}/memberships/{membership.Id}", ToResponse(membership, organization));
    }

    private static Task<DomainMembership?> CurrentMembershipAsync(MembershipDbContext db, Guid consortiumId, Guid organizationId, CancellationToken cancellationToken) =>
        db.Memberships.AsNoTracking().FirstOrDefaultAsync(m => m.ConsortiumId == consortiumId && m.OrganizationId == organizationId
            && (m.Status == MembershipStatus.Applied || m.Status == MembershipStatus.Active || m.Status == MembershipStatus.Suspended), cancellationToken);

    private static ProblemHttpResult AlreadyMember(Organization organization, DomainMembership current) =>
        Problems.Conflict($"'{organization.Name}' already has a membership of this consortium ({current.Id}) in status '{ApiEnum.Name(current.Status)}'.",
            new { membershipId = current.Id, status = current.Status });

    internal static async Task<Results<Ok<MembershipResponse>, ValidationProblem, ProblemHttpResult>> PerformAsync(
        Guid consortiumId, Guid membershipId, string action, MembershipActionRequest? request, Caller caller,
        MembershipDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        if (!ApiEnum.TryParse<MembershipAction>(action, out var parsed))
            return Problems.NotFound($"Unknown action '{action}'; use one of approve, reject, suspend, reinstate, withdraw.");
        var errors = request?.Check().ToList() ?? [];
        if (errors.Count > 0) return Problems.Validation([.. errors]);

        return await db.RetryOnConflictAsync<Results<Ok<MembershipResponse>, ValidationProblem, ProblemHttpResult>>(async () =>
        {
            var membership = await db.Memberships.FirstOrDefaultAsync(m => m.Id == membershipId && m.ConsortiumId == consortiumId, cancellationToken);
            if (membership is null) return Problems.NotFound();
            var organization = await db.Organizations.AsNoTracking().FirstAsync(o => o.Id == membership.OrganizationId, cancellationToken);
            var roleBefore = membership.CouncilRole;
            var now = time.GetUtcNow();
            if (!membership.TryPerform(parsed, ActorOf(caller), now, request?.Reason?.Trim(), out _))
            {
                var allowed = membership.AllowedActions.Count > 0 ? string.Join(", ", membership.AllowedActions.Select(ApiEnum.Name)) : "nothing (the status is final)";
                return Problems.Conflict(
                    $"A membership in status '{ApiEnum.Name(membership.Status)}' cannot be {Past(parsed)}; allowed now: {allowed}.",
                    new { status = membership.Status, allowedActions = membership.AllowedActions });
            }

            db.AddIntegrationEvent(EventFor(parsed, membership, organization, request?.Reason?.Trim(), now));
            if (roleBefore is not null && membership.CouncilRole is null)
                await RevokeCouncilRoleAsync(db, membership, organization, parsed == MembershipAction.Suspend ? "suspended" : "withdrawn", now, cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            return TypedResults.Ok(ToResponse(membership, organization));
        });
    }

    /// <summary>A suspended or withdrawn member loses its seat on the current council session too.</summary>
    private static async Task RevokeCouncilRoleAsync(MembershipDbContext db, DomainMembership membership, Organization organization, string cause,
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        var session = await db.CouncilSessions.Where(s => s.ConsortiumId == membership.ConsortiumId).OrderByDescending(s => s.Number).FirstOrDefaultAsync(cancellationToken);
        if (session?.RemoveDesignation(organization.Id) is not { } role) return;
        db.AddIntegrationEvent(new CouncilRoleRevoked
        {
            ConsortiumId = membership.ConsortiumId,
            SessionNumber = session.Number,
            OrganizationId = organization.Id,
            OrganizationName = organization.Name,
            Role = ApiEnum.Name(role),
            Cause = cause,
            OccurredAt = now,
        });
    }

    private static string Past(MembershipAction action) => action switch
    {
        MembershipAction.Approve => "approved",
        MembershipAction.Reject => "rejected",
        MembershipAction.Suspend => "suspended",
        MembershipAction.Reinstate => "reinstated",
        _ => "withdrawn",
    };

    private static object EventFor(MembershipAction action, DomainMembership m, Organization o, string? reason, DateTimeOffset at) => action switch
    {
        MembershipAction.Approve => new MembershipActivated
        {
            MembershipId = m.Id, ConsortiumId = m.ConsortiumId, OrganizationId = o.Id, OrganizationName = o.Name,
            OrganizationKind = ApiEnum.Name(o.Kind), Reason = reason, OccurredAt = at, Version = m.Version,
        },
        MembershipAction.Reject => new MembershipRejected
        {
            MembershipId = m.Id, ConsortiumId = m.ConsortiumId, OrganizationId = o.Id, OrganizationName = o.Name, Reason = reason, OccurredAt = at, Version = m.Version,
        },
        MembershipAction.Suspend => new MembershipSuspended
        {
            MembershipId = m.Id, ConsortiumId = m.ConsortiumId, OrganizationId = o.Id, OrganizationName = o.Name, Reason = reason, OccurredAt = at, Version = m.Version,
        },
        MembershipAction.Reinstate => new MembershipReinstated
        {
            MembershipId = m.Id, ConsortiumId = m.ConsortiumId, OrganizationId = o.Id, OrganizationName = o.Name,
            OrganizationKind = ApiEnum.Name(o.Kind), Reason = reason, OccurredAt = at, Version = m.Version,
        },
        _ => new MembershipWithdrawn
        {
            MembershipId = m.Id, ConsortiumId = m.ConsortiumId, OrganizationId = o.Id, OrganizationName = o.Name, Reason = reason, OccurredAt = at, Version = m.Version,
        },
    };

    /// <summary>The member list's version and whether the caller's organization is a member, compiled once: this runs on every list request.</summary>
    private static readonly Func<MembershipDbContext, Guid, Guid, CancellationToken, Task<MemberListState?>> ListStateQuery =
        EF.CompileAsyncQuery((MembershipDbContext db, Guid consortiumId, Guid organizationId, CancellationToken cancellationToken) =>
            db.Consortia.AsNoTracking().Where(c => c.Id == consortiumId)
                .Select(c => new MemberListState(c.MemberListVersion, db.Memberships.Any(m => m.ConsortiumId == c.Id && m.OrganizationId == organizationId
                    && (m.Status == MembershipStatus.Active || m.Status == MembershipStatus.Suspended))))
                .FirstOrDefault());

    private sealed record MemberListState(long MemberListVersion, bool IsMember);

    internal static async Task<Results<FileContentHttpResult, StatusCodeHttpResult, ProblemHttpResult>> ListAsync(
        Guid consortiumId, ApiEnum<MembershipStatus>? status, ApiEnum<CouncilRole>? role, ApiEnum<OrganizationKind>? kind, PageRequest paging, Caller caller, HttpContext http,
        MembershipDbContext db, MemberListCache cache, IOptions<JsonOptions> json, CancellationToken cancellationToken)
    {
        MembershipStatus? statusFilter = status?.Value;
        CouncilRole? roleFilter = role?.Value;
        OrganizationKind? kindFilter = kind?.Value;

        // One round trip decides visibility and the list's version; the page itself usually comes from the cache.
        var state = await ListStateQuery(db, consortiumId, caller.OrganizationId ?? Guid.Empty, cancellationToken);
        if (state is null || (!caller.IsOperator && !state.IsMember)) return Problems.NotFound();

        var query = $"{statusFilter}|{roleFilter}|{kindFilter}|{paging.Limit}|{paging.Cursor}";
        var etag = $"\"{consortiumId:N}-{state.MemberListVersion}-{Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(query)))[..16]}\"";
        http.Response.Headers.ETag = etag;
        // Clients may keep the page, but must revalidate: If-None-Match with the ETag answers 304 while nothing changed.
        http.Response.Headers.CacheControl = "private, no-cache";
        if (http.Request.Headers.IfNoneMatch.Contains(etag)) return TypedResults.StatusCode(StatusCodes.Status304NotModified);

        var page = await cache.GetOrBuildAsync($"{consortiumId:N}|{state.MemberListVersion}|{query}", async () =>
        {
            var rows =
                from m in db.Memberships.AsNoTracking()
                join o in db.Organizations.AsNoTracking() on m.OrganizationId equals o.Id
                where m.ConsortiumId == consortiumId
                select new MemberRow
                {
                    MembershipId = m.Id, ConsortiumId = m.ConsortiumId, OrganizationId = o.Id, Name = o.Name, Kind = o.Kind, Region = o.Region,
                    Status = m.Status, CouncilRole = m.CouncilRole, AppliedAt = m.AppliedAt, UpdatedAt = m.UpdatedAt,
                };
            if (statusFilter is not null) rows = rows.Where(r => r.Status == statusFilter);
            if (roleFilter is not null) rows = rows.Where(r => r.CouncilRole == roleFilter);
            if (kindFilter is not null) rows = rows.Where(r => r.Kind == kindFilter);
            var built = await rows.ToPageAsync(r => r.MembershipId, paging, cancellationToken);
            return JsonSerializer.SerializeToUtf8Bytes(built.Map(r => r.ToResponse()), json.Value.SerializerOptions);
        });
        return TypedResults.Bytes(page, "application/json; charset=utf-8");
    }

    internal static async Task<Results<Ok<MembershipResponse>, ProblemHttpResult>> GetAsync(
        Guid consortiumId, Guid membershipId, Caller caller, MembershipDbContext db, CancellationToken cancellationToken)
    {
        if (!await ConsortiumAccess.CanReadAsync(db, caller, consortiumId, cancellationToken)) return Problems.NotFound();
        var membership = await db.Memberships.AsNoTracking().FirstOrDefaultAsync(m => m.Id == membershipId && m.ConsortiumId == consortiumId, cancellationToken);
        if (membership is null) return Problems.NotFound();
        var organization = await db.Organizations.AsNoTracking().FirstAsync(o => o.Id == membership.OrganizationId, cancellationToken);
        return TypedResults.Ok(ToResponse(membership, organization));
    }

    internal static async Task<Results<Ok<MembershipHistoryResponse>, ProblemHttpResult>> HistoryAsync(
        Guid consortiumId, Guid membershipId, Caller caller, MembershipDbContext db, CancellationToken cancellationToken)
    {
        var membership = await db.Memberships.AsNoTracking().FirstOrDefaultAsync(m => m.Id == membershipId && m.ConsortiumId == consortiumId, cancellationToken);
        // The audit trail (reasons for suspension…) is the member's own business.
        if (!caller.CanSee(membership, m => m.OrganizationId)) return Problems.NotFound();
        return TypedResults.Ok(new MembershipHistoryResponse(membership.Id, membership.ConsortiumId, membership.OrganizationId, membership.Status,
            [.. membership.History.Select(t => new MembershipTransitionResponse(t.From, t.To, t.Action, t.Actor, t.At, t.Reason))]));
    }

    private static Actor ActorOf(Caller caller) =>
        caller.IsOperator ? Actor.Operator : Actor.Partner(caller.OrganizationId!.Value, caller.ApiClientId!.Value);

    private static MembershipResponse ToResponse(DomainMembership m, Organization o) =>
        new(m.Id, m.ConsortiumId, o.Id, o.Name, o.Kind, o.Region, m.Status, m.CouncilRole, m.AllowedActions, m.AppliedAt, m.UpdatedAt);

    // A flat row EF Core can filter and page over (a member-init projection of the join; a constructor call it
    // could not see through); the allowed actions are computed after.
    private sealed class MemberRow
    {
        public Guid MembershipId { get; init; }
        public Guid ConsortiumId { get; init; }
        public Guid OrganizationId { get; init; }
        public string Name { get; init; } = "";
        public OrganizationKind Kind { get; init; }
        public string Region { get; init; } = "";
        public MembershipStatus Status { get; init; }
        public CouncilRole? CouncilRole { get; init; }
        public DateTimeOffset AppliedAt { get; init; }
        public DateTimeOffset UpdatedAt { get; init; }

        public MembershipResponse ToResponse() =>
            new(MembershipId, ConsortiumId, OrganizationId, Name, Kind, Region, Status, CouncilRole,
                [.. Enum.GetValues<MembershipAction>().Where(a => DomainMembership.Target(Status, a) is not null)], AppliedAt, UpdatedAt);
    }
}
