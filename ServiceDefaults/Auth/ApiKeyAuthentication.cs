using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Platform.ServiceDefaults.Http;

namespace Platform.ServiceDefaults.Auth;

/// <summary>Names of the API-key scheme.</summary>
public static class ApiKeyDefaults
{
    /// <summary>The authentication scheme, also the OpenAPI security scheme and the <c>WWW-Authenticate</c> challenge.</summary>
    public const string Scheme = "ApiKey";

    /// <summary>The request header that carries the key.</summary>
    public const string HeaderName = "X-Api-Key";
}

/// <summary>Options of the API-key scheme, bound from <c>Platform:OperatorKey</c>.</summary>
internal sealed class ApiKeyAuthenticationOptions : AuthenticationSchemeOptions
{
    /// <summary>The operator key; when empty, no key acts as operator.</summary>
    public string? OperatorKey { get; set; }
}

/// <summary>
/// Authenticates the <c>X-Api-Key</c> header: the operator key from configuration, or an active partner key
/// (by SHA-256 hash, see <see cref="PartnerKeys"/>). The key itself is never logged nor kept: failure
/// messages, which the base class logs, say only what was wrong.
/// </summary>
internal sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<ApiKeyAuthenticationOptions> options, ILoggerFactory loggerFactory, UrlEncoder encoder, PartnerKeys partnerKeys)
    : AuthenticationHandler<ApiKeyAuthenticationOptions>(options, loggerFactory, encoder)
{
    private const string Missing = "This API needs an API key in the X-Api-Key header.";
    // One answer for unknown, revoked and expired keys: a caller learns nothing about keys it does not hold.
    private const string NotValid = "The API key is invalid or expired.";
    private const string Unavailable = "API keys cannot be checked right now; try again shortly.";

    /// <summary>Seconds a client should wait when keys cannot be checked (Retry-After).</summary>
    internal const int RetryAfterSeconds = 5;

    // Longer than any key we issue; refusing early bounds the work an attacker can cause.
    private const int MaxKeyLength = 256;

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue(ApiKeyDefaults.HeaderName, out var values) || values.Count == 0)
            return AuthenticateResult.NoResult();
        if (values.Count > 1) return AuthenticateResult.Fail("Send one X-Api-Key header, not several.");
        var key = values[0];
        if (string.IsNullOrEmpty(key) || key.Length > MaxKeyLength) return AuthenticateResult.Fail(NotValid);

        var hash = PartnerKeys.Hash(key);
        Caller? caller = null;
        if (new KnownKey(Options.OperatorKey).MatchesHash(hash))
        {
            caller = Caller.Operator;
        }
        else
        {
            PartnerKeys.Entry? partner;
            try
            {
                partner = await partnerKeys.FindAsync(hash, Context.RequestAborted);
            }
            catch (PartnerKeysUnavailableException exception)
            {
                return AuthenticateResult.Fail(new PartnerKeysUnavailableFailure(exception));
            }
            if (partner is not null)
                caller = new Caller(CallerKind.Partner, partner.ApiClientId, partner.OrganizationId, partner.Scopes);
        }

        return caller is null
            ? AuthenticateResult.Fail(NotValid)
            : AuthenticateResult.Success(new AuthenticationTicket(caller.ToPrincipal(), ApiKeyDefaults.Scheme));
    }

    /// <summary>401 problem document with <c>WWW-Authenticate: ApiKey</c>.</summary>
    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        if (result.Failure is PartnerKeysUnavailableFailure)
        {
            // Not the caller's fault: 503, so clients retry instead of discarding a key that may be fine.
            Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            await ProblemResponse.WriteAsync(Context, StatusCodes.Status503ServiceUnavailable, Unavailable);
            return;
        }
        Response.Headers.WWWAuthenticate = $"{ApiKeyDefaults.Scheme} header=\"{ApiKeyDefaults.HeaderName}\"";
        await ProblemResponse.WriteAsync(Context, StatusCodes.Status401Unauthorized, result.Failure?.Message ?? Missing);
    }
}

/// <summary>The authentication failure when the partner keys cannot be read; its message is what gets logged.</summary>
internal sealed class PartnerKeysUnavailableFailure(Exception inner)
    : Exception("Partner API keys cannot be read (database unreachable, none loaded yet).", inner);

/// <summary>The key lacks a scope the endpoint requires (see <see cref="ScopeEndpointExtensions.RequireScope{TBuilder}"/>).</summary>
internal sealed class ScopeRequirement(string scope) : IAuthorizationRequirement
{
    public string Scope { get; } = scope;
}

internal sealed class ScopeAuthorizationHandler : AuthorizationHandler<ScopeRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, ScopeRequirement requirement)
    {
        if (context.User.GetCaller()?.HasScope(requirement.Scope) == true) context.Succeed(requirement);
        return Task.CompletedTask;
    }
}

internal sealed class OperatorRequirement : IAuthorizationRequirement
{
    public static OperatorRequirement Instance { get; } = new();
}

internal sealed class OperatorAuthorizationHandler : AuthorizationHandler<OperatorRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, OperatorRequirement requirement)
    {
        if (context.User.GetCaller()?.IsOperator == true) context.Succeed(requirement);
        return Task.CompletedTask;
    }
}

/// <summary>Answers a forbidden request with a 403 problem document naming the missing scope.</summary>
internal sealed class ProblemAuthorizationResultHandler : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (!authorizeResult.Forbidden) return _default.HandleAsync(next, context, policy, authorizeResult);
        var missing = authorizeResult.AuthorizationFailure?.FailedRequirements.OfType<ScopeRequirement>().Select(r => r.Scope).ToList() ?? [];
        var operatorOnly = authorizeResult.AuthorizationFailure?.FailedRequirements.OfType<OperatorRequirement>().Any() == true;
        var detail = missing.Count > 0
            ? $"This API key lacks the scope {string.Join(", ", missing.Select(s => $"'{s}'"))}."
            : operatorOnly ? "Only the operator key may use this endpoint."
            : "This API key may not use this endpoint.";
        return ProblemResponse.WriteAsync(context, StatusCodes.Status403Forbidden, detail);
    }
}
