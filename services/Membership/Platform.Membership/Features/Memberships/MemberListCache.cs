using Microsoft.Extensions.Caching.Memory;

namespace Platform.Membership.Features.Memberships;

/// <summary>
/// Member list pages, already serialized, keyed by the consortium's <c>member_list_version</c> and the query.
/// Partner systems poll the member list far more often than it changes; a page is built once per version, and a
/// change makes a new version (database trigger), so an entry can never be served stale. Bounded by bytes.
/// </summary>
internal sealed class MemberListCache : IDisposable
{
    private const long MaxBytes = 64L * 1024 * 1024;
    private readonly MemoryCache _pages = new(new MemoryCacheOptions { SizeLimit = MaxBytes });

    public async Task<byte[]> GetOrBuildAsync(string key, Func<Task<byte[]>> build)
    {
        if (_pages.TryGetValue(key, out byte[]? page)) return page!;
        page = await build();
        // Old versions are never asked for again; they age out by time and by the size limit.
        _pages.Set(key, page, new MemoryCacheEntryOptions { Size = page.Length, SlidingExpiration = TimeSpan.FromMinutes(10) });
        return page;
    }

    public void Dispose() => _pages.Dispose();
}
