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

namespace Platform.Membership.Features.ApiClients;

/// <summary>Issue a partner API key for the organization.</summary>
/// <param name="Name">What the key is for, e.g. "Shandong Labor college placement system".</param>
/// <param name="Scopes">Any of membership:read, membership:write, pipeline:read, pipeline:write, events:read, events:write.</param>
/// <param name="ExpiresAt">Optional: the key is refused from this time on (in the future, at most two years ahead).</param>
public sealed record IssueApiClientRequest(string Name, [property: MaxLength(20)] IReadOnlyList<string> Scopes, DateTimeOffset? ExpiresAt = null)
{
    internal IEnumerable<(string Field, string Message)> Check(DateTimeOffset now)
    {
        foreach (var problem in FieldChecks.Text(Name, "name", 200)) yield return problem;
        if (ApiClient.CheckExpiry(ExpiresAt, now) is { } expiry) yield return ("expiresAt", expiry);
        if (Scopes.Count == 0) yield return ("scopes", "Give at least one scope.");
        for (var i = 0; i < Scopes.Count; i++)
            if (!ServiceDefaults.Auth.Scopes.All.Contains(Scopes[i]))
                yield return ($"scopes[{i}]", $"Unknown scope '{Scopes[i]}'; use {string.Join(", ", ServiceDefaults.Auth.Scopes.All.Order(StringComparer.Ordinal))}.");
    }
}

/// <summary>An API client. <see cref="Key"/> is present only in the answer to the issue request: store it now, it is never shown again.</summary>
/// <param name="KeyPrefix">The key's first characters, to tell keys apart.</param>
/// <param name="ExpiresAt">The key is refused from this time on; null: no expiry.</param>
public sealed record ApiClientResponse(
    Guid Id, Guid OrganizationId, string Name, IReadOnlyList<string> Scopes, string KeyPrefix, DateTimeOffset IssuedAt, DateTimeOffset? RevokedAt,
    DateTimeOffset? ExpiresAt, string? Key = null)
{
    internal static ApiClientResponse From(ApiClient c, string? key = null) =>
        new(c.Id, c.OrganizationId, c.Name, c.Scopes, c.KeyPrefix, c.IssuedAt, c.RevokedAt, c.ExpiresAt, key);
}

public static class ApiClientEndpoints
{
    public static RouteGroupBuilder MapApiClients(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("").WithTags("API clients");
        group.MapPost("/organizations/{organizationId:guid}/api-clients", IssueAsync).RequireOperator()
            .WithSummary("Issue a partner API key for the organization; the key is in this answer only. Membership honours it at once, every other service within seconds.");
        group.MapGet("/organizations/{organizationId:guid}/api-clients", ListAsync).RequireScope(Scopes.MembershipRead)
            .WithSummary("The organization's API clients, without keys (the operator, or the organization's own key).");
        group.MapDelete("/api-clients/{id:guid}", RevokeAsync).RequireOperator()
            .WithSummary("Revoke a key; membership refuses it at once, every other service within seconds. Revoking twice is harmless.");
        return api;
    }

    /// <summary>
    /// <c>GET /internal/partner-keys</c>: every key's hash, scopes, expiry and revocation, for the other services to
    /// reconcile their copy with (ServiceDefaults' PartnerKeyReconciler). Operator key only; not part of the public API.
    /// </summary>
    public static IEndpointRouteBuilder MapPartnerKeyList(this IEndpointRouteBuilder app)
    {
        app.MapGet("/internal/partner-keys", PartnerKeyListAsync).RequireOperator().ExcludeFromDescription();
        return app;
    }

    internal static async Task<Ok<PartnerKeyList>> PartnerKeyListAsync(MembershipDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        var asOf = time.GetUtcNow();
        var keys = await db.ApiClients.AsNoTracking().OrderBy(c => c.Id)
            .Select(c => new PartnerKeyListEntry(c.Id, c.OrganizationId, c.Name, c.KeyHash, c.Scopes, c.IssuedAt, c.ExpiresAt, c.RevokedAt))
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(new PartnerKeyList(asOf, keys));
    }

    internal static async Task<Results<Created<ApiClientResponse>, ValidationProblem, ProblemHttpResult>> IssueAsync(
        Guid organizationId, IssueApiClientRequest request, MembershipDbContext db, IPartnerKeyCache keys, TimeProvider time, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var errors = request.Check(now).ToList();
        if (errors.Count > 0) return Problems.Validation([.. errors]);
        if (!await db.Organizations.AnyAsync(o => o.Id == organizationId, cancellationToken)) return Problems.NotFound("No such organization.");

        var (client, key) = ApiClient.Issue(Guid.CreateVersion7(), organizationId, request.Name, request.Scopes, now, request.ExpiresAt);
        db.ApiClients.Add(client);
        // Membership's own copy of the key, in this transaction: it authenticates without the broker round trip.
        db.PartnerApiKeys.Add(new PartnerApiKey
        {
            ApiClientId = client.Id, OrganizationId = organizationId, Name = client.Name, KeyHash = client.KeyHash, Scopes = [.. client.Scopes],
            IssuedAt = client.IssuedAt, ExpiresAt = client.ExpiresAt,
        });
        db.AddIntegrationEvent(new ApiClientIssued
        {
            ApiClientId = client.Id, OrganizationId = organizationId, Name = client.Name, KeyHash = client.KeyHash, Scopes = client.Scopes, IssuedAt = client.IssuedAt,
            ExpiresAt = client.ExpiresAt,
        });
        await db.SaveChangesAsync(cancellationToken);
        keys.Invalidate();
        return TypedResults.Created($"/api/v1/organizations/{organizationId}/api-clients", ApiClientResponse.From(client, key));
    }

    internal static async Task<Results<Ok<Page<ApiClientResponse>>, ProblemHttpResult>> ListAsync(
        Guid organizationId, PageRequest paging, Caller caller, MembershipDbContext db, CancellationToken cancellationToken)
    {
        if (!caller.CanActFor(organizationId)) return Problems.NotFound();
        var page = await db.ApiClients.AsNoTracking().Where(c => c.OrganizationId == organizationId).ToPageAsync(c => c.Id, paging, cancellationToken);
        return TypedResults.Ok(page.Map(c => ApiClientResponse.From(c)));
    }

    internal static async Task<Results<NoContent, ProblemHttpResult>> RevokeAsync(
        Guid id, MembershipDbContext db, IPartnerKeyCache keys, TimeProvider time, CancellationToken cancellationToken) =>
        await db.RetryOnConflictAsync<Results<NoContent, ProblemHttpResult>>(async () =>
        {
            var client = await db.ApiClients.FirstOrDefaultAsync(c => c.Id == id, cancellationToken);
            if (client is null) return Problems.NotFound();
            if (client.Revoke(time.GetUtcNow()))
            {
                // Membership's own copy, in this transaction (the 0004 migration filled it for keys issued before).
                var own = await db.PartnerApiKeys.FirstOrDefaultAsync(k => k.ApiClientId == client.Id, cancellationToken);
                if (own is null)
                {
                    db.PartnerApiKeys.Add(new PartnerApiKey
                    {
                        ApiClientId = client.Id, OrganizationId = client.OrganizationId, Name = client.Name, KeyHash = client.KeyHash,
                        Scopes = [.. client.Scopes], IssuedAt = client.IssuedAt, ExpiresAt = client.ExpiresAt, RevokedAt = client.RevokedAt,
                    });
                }
                else
                {
                    own.RevokedAt ??= client.RevokedAt;
                }
                db.AddIntegrationEvent(new ApiClientRevoked { ApiClientId = client.Id, OrganizationId = client.OrganizationId, RevokedAt = client.RevokedAt!.Value });
                await db.SaveChangesAsync(cancellationToken);
                keys.Invalidate();
            }
            return TypedResults.NoContent();
        });
}
