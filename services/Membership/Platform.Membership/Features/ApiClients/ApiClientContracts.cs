using System.Text.Json.Serialization;

namespace Platform.Membership.Features.ApiClients;

/// <summary>What a partner API key may do; spelled as the scope strings every service checks (API.md "Auth").</summary>
public enum ApiScope
{
    /// <summary>Read consortia, organizations, memberships, council, charters and people.</summary>
    [JsonStringEnumMemberName(Scopes.MembershipRead)] MembershipRead,
    /// <summary>Change the key's own organization record and representatives.</summary>
    [JsonStringEnumMemberName(Scopes.MembershipWrite)] MembershipWrite,
    [JsonStringEnumMemberName(Scopes.PipelineRead)] PipelineRead,
    [JsonStringEnumMemberName(Scopes.PipelineWrite)] PipelineWrite,
    [JsonStringEnumMemberName(Scopes.EventsRead)] EventsRead,
    [JsonStringEnumMemberName(Scopes.EventsWrite)] EventsWrite,
    /// <summary>Register and manage the organization's webhook endpoints.</summary>
    [JsonStringEnumMemberName(Scopes.WebhooksManage)] WebhooksManage,
}

/// <summary>Issue a partner API key for the organization.</summary>
public sealed record IssueApiClientRequest : IValidatedRequest
{
    /// <summary>What the key is for, e.g. "Shandong Labor college placement system".</summary>
    [MaxLength(200)] public required string Name { get; init; }

    /// <summary>At least one; a scope given twice counts once.</summary>
    [MaxLength(20)] public required IReadOnlyList<ApiScope> Scopes { get; init; }

    /// <summary>Optional: the key is refused from this time on (in the future, at most two years ahead).</summary>
    public DateTimeOffset? ExpiresAt { get; init; }

    public IEnumerable<(string Field, string Message)> Validate()
    {
        foreach (var problem in FieldChecks.Text(Name, "name", 200)) yield return problem;
        if (Scopes.Count == 0) yield return ("scopes", "Give at least one scope.");
    }
}

/// <summary>An API client. <see cref="Key"/> is present only in the answer to the issue request: store it now, it is never shown again.</summary>
public sealed record ApiClientResponse
{
    public required Guid Id { get; init; }
    public required Guid OrganizationId { get; init; }
    public required string Name { get; init; }
    public required IReadOnlyList<ApiScope> Scopes { get; init; }
    /// <summary>The key's first characters, to tell keys apart.</summary>
    public required string KeyPrefix { get; init; }
    public required DateTimeOffset IssuedAt { get; init; }
    public DateTimeOffset? RevokedAt { get; init; }
    /// <summary>The key is refused from this time on; null: no expiry.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }
    /// <summary>The key itself, in the answer to the issue request only.</summary>
    public string? Key { get; init; }

    internal static ApiClientResponse From(ApiClient c, string? key = null) => new()
    {
        Id = c.Id, OrganizationId = c.OrganizationId, Name = c.Name, Scopes = [.. c.Scopes.Select(ApiScopes.Parse)], KeyPrefix = c.KeyPrefix,
        IssuedAt = c.IssuedAt, RevokedAt = c.RevokedAt, ExpiresAt = c.ExpiresAt, Key = key,
    };
}

/// <summary>Between <see cref="ApiScope"/> and the scope strings keys are stored and published with.</summary>
internal static class ApiScopes
{
    public static string Name(ApiScope scope) => ApiEnum.Name(scope);

    /// <summary>A stored scope; every one was an <see cref="ApiScope"/> when the key was issued.</summary>
    public static ApiScope Parse(string scope) =>
        ApiEnum.TryParse<ApiScope>(scope, out var parsed) ? parsed : throw new InvalidOperationException($"The stored scope '{scope}' is not an ApiScope.");
}
