using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Platform.ServiceDefaults.Persistence;

namespace Platform.ServiceDefaults.Auth;

/// <summary>The in-process copy of the partner keys; a service that changes <c>platform.partner_api_keys</c> itself tells it so.</summary>
public interface IPartnerKeyCache
{
    /// <summary>
    /// Call after committing a change to <c>platform.partner_api_keys</c>: the next request reads the table again
    /// (never a load that started before the commit), so an issue or revocation counts at once in this process.
    /// </summary>
    void Invalidate();
}

/// <summary>
/// The active partner keys of <c>platform.partner_api_keys</c> (filled from membership's ApiClientIssued /
/// ApiClientRevoked events and its key list, see <see cref="PartnerKeyReconciler"/>), held in memory as a snapshot
/// reloaded when older than <see cref="MaxAge"/> or invalidated. A whole snapshot rather than a per-key cache: an
/// unknown key is answered from memory too, so a flood of made-up keys never reaches the database. The table holds
/// one row per issued key (hundreds, not millions).
/// <para>
/// When the database cannot be read, the last good snapshot keeps serving (expiry still checked against the clock);
/// without one, <see cref="FindAsync"/> throws <see cref="PartnerKeysUnavailableException"/> (503 + Retry-After).
/// </para>
/// </summary>
internal sealed partial class PartnerKeys(IServiceScopeFactory scopes, TimeProvider time, ILogger<PartnerKeys> logger) : IPartnerKeyCache
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(2);

    /// <summary>After a failed load, requests use the last snapshot this long before one tries again.</summary>
    public static readonly TimeSpan RetryAfterFailure = TimeSpan.FromSeconds(2);

    /// <summary>How long a request waits for a reload when it could answer from the last snapshot instead.</summary>
    public static readonly TimeSpan MaxWaitWithSnapshot = TimeSpan.FromSeconds(2);

    private readonly Lock _lock = new();
    private Snapshot? _snapshot;
    private Loading? _loading;
    private long _generation;
    private DateTimeOffset _nextAttemptAfterFailure = DateTimeOffset.MinValue;

    public sealed record Entry(Guid ApiClientId, Guid OrganizationId, byte[] KeyHash, IReadOnlySet<string> Scopes, DateTimeOffset? ExpiresAt);

    private sealed record Snapshot(IReadOnlyDictionary<string, Entry> ByHash, DateTimeOffset LoadedAt, long Generation);

    private sealed record Loading(Task<Snapshot> Task, long Generation);

    /// <summary>SHA-256 of a presented key; <c>key_hash</c> stores it as lower-case hex.</summary>
    public static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));

    public void Invalidate()
    {
        lock (_lock)
        {
            _generation++;
            _nextAttemptAfterFailure = DateTimeOffset.MinValue;
        }
    }

    /// <summary>The active (not revoked, not expired) key with this hash, or null.</summary>
    /// <exception cref="PartnerKeysUnavailableException">The keys were never loaded and the database cannot be read.</exception>
    public async ValueTask<Entry?> FindAsync(byte[] keyHash, CancellationToken cancellationToken)
    {
        var snapshot = await CurrentAsync(cancellationToken);

        // The lookup is by hash; the final comparison is constant-time all the same, as for any secret.
        return snapshot.ByHash.TryGetValue(Convert.ToHexStringLower(keyHash), out var entry)
            && CryptographicOperations.FixedTimeEquals(entry.KeyHash, keyHash)
            && (entry.ExpiresAt is null || entry.ExpiresAt > time.GetUtcNow())
                ? entry
                : null;
    }

    private async ValueTask<Snapshot> CurrentAsync(CancellationToken cancellationToken)
    {
        Task<Snapshot> loading;
        Snapshot? last;
        lock (_lock)
        {
            last = _snapshot;
            if (last is not null && IsFresh(last)) return last;
            // A load that failed a moment ago: do not hammer an unreachable database on every request.
            if (last is not null && time.GetUtcNow() < _nextAttemptAfterFailure) return last;
            // Only a load that started after the last invalidation may answer (it saw the committed change).
            if (_loading is null || _loading.Task.IsCompleted || _loading.Generation != _generation)
                _loading = new Loading(LoadAsync(_generation), _generation);
            loading = _loading.Task;
        }

        if (last is null)
        {
            try
            {
                return await loading.WaitAsync(cancellationToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                throw new PartnerKeysUnavailableException(exception);
            }
        }

        try
        {
            return await loading.WaitAsync(MaxWaitWithSnapshot, time, cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The database is down or slow: the last snapshot is the best answer there is.
            return last;
        }
    }

    private bool IsFresh(Snapshot snapshot) => snapshot.Generation == _generation && time.GetUtcNow() - snapshot.LoadedAt < MaxAge;

    private async Task<Snapshot> LoadAsync(long generation)
    {
        await Task.Yield(); // the caller holds the lock
        var loadedAt = time.GetUtcNow();
        List<Row> rows;
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetService<PlatformDbContext>()
                ?? throw new InvalidOperationException("API-key authentication reads platform.partner_api_keys: call AddServiceDatabase<TDbContext>() in Program.cs.");
            rows = await db.PartnerApiKeys.AsNoTracking()
                .Where(k => k.RevokedAt == null)
                .Select(k => new Row(k.ApiClientId, k.OrganizationId, k.KeyHash, k.Scopes, k.ExpiresAt))
                .ToListAsync(CancellationToken.None);
        }
        catch (Exception exception)
        {
            lock (_lock) _nextAttemptAfterFailure = time.GetUtcNow() + RetryAfterFailure;
            LogLoadFailed(logger, _snapshot is null ? "no keys loaded yet: partner requests answer 503" : "serving the last loaded keys", exception);
            throw;
        }

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
                row.Scopes.Where(Auth.Scopes.All.Contains).ToHashSet(StringComparer.Ordinal), row.ExpiresAt);
        }
        var snapshot = new Snapshot(byHash, loadedAt, generation);
        lock (_lock)
        {
            // Never replace a newer snapshot with an older one.
            if (_snapshot is null || _snapshot.Generation < generation || (_snapshot.Generation == generation && _snapshot.LoadedAt <= loadedAt))
                _snapshot = snapshot;
            _nextAttemptAfterFailure = DateTimeOffset.MinValue;
        }
        LogLoaded(logger, byHash.Count);
        return snapshot;
    }

    private sealed record Row(Guid ApiClientId, Guid OrganizationId, string KeyHash, string[] Scopes, DateTimeOffset? ExpiresAt);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Loaded {Count} active partner API keys")]
    private static partial void LogLoaded(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Partner API key of client {ApiClientId} has a malformed key_hash (expected 64 hex digits); the key is ignored")]
    private static partial void LogMalformedHash(ILogger logger, Guid apiClientId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not read the partner API keys ({Consequence})")]
    private static partial void LogLoadFailed(ILogger logger, string consequence, Exception exception);
}

/// <summary>The partner keys cannot be read (database unreachable) and none were loaded before: answer 503.</summary>
internal sealed class PartnerKeysUnavailableException(Exception inner)
    : Exception("The partner API keys cannot be read right now.", inner);
