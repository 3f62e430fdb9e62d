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
    /// <summary>The key is refused from this time on; null: it does not expire.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }
}

/// <summary>The operator revoked a partner API key; every service stops accepting it.</summary>
public sealed record ApiClientRevoked
{
    public required Guid ApiClientId { get; init; }
    public required Guid OrganizationId { get; init; }
    public required DateTimeOffset RevokedAt { get; init; }
}

/// <summary>
/// Every partner key membership ever issued (revoked ones too), as <c>GET /internal/partner-keys</c> answers it to
/// the operator key. Other services replace their copy with it, so a lost or parked ApiClientRevoked is honoured anyway.
/// </summary>
/// <param name="AsOf">Membership's clock when it read the list.</param>
public sealed record PartnerKeyList(DateTimeOffset AsOf, IReadOnlyList<PartnerKeyListEntry> Keys);

/// <summary>One key of <see cref="PartnerKeyList"/>: its hash, never the key.</summary>
public sealed record PartnerKeyListEntry(
    Guid ApiClientId, Guid OrganizationId, string Name, string KeyHash, IReadOnlyList<string> Scopes,
    DateTimeOffset IssuedAt, DateTimeOffset? ExpiresAt, DateTimeOffset? RevokedAt);
