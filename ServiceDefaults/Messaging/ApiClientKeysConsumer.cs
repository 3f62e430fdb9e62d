using MassTransit;
using Microsoft.EntityFrameworkCore;
using Platform.ServiceDefaults.Auth;
using Platform.ServiceDefaults.Persistence;

namespace Platform.ServiceDefaults.Messaging;

/// <summary>
/// Keeps every service's <c>platform.partner_api_keys</c> in step with membership's API clients, so each service
/// verifies partner keys locally. Registered in every service by <see cref="MessagingExtensions.AddServiceMessaging"/>
/// (endpoint <c>&lt;service&gt;-api-client-keys</c>).
/// <para>
/// Events of one client may arrive in any order (retries, redeliveries, concurrent consumers), so both handlers
/// are single upserts that commute: a revocation always wins. A revoke that arrives before its issue leaves a
/// revoked placeholder row whose hash can never match a key; the issue then fills in the details and keeps the
/// revocation.
/// </para>
/// </summary>
public sealed class ApiClientKeysConsumer(PlatformDbContext dbContext) : IConsumer<ApiClientIssued>, IConsumer<ApiClientRevoked>
{
    private static readonly string[] NoScopes = [];

    public async Task Consume(ConsumeContext<ApiClientIssued> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var issued = context.Message;
        string[] scopes = [.. issued.Scopes];
        await dbContext.Database.ExecuteSqlAsync($"""
            INSERT INTO platform.partner_api_keys (api_client_id, organization_id, name, key_hash, scopes, issued_at, revoked_at, expires_at)
            VALUES ({issued.ApiClientId}, {issued.OrganizationId}, {issued.Name}, {issued.KeyHash}, {scopes}, {issued.IssuedAt.ToUniversalTime()}, NULL, {issued.ExpiresAt?.ToUniversalTime()})
            ON CONFLICT (api_client_id) DO UPDATE
               SET organization_id = excluded.organization_id,
                   name = excluded.name,
                   key_hash = excluded.key_hash,
                   scopes = excluded.scopes,
                   issued_at = excluded.issued_at,
                   expires_at = excluded.expires_at
            """, context.CancellationToken);
    }

    public async Task Consume(ConsumeContext<ApiClientRevoked> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var revoked = context.Message;
        // Not lower-case hex, so no SHA-256 of a presented key can ever equal it; unique per client.
        var placeholderHash = $"revoked-before-issue-{revoked.ApiClientId:N}";
        var revokedAt = revoked.RevokedAt.ToUniversalTime();
        await dbContext.Database.ExecuteSqlAsync($"""
            INSERT INTO platform.partner_api_keys (api_client_id, organization_id, name, key_hash, scopes, issued_at, revoked_at)
            VALUES ({revoked.ApiClientId}, {revoked.OrganizationId}, '(revoked before its issue arrived)', {placeholderHash}, {NoScopes}, {revokedAt}, {revokedAt})
            ON CONFLICT (api_client_id) DO UPDATE
               SET revoked_at = coalesce(partner_api_keys.revoked_at, excluded.revoked_at)
            """, context.CancellationToken);
    }
}
