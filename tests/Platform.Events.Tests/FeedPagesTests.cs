using Platform.Events.Features.Feed;
using Platform.ServiceDefaults.Http;

namespace Platform.Events.Tests;

/// <summary>
/// The feed's page cache when many readers miss the same page at once (every poller of a feed, right after it
/// changed): one query and one serialization for all of them, and a failed build does not fail the others.
/// </summary>
public sealed class FeedPagesTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static (FeedPages Pages, Guid Consortium, long Generation, string Key) ListeningCache()
    {
        var pages = new FeedPages();
        pages.ListeningChanged(true);
        var consortium = Guid.NewGuid();
        var generation = pages.Generation(consortium)!.Value;
        return (pages, consortium, generation, FeedPages.PageKey(consortium, generation, "en", new PageRequest(50, null)));
    }

    [Fact]
    public async Task Readers_that_miss_the_same_page_at_once_share_one_build_and_the_page_is_kept()
    {
        var (pages, consortium, generation, key) = ListeningCache();
        using var _ = pages;
        var builds = 0;
        var release = new TaskCompletionSource();
        async Task<FeedPage> BuildAsync(CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref builds);
            await release.Task.WaitAsync(cancellationToken);
            return new FeedPage([1, 2, 3], "hash");
        }

        var readers = Enumerable.Range(0, 20).Select(_ => pages.GetOrBuildAsync(consortium, generation, key, BuildAsync, Cancel)).ToList();
        release.SetResult();
        var served = await Task.WhenAll(readers);

        Assert.Equal(1, builds);
        Assert.All(served, page => Assert.Same(served[0], page));
        Assert.True(pages.TryGetPage(key, out var kept));
        Assert.Same(served[0], kept);
        // Later readers are served from memory.
        Assert.Same(kept, await pages.GetOrBuildAsync(consortium, generation, key, BuildAsync, Cancel));
        Assert.Equal(1, builds);
    }

    [Fact]
    public async Task When_the_shared_build_fails_each_waiting_reader_builds_its_own_page()
    {
        var (pages, consortium, generation, key) = ListeningCache();
        using var _ = pages;
        var release = new TaskCompletionSource();
        var ownBuilds = 0;
        async Task<FeedPage> FailingAsync(CancellationToken cancellationToken)
        {
            await release.Task.WaitAsync(cancellationToken);
            throw new InvalidOperationException("the database went away");
        }
        Task<FeedPage> OwnAsync(CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref ownBuilds);
            return Task.FromResult(new FeedPage([4, 5, 6], "own"));
        }

        var first = pages.GetOrBuildAsync(consortium, generation, key, FailingAsync, Cancel);
        var waiting = Enumerable.Range(0, 5).Select(_ => pages.GetOrBuildAsync(consortium, generation, key, OwnAsync, Cancel)).ToList();
        Assert.Equal(0, ownBuilds);
        release.SetResult();

        await Assert.ThrowsAsync<InvalidOperationException>(() => first);
        var served = await Task.WhenAll(waiting);
        Assert.Equal(5, ownBuilds);
        Assert.All(served, page => Assert.Equal("own", page.Hash));
    }
}
