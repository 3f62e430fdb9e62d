using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Platform.ServiceDefaults.Persistence;

namespace Platform.ServiceDefaults.Auth;

/// <summary>
/// The active partner keys of <c>platform.partner_api_keys</c> (filled from membership's ApiClientIssued /
/// ApiClientRevoked events), held in memory as a snapshot reloaded when older than <see cref="MaxAge"/>.
/// A whole snapshot rather than a per-key cache: an unknown key is answered from memory too, so a flood of
/// made-up keys never reaches the database, and an issue or revocation takes effect within
/// <see cref="MaxAge"/> on every instance. The table holds one row per issued key (hundreds, not millions).
/// </summary>
internal sealed partial class PartnerKeys(IServiceScopeFactory scopes, TimeProvider time, ILogger<PartnerKeys> logger)
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(2);

    private readonly Lock _lock = new();
    private Snapshot? _snapshot;
    private Task<Snapshot>? _loading;

    public sealed record Entry(Guid ApiClientId, Guid OrganizationId, byte[] KeyHash, IReadOnlySet<string> Scopes);

    private sealed record Snapshot(IReadOnlyDictionary<string, Entry> ByHash, DateTimeOffset LoadedAt);

    /// <summary>Lower-case hex SHA-256 of a presented key, the form stored in <c>key_hash</c>.</summary>
    public static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));

    /// <summary>The active key with this hash, or null.</summary>
    public async ValueTask<Entry?> FindAsync(byte[] keyHash, CancellationToken cancellationToken)
    {
        var snapshot = _snapshot;
        if (snapshot is null || IsStale(snapshot))
            snapshot = await ReloadAsync().WaitAsync(cancellationToken);

        // The lookup is by hash; the final comparison is constant-time all the same, as for any secret.
        return snapshot.ByHash.TryGetValue(Convert.ToHexStringLower(keyHash), out var entry)
            && CryptographicOperations.FixedTimeEquals(entry.KeyHash, keyHash)
                ? entry
                : null;
    }

    private bool IsStale(Snapshot snapshot) => time.GetUtcNow() - snapshot.LoadedAt >= MaxAge;

    /// <summary>One load at a time; concurrent requests wait for the same one.</summary>
    private Task<Snapshot> ReloadAsync()
    {
        lock (_lock)
        {
            if (_snapshot is { } current && !IsStale(current)) return Task.FromResult(current);
            if (_loading is null || _loading.IsCompleted) _loading = LoadAsync();
            return _loading;
        }
    }

    private async Task<Snapshot> LoadAsync()
    {
        var loadedAt = time.GetUtcNow();
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetService<PlatformDbContext>()
            ?? throw new InvalidOperationException("API-key authentication reads platform.partner_api_keys: call AddServiceDatabase<TDbContext>() in Program.cs.");
        var rows = await db.PartnerApiKeys.AsNoTracking()
            .Where(k => k.RevokedAt == null)
            .Select(k => new { k.ApiClientId, k.OrganizationId, k.KeyHash, k.Scopes })
            .ToListAsync(CancellationToken.None);

        var byHash = new Dictionary<string, Entry>(rows.Count, StringComparer.Ordinal);
        foreach (var row in rows)
        {
            var hex = row.KeyHash.ToLowerInvariant();
            if (hex.Length != 64 || !hex.All(char.IsAsciiHexDigit))
            {
                LogMalformedHash(logger, row.ApiClientId);
                continue;
            }
            byHash[hex] = new Entry(row.ApiClientId, row.OrganizationId, Convert.FromHexString(hex),
                row.Scopes.Where(Auth.Scopes.All.Contains).ToHashSet(StringComparer.Ordinal));
        }
        var snapshot = new Snapshot(byHash, loadedAt);
        _snapshot = snapshot;
        LogLoaded(logger, byHash.Count);
        return snapshot;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Loaded {Count} active partner API keys")]
    private static partial void LogLoaded(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Partner API key of client {ApiClientId} has a malformed key_hash (expected 64 hex digits); the key is ignored")]
    private static partial void LogMalformedHash(ILogger logger, Guid apiClientId);
}
