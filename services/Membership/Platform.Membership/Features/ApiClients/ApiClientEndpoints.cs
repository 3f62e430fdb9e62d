namespace Platform.Membership.Features.ApiClients;

public static class ApiClientEndpoints
{
    public static RouteGroupBuilder MapApiClients(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("").WithTags("API clients");
        group.MapPost("/organizations/{organizationId:guid}/api-clients", IssueAsync).WithName("issueApiClient").RequireOperator()
            .WithSummary("Issue a partner API key for the organization; the key is in this answer only. Membership honours it at once, every other service within seconds.");
        group.MapGet("/organizations/{organizationId:guid}/api-clients", ListAsync).WithName("listApiClients").RequireScope(Scopes.MembershipRead)
            .WithSummary("The organization's API clients, without keys (the operator, or the organization's own key).");
        group.MapDelete("/api-clients/{apiClientId:guid}", RevokeAsync).WithName("revokeApiClient").RequireOperator()
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
        // Against the clock, which the request cannot know: checked here.
        if (ApiClient.CheckExpiry(request.ExpiresAt, now) is { } expiry) return Problems.Validation(("expiresAt", expiry));
        if (!await db.Organizations.AnyAsync(o => o.Id == organizationId, cancellationToken)) return Problems.NotFound("No such organization.");

        var (client, key) = ApiClient.Issue(Guid.CreateVersion7(), organizationId, request.Name, request.Scopes.Select(ApiScopes.Name), now, request.ExpiresAt);
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
        Guid apiClientId, MembershipDbContext db, IPartnerKeyCache keys, TimeProvider time, CancellationToken cancellationToken) =>
        await db.RetryOnConflictAsync<Results<NoContent, ProblemHttpResult>>(async () =>
        {
            var client = await db.ApiClients.FirstOrDefaultAsync(c => c.Id == apiClientId, cancellationToken);
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
