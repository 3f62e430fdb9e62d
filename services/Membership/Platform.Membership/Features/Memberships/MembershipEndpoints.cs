using System.Collections.Frozen;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Platform.Membership.Features.Council;
using DomainMembership = Platform.Membership.Domain.Membership;

namespace Platform.Membership.Features.Memberships;

public static class MembershipEndpoints
{
    internal const string CurrentMembershipIndex = "ux_memberships_current";

    public static RouteGroupBuilder MapMemberships(this RouteGroupBuilder api)
    {
        var memberships = api.MapGroup("/consortia/{consortiumId:guid}/memberships").WithTags("Memberships");
        memberships.MapPost("/", ApplyAsync).WithName("applyForMembership").RequireOperator()
            .WithSummary("Record an organization's application to join → status applied.");
        memberships.MapGet("/", ListAsync).WithName("listMemberships").RequireScope(Scopes.MembershipRead)
            .Produces<Page<MembershipResponse>>(StatusCodes.Status200OK, "application/json")
            .WithSummary("The consortium's members with their current council role, newest first; filter by status, role, kind or organization. Visible to the operator and the consortium's members.")
            .WithDescription("Answers with an ETag that changes whenever the list does; send it back as If-None-Match to get 304 Not Modified while nothing changed.");
        memberships.MapGet("/{membershipId:guid}", GetAsync).WithName("getMembership").RequireScope(Scopes.MembershipRead)
            .WithSummary("One membership.");
        memberships.MapGet("/{membershipId:guid}/history", HistoryAsync).WithName("getMembershipHistory").RequireScope(Scopes.MembershipRead)
            .WithSummary("Every transition with actor, time and reason. Visible to the operator and the member organization itself.");
        // One route per action; a status that does not allow it → 409 with currentState { status, allowedActions }.
        memberships.MapPost("/{membershipId:guid}/approve", ApproveAsync).WithName("approveMembership").RequireOperator()
            .WithSummary("Approve an application (applied → active).");
        memberships.MapPost("/{membershipId:guid}/reject", RejectAsync).WithName("rejectMembership").RequireOperator()
            .WithSummary("Reject an application (applied → rejected, final).");
        memberships.MapPost("/{membershipId:guid}/suspend", SuspendAsync).WithName("suspendMembership").RequireOperator()
            .WithSummary("Suspend an active member (active → suspended); it loses its council role.");
        memberships.MapPost("/{membershipId:guid}/reinstate", ReinstateAsync).WithName("reinstateMembership").RequireOperator()
            .WithSummary("Reinstate a suspended member (suspended → active), without a council role until designated.");
        memberships.MapPost("/{membershipId:guid}/withdraw", WithdrawAsync).WithName("withdrawMembership").RequireOperator()
            .WithSummary("Withdraw a member from the consortium (active or suspended → withdrawn, final).");
        return api;
    }

    internal static async Task<Results<Created<MembershipResponse>, ValidationProblem, ProblemHttpResult>> ApplyAsync(
        Guid consortiumId, ApplyForMembershipRequest request, Caller caller, MembershipDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        if (!await db.Consortia.AnyAsync(c => c.Id == consortiumId, cancellationToken)) return Problems.NotFound("No such consortium.");
        var organization = await db.Organizations.AsNoTracking().FirstOrDefaultAsync(o => o.Id == request.OrganizationId, cancellationToken);
        if (organization is null) return Problems.Validation(("organizationId", "No such organization; register it first."));

        if (await CurrentMembershipAsync(db, consortiumId, organization.Id, cancellationToken) is { } current)
            return AlreadyMember(organization, current);

        var previousVersion = await db.Memberships.Where(m => m.ConsortiumId == consortiumId && m.OrganizationId == organization.Id)
            .MaxAsync(m => (long?)m.Version, cancellationToken) ?? 0;
        var membership = DomainMembership.Apply(Guid.CreateVersion7(), consortiumId, organization.Id, ActorOf(caller), time.GetUtcNow(), request.Reason?.Trim(), previousVersion);
        db.Memberships.Add(membership);
        db.AddIntegrationEvent(MembershipAnnouncements.Applied(membership, organization));
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
        db.Memberships.AsNoTracking().Where(DomainMembership.IsCurrentExpression)
            .FirstOrDefaultAsync(m => m.ConsortiumId == consortiumId && m.OrganizationId == organizationId, cancellationToken);

    private static ProblemHttpResult AlreadyMember(Organization organization, DomainMembership current) =>
        Problems.Conflict($"'{organization.Name}' already has a membership of this consortium ({current.Id}) in status '{ApiEnum.Name(current.Status)}'.",
            new { membershipId = current.Id, status = current.Status }, ProblemCode.AlreadyExists);

    internal static Task<Results<Ok<MembershipResponse>, ProblemHttpResult>> ApproveAsync(Guid consortiumId, Guid membershipId,
        ApproveMembershipRequest? request, Caller caller, MembershipDbContext db, TimeProvider time, CancellationToken cancellationToken) =>
        ChangeAsync(consortiumId, membershipId, MembershipAction.Approve, request?.Reason, caller, db, time, cancellationToken);

    internal static Task<Results<Ok<MembershipResponse>, ProblemHttpResult>> RejectAsync(Guid consortiumId, Guid membershipId,
        RejectMembershipRequest? request, Caller caller, MembershipDbContext db, TimeProvider time, CancellationToken cancellationToken) =>
        ChangeAsync(consortiumId, membershipId, MembershipAction.Reject, request?.Reason, caller, db, time, cancellationToken);

    internal static Task<Results<Ok<MembershipResponse>, ProblemHttpResult>> SuspendAsync(Guid consortiumId, Guid membershipId,
        SuspendMembershipRequest? request, Caller caller, MembershipDbContext db, TimeProvider time, CancellationToken cancellationToken) =>
        ChangeAsync(consortiumId, membershipId, MembershipAction.Suspend, request?.Reason, caller, db, time, cancellationToken);

    internal static Task<Results<Ok<MembershipResponse>, ProblemHttpResult>> ReinstateAsync(Guid consortiumId, Guid membershipId,
        ReinstateMembershipRequest? request, Caller caller, MembershipDbContext db, TimeProvider time, CancellationToken cancellationToken) =>
        ChangeAsync(consortiumId, membershipId, MembershipAction.Reinstate, request?.Reason, caller, db, time, cancellationToken);

    internal static Task<Results<Ok<MembershipResponse>, ProblemHttpResult>> WithdrawAsync(Guid consortiumId, Guid membershipId,
        WithdrawMembershipRequest? request, Caller caller, MembershipDbContext db, TimeProvider time, CancellationToken cancellationToken) =>
        ChangeAsync(consortiumId, membershipId, MembershipAction.Withdraw, request?.Reason, caller, db, time, cancellationToken);

    private static async Task<Results<Ok<MembershipResponse>, ProblemHttpResult>> ChangeAsync(Guid consortiumId, Guid membershipId,
        MembershipAction action, string? reason, Caller caller, MembershipDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        reason = reason?.Trim();
        return await db.RetryOnConflictAsync<Results<Ok<MembershipResponse>, ProblemHttpResult>>(async () =>
        {
            var membership = await db.Memberships.FirstOrDefaultAsync(m => m.Id == membershipId && m.ConsortiumId == consortiumId, cancellationToken);
            if (membership is null) return Problems.NotFound();
            var organization = await db.Organizations.AsNoTracking().FirstAsync(o => o.Id == membership.OrganizationId, cancellationToken);
            var roleBefore = membership.CouncilRole;
            var now = time.GetUtcNow();
            if (!membership.TryPerform(action, ActorOf(caller), now, reason, out var transition))
            {
                var allowed = membership.AllowedActions.Count > 0 ? string.Join(", ", membership.AllowedActions.Select(ApiEnum.Name)) : "nothing (the status is final)";
                return Problems.Conflict(
                    $"A membership in status '{ApiEnum.Name(membership.Status)}' cannot be {Past(action)}; allowed now: {allowed}.",
                    new { status = membership.Status, allowedActions = membership.AllowedActions });
            }

            db.AddIntegrationEvent(MembershipAnnouncements.Transitioned(membership, transition!, organization));
            if (roleBefore is not null && DomainMembership.CouncilRoleLostBy(transition!) is { } cause)
                await RevokeCouncilRoleAsync(db, membership, organization, cause, now, cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            return TypedResults.Ok(ToResponse(membership, organization));
        });
    }

    /// <summary>A suspended or withdrawn member loses its seat on the current council session too.</summary>
    private static async Task RevokeCouncilRoleAsync(MembershipDbContext db, DomainMembership membership, Organization organization, RoleRevocationCause cause,
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        var session = await db.CouncilSessions.Where(s => s.ConsortiumId == membership.ConsortiumId).OrderByDescending(s => s.Number).FirstOrDefaultAsync(cancellationToken);
        if (session?.RevokeRole(organization.Id, cause, now) is not { } revoked) return;
        db.AddIntegrationEvent(CouncilAnnouncements.Revoked(revoked, new Dictionary<Guid, OrganizationNames> { [organization.Id] = OrganizationNames.Of(organization) }));
    }

    private static string Past(MembershipAction action) => action switch
    {
        MembershipAction.Approve => "approved",
        MembershipAction.Reject => "rejected",
        MembershipAction.Suspend => "suspended",
        MembershipAction.Reinstate => "reinstated",
        _ => "withdrawn",
    };

    /// <summary>The member list's version and its member organizations, in one statement (one snapshot): read once per version.</summary>
    private static async Task<MemberListState?> ReadListStateAsync(MembershipDbContext db, Guid consortiumId, CancellationToken cancellationToken)
    {
        var read = await db.Consortia.AsNoTracking().Where(c => c.Id == consortiumId)
            .Select(c => new
            {
                c.MemberListVersion,
                Members = db.Memberships.Where(m => m.ConsortiumId == c.Id).Where(DomainMembership.IsAdmittedExpression).Select(m => m.OrganizationId).ToList(),
            })
            .FirstOrDefaultAsync(cancellationToken);
        return read is null ? null : new MemberListState(read.MemberListVersion, read.Members.ToFrozenSet());
    }

    internal static async Task<Results<FileContentHttpResult, StatusCodeHttpResult, ProblemHttpResult>> ListAsync(
        Guid consortiumId, ApiEnum<MembershipStatus>? status, ApiEnum<CouncilRole>? role, ApiEnum<OrganizationKind>? kind, Guid? organizationId, PageRequest paging,
        Caller caller, HttpContext http,
        MembershipDbContext db, MemberListCache cache, MemberListVersions versions, IOptions<JsonOptions> json, CancellationToken cancellationToken)
    {
        MembershipStatus? statusFilter = status?.Value;
        CouncilRole? roleFilter = role?.Value;
        OrganizationKind? kindFilter = kind?.Value;

        // Visibility and the list's version come from memory while the LISTEN connection keeps them current; the
        // database is asked once per version (or on every request while it is not listening).
        if (!versions.TryGet(consortiumId, out var state))
        {
            var generation = versions.Generation;
            var read = await ReadListStateAsync(db, consortiumId, cancellationToken);
            if (read is null) return Problems.NotFound();
            versions.Keep(consortiumId, read, generation);
            state = read;
        }
        if (!caller.IsOperator && !(caller.OrganizationId is { } callerOrganization && state.Members.Contains(callerOrganization))) return Problems.NotFound();

        var query = $"{statusFilter}|{roleFilter}|{kindFilter}|{organizationId}|{paging.Limit}|{paging.Cursor}";
        var etag = $"\"{consortiumId:N}-{state.Version}-{Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(query)))[..16]}\"";
        http.Response.Headers.ETag = etag;
        // Clients may keep the page, but must revalidate: If-None-Match with the ETag answers 304 while nothing changed.
        http.Response.Headers.CacheControl = "private, no-cache";
        if (http.Request.Headers.IfNoneMatch.Contains(etag)) return TypedResults.StatusCode(StatusCodes.Status304NotModified);

        var page = await cache.GetOrBuildAsync($"{consortiumId:N}|{state.Version}|{query}", async () =>
        {
            var rows =
                from m in db.Memberships.AsNoTracking()
                join o in db.Organizations.AsNoTracking() on m.OrganizationId equals o.Id
                where m.ConsortiumId == consortiumId
                select new MemberRow
                {
                    MembershipId = m.Id, ConsortiumId = m.ConsortiumId, OrganizationId = o.Id, Name = o.Name, NameZh = o.NameZh, Kind = o.Kind, Region = o.Region,
                    Status = m.Status, CouncilRole = m.CouncilRole, AppliedAt = m.AppliedAt, UpdatedAt = m.UpdatedAt,
                };
            if (statusFilter is not null) rows = rows.Where(r => r.Status == statusFilter);
            if (roleFilter is not null) rows = rows.Where(r => r.CouncilRole == roleFilter);
            if (kindFilter is not null) rows = rows.Where(r => r.Kind == kindFilter);
            if (organizationId is not null) rows = rows.Where(r => r.OrganizationId == organizationId);
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
        return TypedResults.Ok(new MembershipHistoryResponse
        {
            MembershipId = membership.Id, ConsortiumId = membership.ConsortiumId, OrganizationId = membership.OrganizationId, Status = membership.Status,
            Transitions = [.. membership.History.Select(t => new MembershipTransitionResponse { From = t.From, To = t.To, Action = t.Action, Actor = t.Actor, At = t.At, Reason = t.Reason })],
        });
    }

    private static Actor ActorOf(Caller caller) =>
        caller.IsOperator ? Actor.Operator : Actor.Partner(caller.OrganizationId!.Value, caller.ApiClientId!.Value);

    private static MembershipResponse ToResponse(DomainMembership m, Organization o) => new()
    {
        Id = m.Id, ConsortiumId = m.ConsortiumId, OrganizationId = o.Id, OrganizationName = o.Name, OrganizationNameZh = o.NameZh, OrganizationKind = o.Kind, Region = o.Region,
        Status = m.Status, CouncilRole = m.CouncilRole, AllowedActions = m.AllowedActions, AppliedAt = m.AppliedAt, UpdatedAt = m.UpdatedAt,
    };

    // A flat row EF Core can filter and page over (a member-init projection of the join; a constructor call it
    // could not see through); the allowed actions are computed after.
    private sealed class MemberRow
    {
        public Guid MembershipId { get; init; }
        public Guid ConsortiumId { get; init; }
        public Guid OrganizationId { get; init; }
        public string Name { get; init; } = "";
        public string? NameZh { get; init; }
        public OrganizationKind Kind { get; init; }
        public string Region { get; init; } = "";
        public MembershipStatus Status { get; init; }
        public CouncilRole? CouncilRole { get; init; }
        public DateTimeOffset AppliedAt { get; init; }
        public DateTimeOffset UpdatedAt { get; init; }

        public MembershipResponse ToResponse() => new()
        {
            Id = MembershipId, ConsortiumId = ConsortiumId, OrganizationId = OrganizationId, OrganizationName = Name, OrganizationNameZh = NameZh, OrganizationKind = Kind, Region = Region,
            Status = Status, CouncilRole = CouncilRole, AppliedAt = AppliedAt, UpdatedAt = UpdatedAt,
            AllowedActions = [.. Enum.GetValues<MembershipAction>().Where(a => DomainMembership.Target(Status, a) is not null)],
        };
    }
}
