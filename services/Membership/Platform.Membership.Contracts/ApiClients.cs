namespace Platform.Membership.Contracts;

/// <summary>
/// The operator issued a partner API key. Carries the key's SHA-256 hash (never the key), so every service
/// can verify the key locally without calling membership.
/// </summary>
public sealed record ApiClientIssued
{
    public required Guid ApiClientId { get; init; }
    public required Guid OrganizationId { get; init; }
    public required string Name { get; init; }
    /// <summary>Lower-case hex SHA-256 of the key.</summary>
    public required string KeyHash { get; init; }
    public required IReadOnlyList<string> Scopes { get; init; }
    public required DateTimeOffset IssuedAt { get; init; }
}

/// <summary>The operator revoked a partner API key; every service stops accepting it.</summary>
public sealed record ApiClientRevoked
{
    public required Guid ApiClientId { get; init; }
    public required Guid OrganizationId { get; init; }
    public required DateTimeOffset RevokedAt { get; init; }
}
