using MassTransit;

namespace Platform.ServiceDefaults.Auth;

// Membership publishes these and every service consumes them to authenticate partners, so they are platform plumbing
// and live here. They were first published from Platform.Membership.Contracts: MessageUrn and EntityName keep that
// wire (the envelope's message type and the RabbitMQ exchange), so services and queues of either build still agree.
// Outbox rows written under the former CLR name still resolve (MessageTypeName.Resolve).

/// <summary>
/// The operator issued a partner API key. Carries the key's SHA-256 hash (never the key), so every service
/// can verify the key locally without calling membership.
/// </summary>
[MessageUrn(FormerContracts.Namespace + ":" + nameof(ApiClientIssued))]
[EntityName(FormerContracts.Namespace + ":" + nameof(ApiClientIssued))]
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
[MessageUrn(FormerContracts.Namespace + ":" + nameof(ApiClientRevoked))]
[EntityName(FormerContracts.Namespace + ":" + nameof(ApiClientRevoked))]
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

/// <summary>Where the partner-key events were declared before they moved here: their wire names keep it.</summary>
internal static class FormerContracts
{
    public const string Namespace = "Platform.Membership.Contracts";
    public const string Assembly = "Platform.Membership.Contracts";

    /// <summary>Outbox type names (<c>Namespace.Type, Assembly</c>) written before the move, and the type each is now.</summary>
    public static IReadOnlyDictionary<string, Type> OutboxTypeNames { get; } = new Dictionary<string, Type>(StringComparer.Ordinal)
    {
        [$"{Namespace}.{nameof(ApiClientIssued)}, {Assembly}"] = typeof(ApiClientIssued),
        [$"{Namespace}.{nameof(ApiClientRevoked)}, {Assembly}"] = typeof(ApiClientRevoked),
    };
}
