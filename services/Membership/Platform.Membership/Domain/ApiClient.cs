using System.Security.Cryptography;
using System.Text;

namespace Platform.Membership.Domain;

/// <summary>
/// A partner system's API key, issued by the operator for one organization with scopes. Only the SHA-256 of
/// the key is kept; the key itself is shown once, when issued.
/// </summary>
public sealed class ApiClient
{
    private ApiClient()
    {
    }

    public Guid Id { get; private set; }
    public Guid OrganizationId { get; private set; }
    public string Name { get; private set; } = "";
    public List<string> Scopes { get; private set; } = [];
    public string KeyHash { get; private set; } = "";
    /// <summary>The key's first characters, so people can tell keys apart without the key.</summary>
    public string KeyPrefix { get; private set; } = "";
    public DateTimeOffset IssuedAt { get; private set; }
    public DateTimeOffset? RevokedAt { get; private set; }

    /// <summary>Issues a new key; the returned key string is the only copy there will ever be.</summary>
    public static (ApiClient Client, string Key) Issue(Guid id, Guid organizationId, string name, IEnumerable<string> scopes, DateTimeOffset at)
    {
        // 32 random bytes: not guessable, so a plain (unsalted) hash is enough to look the key up.
        var key = "cpk_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var client = new ApiClient
        {
            Id = id,
            OrganizationId = organizationId,
            Name = name.Trim(),
            Scopes = [.. scopes.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)],
            KeyHash = HashOf(key),
            KeyPrefix = key[..10],
            IssuedAt = at,
        };
        return (client, key);
    }

    public static string HashOf(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    /// <summary>Revokes the key; false when it already was.</summary>
    public bool Revoke(DateTimeOffset at)
    {
        if (RevokedAt is not null) return false;
        RevokedAt = at;
        return true;
    }
}
