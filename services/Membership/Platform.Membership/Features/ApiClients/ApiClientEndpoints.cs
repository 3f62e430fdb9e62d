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
/// <param name="Scopes">Any of membership:read, pipeline:read, pipeline:write, events:read, events:write.</param>
public sealed record IssueApiClientRequest(string Name, [property: MaxLength(20)] IReadOnlyList<string> Scopes)
{
    internal IEnumerable<(string Field, string Message)> Check()
    {
        foreach (var problem in FieldChecks.Text(Name, "name", 200)) yield return problem;
        if (Scopes.Count == 0) yield return ("scopes", "Give at least one scope.");
        for (var i = 0; i < Scopes.Count; i++)
            if (!ServiceDefaults.Auth.Scopes.All.Contains(Scopes[i]))
                yield return ($"scopes[{i}]", $"Unknown scope '{Scopes[i]}'; use {string.Join(", ", ServiceDefaults.Auth.Scopes.All.Order(StringComparer.Ordinal))}.");
    }
}

/// <summary>An API client. <see cref="Key"/> is present only in the answer to the issue request: store it now, it is never shown again.</summary>
/// <param name="KeyPrefix">The key's first characters, to tell keys apart.</param>
public sealed record ApiClientResponse(
    Guid Id, Guid OrganizationId, string Name, IReadOnlyList<string> Scopes, string KeyPrefix, DateTimeOffset IssuedAt, DateTimeOffset? RevokedAt, string? Key = null)
{
    internal static ApiClientResponse From(ApiClient c, string? key = null) => new(c.Id, c.OrganizationId, c.Name, c.Scopes, c.KeyPrefix, c.IssuedAt, c.RevokedAt, key);
}

public static class ApiClientEndpoints
{
    public static RouteGroupBuilder MapApiClients(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("").WithTags("API clients");
        group.MapPost("/organizations/{organizationId:guid}/api-clients", IssueAsync).RequireOperator()
            .WithSummary("Issue a partner API key for the organization; the key is in this answer only. Every service honours it within seconds.");
        group.MapGet("/organizations/{organizationId:guid}/api-clients", ListAsync).RequireScope(Scopes.MembershipRead)
            .WithSummary("The organization's API clients, without keys (the operator, or the organization's own key).");
        group.MapDelete("/api-clients/{id:guid}", RevokeAsync).RequireOperator()
            .WithSummary("Revoke a key; every service refuses it within seconds. Revoking twice is harmless.");
        return api;
    }

    internal static async Task<Results<Created<ApiClientResponse>, ValidationProblem, ProblemHttpResult>> IssueAsync(
        Guid organizationId, IssueApiClientRequest request, MembershipDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        var errors = request.Check().ToList();
        if (errors.Count > 0) return Problems.Validation([.. errors]);
        if (!await db.Organizations.AnyAsync(o => o.Id == organizationId, cancellationToken)) return Problems.NotFound("No such organization.");

        var (client, key) = ApiClient.Issue(Guid.CreateVersion7(), organizationId, request.Name, request.Scopes, time.GetUtcNow());
        db.ApiClients.Add(client);
        db.AddIntegrationEvent(new ApiClientIssued
        {
            ApiClientId = client.Id, OrganizationId = organizationId, Name = client.Name, KeyHash = client.KeyHash, Scopes = client.Scopes, IssuedAt = client.IssuedAt,
        });
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/api/v1/organizations/{organizationId}/api-clients", ApiClientResponse.From(client, key));
    }

    internal static async Task<Results<Ok<Page<ApiClientResponse>>, ProblemHttpResult>> ListAsync(
        Guid organizationId, PageRequest paging, Caller caller, MembershipDbContext db, CancellationToken cancellationToken)
    {
        if (!caller.CanActFor(organizationId)) return Problems.NotFound();
        var page = await db.ApiClients.AsNoTracking().Where(c => c.OrganizationId == organizationId).ToPageAsync(c => c.Id, paging, cancellationToken);
        return TypedResults.Ok(page.Map(c => ApiClientResponse.From(c)));
    }

    internal static async Task<Results<NoContent, ProblemHttpResult>> RevokeAsync(Guid id, MembershipDbContext db, TimeProvider time, CancellationToken cancellationToken) =>
        await db.RetryOnConflictAsync<Results<NoContent, ProblemHttpResult>>(async () =>
        {
            var client = await db.ApiClients.FirstOrDefaultAsync(c => c.Id == id, cancellationToken);
            if (client is null) return Problems.NotFound();
            if (client.Revoke(time.GetUtcNow()))
            {
                db.AddIntegrationEvent(new ApiClientRevoked { ApiClientId = client.Id, OrganizationId = client.OrganizationId, RevokedAt = client.RevokedAt!.Value });
                await db.SaveChangesAsync(cancellationToken);
            }
            return TypedResults.NoContent();
        });
}
