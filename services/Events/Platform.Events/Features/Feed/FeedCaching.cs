using System.Security.Cryptography;
using Microsoft.Net.Http.Headers;

namespace Platform.Events.Features.Feed;

/// <summary>
/// Conditional GET for the feed. The body depends on the reader's language, so the ETag names the language as well as
/// hashing the body, and <c>Vary: Accept-Language</c> tells caches not to hand an English page to a Chinese reader.
/// </summary>
internal static class FeedCaching
{
    /// <summary>Tags the response; true when the client already holds this very body (answer 304).</summary>
    public static bool ClientHasCurrent(HttpContext http, ReadOnlySpan<byte> body) => ClientHasCurrent(http, Hash(body));

    /// <summary>What the ETag is made of besides the language; kept with a cached page so a 304 needs no body.</summary>
    public static string Hash(ReadOnlySpan<byte> body) => Convert.ToHexStringLower(SHA256.HashData(body))[..20];

    /// <summary>As above, for a body whose <see cref="Hash"/> is already known.</summary>
    public static bool ClientHasCurrent(HttpContext http, string hash)
    {
        var language = CultureInfo.CurrentUICulture.Name;
        var etag = new EntityTagHeaderValue($"\"{language}-{hash}\"");
        http.Response.GetTypedHeaders().ETag = etag;
        http.Response.Headers.Append(HeaderNames.Vary, HeaderNames.AcceptLanguage);
        // Readers may keep a page but must revalidate: what a partner may read can change with its membership.
        http.Response.Headers.CacheControl = "private, no-cache";
        return http.Request.GetTypedHeaders().IfNoneMatch.Any(t => t.Equals(EntityTagHeaderValue.Any) || t.Compare(etag, useStrongComparison: false));
    }
}
