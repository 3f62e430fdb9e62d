using System.Security.Cryptography;

namespace Platform.ServiceDefaults.Auth;

/// <summary>
/// A secret the host knows (the operator key), and the one way a presented key is compared with it: SHA-256 of both,
/// compared in constant time, so the answer time does not reveal how much of a guess was right. Used by the services'
/// <c>X-Api-Key</c> handler and by the operator dashboard's key and login form.
/// </summary>
public sealed class KnownKey(string? key)
{
    private readonly byte[]? _hash = string.IsNullOrEmpty(key) ? null : PartnerKeys.Hash(key);

    /// <summary>False when no key is configured: then nothing matches.</summary>
    public bool IsConfigured => _hash is not null;

    public bool Matches(string? presented) => !string.IsNullOrEmpty(presented) && MatchesHash(PartnerKeys.Hash(presented));

    /// <summary>For a caller that hashed the presented key already (to look it up among the partner keys too).</summary>
    public bool MatchesHash(ReadOnlySpan<byte> presentedHash) => _hash is not null && CryptographicOperations.FixedTimeEquals(_hash, presentedHash);
}
