using System.Collections.Frozen;
using Microsoft.Extensions.Caching.Memory;

namespace Platform.Events.Features.Feed;

/// <summary>Who may read a consortium's feed, as this service last heard from membership.</summary>
public sealed record FeedReaders(bool Known, FrozenSet<Guid> Members)
{
    public bool Admit(Caller caller) => caller.IsOperator ? Known : caller.OrganizationId is { } organization && Members.Contains(organization);

    /// <summary>The same rule as <see cref="ConsortiumAccess.CanReadConsortiumAsync"/>, for every caller at once.</summary>
    public static async Task<FeedReaders> ReadAsync(EventsDbContext db, Guid consortiumId, CancellationToken cancellationToken)
    {
        var members = await db.KnownMemberships.AsNoTracking().Where(m => m.ConsortiumId == consortiumId).Where(KnownMembership.BelongsToConsortium)
            .Select(m => m.OrganizationId).ToListAsync(cancellationToken);
        // Announced by ConsortiumEstablished, or at least by a membership in it (messages may arrive in any order).
        var known = members.Count > 0 || await db.KnownConsortia.AnyAsync(c => c.Id == consortiumId, cancellationToken)
            || await db.KnownMemberships.AnyAsync(m => m.ConsortiumId == consortiumId, cancellationToken);
        return new FeedReaders(known, members.ToFrozenSet());
    }
}

/// <summary>A serialized feed page and the hash its ETag is made of.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1819:Properties should not return arrays", Justification = "The serialized body, written as is.")]
public sealed record FeedPage(byte[] Body, string Hash);

/// <summary>
/// Feed pages, already serialized, and each consortium's readers, kept in memory per consortium generation. Triggers
/// on feed_entries, known_memberships and known_consortia send <c>NOTIFY feed, 'consortiumId'</c> at commit; a
/// notification (or a rebuild on this instance) moves the consortium to a new generation, so older pages are never
/// served again. While the LISTEN connection is down nothing is kept. A page built while its consortium changed is
/// not kept. There is no version row in the database: a row every placement would update is a hot lock for ingestion.
/// </summary>
public sealed class FeedPages : IChangeSubscriber, IDisposable
{
    public const string Channel = "feed";
    private const long MaxBytes = 64L * 1024 * 1024;

    private readonly Lock _gate = new();
    private readonly Dictionary<Guid, long> _generations = [];
    private readonly Dictionary<Guid, (long Generation, FeedReaders Readers)> _readers = [];
    private readonly MemoryCache _pages = new(new MemoryCacheOptions { SizeLimit = MaxBytes });
    // Pages being built, by key, so readers that miss one at the same time wait for the same build.
    private readonly Dictionary<string, Task<FeedPage?>> _building = [];
    private long _counter;
    private bool _listening;

    /// <summary>The consortium's current generation, or null while not listening (then nothing may be kept or served).</summary>
    public long? Generation(Guid consortiumId)
    {
        lock (_gate)
        {
            if (!_listening) return null;
            if (!_generations.TryGetValue(consortiumId, out var generation)) _generations[consortiumId] = generation = ++_counter;
            return generation;
        }
    }

    public bool TryGetReaders(Guid consortiumId, long generation, out FeedReaders readers)
    {
        lock (_gate)
        {
            if (_readers.TryGetValue(consortiumId, out var kept) && kept.Generation == generation)
            {
                readers = kept.Readers;
                return true;
            }
        }
        readers = null!;
        return false;
    }

    public void KeepReaders(Guid consortiumId, long generation, FeedReaders readers)
    {
        lock (_gate)
            if (IsCurrent(consortiumId, generation)) _readers[consortiumId] = (generation, readers);
    }

    public static string PageKey(Guid consortiumId, long generation, string language, PageRequest paging) =>
        string.Create(CultureInfo.InvariantCulture, $"{consortiumId:N}|{generation}|{language}|{paging.Limit}|{paging.Cursor}");

    public bool TryGetPage(string key, out FeedPage page) => _pages.TryGetValue(key, out page!);

    /// <summary>
    /// The kept page, else one <paramref name="build"/> makes and keeps. Readers that miss the same page at once share
    /// one build: right after a change every poller of the feed misses together (100 readers made 100 queries of
    /// the same page). If the shared build fails, each waiting reader builds its own.
    /// </summary>
    public async Task<FeedPage> GetOrBuildAsync(Guid consortiumId, long generation, string key, Func<CancellationToken, Task<FeedPage>> build,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(build);
        if (_pages.TryGetValue(key, out FeedPage? kept)) return kept!;
        TaskCompletionSource<FeedPage?>? mine = null;
        Task<FeedPage?>? shared;
        lock (_gate)
        {
            if (!_building.TryGetValue(key, out shared))
            {
                mine = new TaskCompletionSource<FeedPage?>(TaskCreationOptions.RunContinuationsAsynchronously);
                _building[key] = shared = mine.Task;
            }
        }
        if (mine is null) return await shared.WaitAsync(cancellationToken) ?? await build(cancellationToken);

        FeedPage? page = null;
        try
        {
            page = await build(cancellationToken);
            KeepPage(consortiumId, generation, key, page);
            return page;
        }
        finally
        {
            // Kept before it stops being shared, so a reader finds either the page or the build.
            lock (_gate) _building.Remove(key);
            mine.SetResult(page);
        }
    }

    private void KeepPage(Guid consortiumId, long generation, string key, FeedPage page)
    {
        lock (_gate)
        {
            if (!IsCurrent(consortiumId, generation)) return;
            // Older generations are never asked for again; they age out by time and by the size limit.
            _pages.Set(key, page, new MemoryCacheEntryOptions { Size = page.Body.Length, SlidingExpiration = TimeSpan.FromMinutes(10) });
        }
    }

    /// <summary>These consortia's feeds changed (null: any consortium's): later reads build new pages.</summary>
    public void Changed(Guid? consortiumId)
    {
        lock (_gate)
        {
            if (consortiumId is { } one)
            {
                _generations[one] = ++_counter;
                _readers.Remove(one);
            }
            else
            {
                _generations.Clear();
                _readers.Clear();
            }
        }
    }

    public void Notified(string payload) => Changed(Guid.TryParse(payload, out var consortiumId) ? consortiumId : null);

    public void ListeningChanged(bool listening)
    {
        lock (_gate)
        {
            _listening = listening;
            _generations.Clear();
            _readers.Clear();
        }
    }

    private bool IsCurrent(Guid consortiumId, long generation) =>
        _listening && _generations.TryGetValue(consortiumId, out var current) && current == generation;

    public void Dispose() => _pages.Dispose();
}

public static class FeedPageRegistration
{
    /// <summary>The feed's page cache and its change notifications (channel <c>feed</c>).</summary>
    public static IServiceCollection AddFeedPages(this IServiceCollection services) =>
        services.AddChangeNotifications<FeedPages>(FeedPages.Channel);
}
