using Microsoft.EntityFrameworkCore;
using Platform.ServiceDefaults.Resilience;
using Polly;

namespace Platform.ServiceDefaults.Persistence;

/// <summary>
/// Optimistic concurrency with a re-decision: rows carry a row version (PostgreSQL <c>xmin</c>), and when another
/// request changed one of them between our read and our save, the whole read–decide–save runs again on fresh
/// data. So two concurrent transitions on one membership give exactly one winner, and the loser answers from the
/// new state (e.g. 409 "already active") instead of overwriting it.
/// </summary>
public static class ConcurrentChange
{
    /// <summary>Attempts before giving up (the exception handler then answers 409).</summary>
    public const int MaxAttempts = 4;

    /// <example>
    /// <code>
    /// return await db.RetryOnConflictAsync(async () =>
    /// {
    ///     var membership = await db.Memberships.FindAsync([id], cancellationToken);
    ///     if (!membership.TryPerform(...)) return Problems.Conflict(...);
    ///     db.AddIntegrationEvent(...);
    ///     await db.SaveChangesAsync(cancellationToken);
    ///     return TypedResults.Ok(...);
    /// });
    /// </code>
    /// </example>
    public static Task<T> RetryOnConflictAsync<T>(this DbContext db, Func<Task<T>> readDecideSave)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(readDecideSave);
        // Forget the stale entities and the outbox rows of a failed attempt; the next one reads again.
        return OnConflict.RunAsync(_ => readDecideSave(), db.ChangeTracker.Clear, CancellationToken.None);
    }

    // A short random pause, growing with each attempt, so two losers do not collide again at once.
    private static readonly ResiliencePipeline OnConflict = Retries.Define(MaxAttempts, e => e is DbUpdateConcurrencyException,
        attempt => TimeSpan.FromMilliseconds(Random.Shared.Next(1, 10 * attempt)));
}
