using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Http;

namespace Platform.ServiceDefaults.Auth;

/// <summary>The scopes a partner API key can hold (API.md "Auth"). The operator key holds them all.</summary>
public static class Scopes
{
    public const string MembershipRead = "membership:read";
    /// <summary>A partner's own organization record and representatives (never memberships, council or keys: operator only).</summary>
    public const string MembershipWrite = "membership:write";
    public const string PipelineRead = "pipeline:read";
    public const string PipelineWrite = "pipeline:write";
    public const string EventsRead = "events:read";
    public const string EventsWrite = "events:write";
    /// <summary>Register and manage the webhook endpoints of the key's own organization.</summary>
    public const string WebhooksManage = "webhooks:manage";

    public static IReadOnlySet<string> All { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        MembershipRead, MembershipWrite, PipelineRead, PipelineWrite, EventsRead, EventsWrite, WebhooksManage,
    };
}

/// <summary>Who presented the API key.</summary>
public enum CallerKind
{
    /// <summary>The consortium secretariat or the servers' operator: every scope, every organization.</summary>
    Operator,

    /// <summary>A partner system with a key issued for one organization.</summary>
    Partner,
}

/// <summary>
/// The authenticated caller of a request. Take it as a handler parameter (<c>Caller caller</c>) or read it
/// with <see cref="CallerExtensions.GetCaller(ClaimsPrincipal)"/>.
/// </summary>
/// <param name="Kind">Operator or partner.</param>
/// <param name="ApiClientId">The partner's API client; null for the operator.</param>
/// <param name="OrganizationId">The organization the partner key was issued for; null for the operator.</param>
/// <param name="Scopes">The key's scopes; the operator's are <see cref="Auth.Scopes.All"/>.</param>
public sealed record Caller(CallerKind Kind, Guid? ApiClientId, Guid? OrganizationId, IReadOnlySet<string> Scopes)
{
    /// <summary>The operator (configuration <c>Platform:OperatorKey</c>).</summary>
    public static Caller Operator { get; } = new(CallerKind.Operator, null, null, Auth.Scopes.All);

    public bool IsOperator => Kind == CallerKind.Operator;

    /// <summary>Stable identity for per-caller state (rate limits, idempotency keys): the API client id, or <c>operator</c>.</summary>
    public string Id => IsOperator ? "operator" : ApiClientId!.Value.ToString("D", CultureInfo.InvariantCulture);

    /// <summary>The operator has every scope.</summary>
    public bool HasScope(string scope) => IsOperator || Scopes.Contains(scope);

    /// <summary>Whether the caller may act for (read the private data of, write on behalf of) the organization.</summary>
    public bool CanActFor(Guid organizationId) => IsOperator || OrganizationId == organizationId;

    /// <summary>Whether the caller may act for at least one of the organizations (e.g. a program's colleges and enterprises).</summary>
    public bool CanActForAny(IEnumerable<Guid> organizationIds)
    {
        ArgumentNullException.ThrowIfNull(organizationIds);
        return IsOperator || (OrganizationId is { } own && organizationIds.Contains(own));
    }

    /// <summary>
    /// For reading one private resource: true when it exists and the caller may act for its owner. Answer
    /// <c>false</c> with <see cref="Http.Problems.NotFound"/>, the same as for a resource that does not exist,
    /// so a caller never learns that another organization's resource exists (API.md).
    /// </summary>
    /// <example>
    /// <code>
    /// var cohort = await db.Cohorts.FindAsync([id], cancellationToken);
    /// if (!caller.CanSee(cohort, c => c.CollegeId)) return Problems.NotFound();
    /// return TypedResults.Ok(CohortResponse.From(cohort));   // cohort is not null here
    /// </code>
    /// </example>
    public bool CanSee<T>([NotNullWhen(true)] T? resource, Func<T, Guid> owner) where T : class
    {
        ArgumentNullException.ThrowIfNull(owner);
        return resource is not null && CanActFor(owner(resource));
    }

    /// <summary>As <see cref="CanSee{T}(T, Func{T, Guid})"/>, for a resource shared by several organizations.</summary>
    public bool CanSee<T>([NotNullWhen(true)] T? resource, Func<T, IEnumerable<Guid>> owners) where T : class
    {
        ArgumentNullException.ThrowIfNull(owners);
        return resource is not null && CanActForAny(owners(resource));
    }

    /// <summary>
    /// Minimal-API binding: the authenticated caller. Endpoints require a key unless marked
    /// <c>AllowAnonymous()</c>; on those, take <c>Caller?</c> (null without a key).
    /// </summary>
    public static ValueTask<Caller?> BindAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return ValueTask.FromResult(context.User.GetCaller());
    }
}

/// <summary>Reads the <see cref="Caller"/> from the principal the API-key handler produced.</summary>
public static class CallerExtensions
{
    internal const string KindClaim = "platform:caller_kind";
    internal const string ApiClientClaim = "platform:api_client_id";
    internal const string OrganizationClaim = "platform:organization_id";
    internal const string ScopeClaim = "scope";

    /// <summary>The caller, or null when the request carried no valid API key.</summary>
    public static Caller? GetCaller(this ClaimsPrincipal principal)
    {
        ArgumentNullException.ThrowIfNull(principal);
        var identity = principal.Identities.FirstOrDefault(i => i.AuthenticationType == ApiKeyDefaults.Scheme && i.IsAuthenticated);
        var kind = identity?.FindFirst(KindClaim)?.Value;
        if (identity is null || kind is null) return null;
        if (kind == nameof(CallerKind.Operator)) return Caller.Operator;
        return new Caller(
            CallerKind.Partner,
            Guid.Parse(identity.FindFirst(ApiClientClaim)!.Value, CultureInfo.InvariantCulture),
            Guid.Parse(identity.FindFirst(OrganizationClaim)!.Value, CultureInfo.InvariantCulture),
            identity.FindAll(ScopeClaim).Select(c => c.Value).ToHashSet(StringComparer.Ordinal));
    }

    internal static ClaimsPrincipal ToPrincipal(this Caller caller)
    {
        var claims = new List<Claim> { new(KindClaim, caller.Kind.ToString()) };
        if (!caller.IsOperator)
        {
            claims.Add(new Claim(ApiClientClaim, caller.ApiClientId!.Value.ToString("D", CultureInfo.InvariantCulture)));
            claims.Add(new Claim(OrganizationClaim, caller.OrganizationId!.Value.ToString("D", CultureInfo.InvariantCulture)));
        }
        claims.AddRange(caller.Scopes.Select(scope => new Claim(ScopeClaim, scope)));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, ApiKeyDefaults.Scheme));
    }
}
