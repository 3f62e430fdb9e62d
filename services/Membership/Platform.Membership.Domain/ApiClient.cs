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
    /// <summary>Refused from this time on; null: the key does not expire.</summary>
    public DateTimeOffset? ExpiresAt { get; private set; }

    /// <summary>The longest a key may be issued for, in years; a partner gets a new key before then.</summary>
    public const int MaxLifetimeYears = 2;

    /// <summary>Why <paramref name="expiresAt"/> is not a plausible expiry for a key issued at <paramref name="at"/>, or null.</summary>
    public static string? CheckExpiry(DateTimeOffset? expiresAt, DateTimeOffset at) => expiresAt switch
    {
        null => null,
        { } e when e <= at => "The expiry must be in the future.",
        { } e when e > at.AddYears(MaxLifetimeYears) => $"A key may be issued for at most {MaxLifetimeYears} years.",
        _ => null,
    };

    /// <summary>Issues a new key; the returned key string is the only copy there will ever be.</summary>
    public static (ApiClient Client, string Key) Issue(Guid id, Guid organizationId, string name, IEnumerable<string> scopes, DateTimeOffset at, DateTimeOffset? expiresAt = null)
    {
        if (CheckExpiry(expiresAt, at) is { } problem) throw new ArgumentException(problem, nameof(expiresAt));
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
            // In UTC and to the microsecond, as stored: every answer shows the same instant.
            ExpiresAt = expiresAt is { } e ? new DateTimeOffset(e.UtcTicks - e.UtcTicks % 10, TimeSpan.Zero) : null,
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
