using System.Buffers.Text;
using System.Globalization;
using System.Linq.Expressions;
using System.Reflection;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.EntityFrameworkCore;

namespace Platform.ServiceDefaults.Http;

/// <summary>
/// <c>?limit=</c> (default 50, 1–200) and <c>?cursor=</c> of a list endpoint (API.md "Lists"). Take it as a
/// handler parameter; an invalid limit is answered with a 400 problem before the handler runs.
/// </summary>
public sealed record PageRequest(int Limit, string? Cursor) : IEndpointParameterMetadataProvider
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;

    /// <summary>The first page with the default limit.</summary>
    public static PageRequest First { get; } = new(DefaultLimit, null);

    /// <summary>Minimal-API binding from the query string.</summary>
    public static ValueTask<PageRequest?> BindAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var query = context.Request.Query;
        var limit = DefaultLimit;
        if (query.TryGetValue("limit", out var limitText)
            && (limitText.Count != 1 || !int.TryParse(limitText[0], NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > MaxLimit))
            throw new RequestValidationException("limit", $"Expected an integer from 1 to {MaxLimit}.");

        string? cursor = null;
        if (query.TryGetValue("cursor", out var cursorText))
        {
            if (cursorText.Count != 1 || string.IsNullOrEmpty(cursorText[0]))
                throw new RequestValidationException("cursor", PageCursor.Invalid);
            cursor = cursorText[0];
        }
        return ValueTask.FromResult<PageRequest?>(new PageRequest(limit, cursor));
    }

    /// <summary>Marks the endpoint as a list, so the OpenAPI document shows <c>limit</c> and <c>cursor</c>.</summary>
    public static void PopulateMetadata(ParameterInfo parameter, EndpointBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Metadata.Add(PagedEndpoint.Instance);
    }
}

/// <summary>One page of a list: <c>{ "items": [...], "nextCursor": "..." | null }</c>.</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, string? NextCursor)
{
    /// <summary>The same page with each item converted (entity → response DTO).</summary>
    public Page<TResult> Map<TResult>(Func<T, TResult> map)
    {
        ArgumentNullException.ThrowIfNull(map);
        return new Page<TResult>(Items.Select(map).ToList(), NextCursor);
    }
}

/// <summary>
/// Keyset ("seek") pagination over an EF Core query: newest first, stable while rows are inserted between
/// page reads, and as fast on page 1000 as on page 1. The order ends with a unique id, so ties never
/// duplicate or skip rows. Index the order columns, e.g. <c>(created_at DESC, id DESC)</c>. The helper sets
/// the order (any OrderBy on the query is replaced); filter the query before, map the page after.
/// </summary>
/// <example>
/// <code>
/// var page = await db.Programs.Where(p => p.ConsortiumId == consortiumId)
///     .ToPageAsync(p => p.Id, paging, cancellationToken);            // UUIDv7 ids: creation order
/// return TypedResults.Ok(page.Map(ProgramResponse.From));
///
/// var feed = await db.FeedEntries.ToPageAsync(e => e.OccurredAt, e => e.Id, paging, cancellationToken);
/// </code>
/// </example>
public static class PagingExtensions
{
    /// <summary>Pages by a unique UUIDv7 id, descending (newest first).</summary>
    public static Task<Page<T>> ToPageAsync<T>(this IQueryable<T> query, Expression<Func<T, Guid>> id, PageRequest page, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(page);
        var after = page.Cursor is null ? null : PageCursor.Decode<Guid>(page.Cursor, idOnly: true);
        var ordered = query.OrderByDescending(id);
        // Guid has no '<' in C#; CompareTo is what EF Core translates to SQL '<' (uuid order = UUIDv7 time order).
        var filtered = after is null ? ordered : ordered.Where(Substitute(id, i => i.CompareTo(after.Id) < 0));
        var idOf = id.Compile(preferInterpretation: true);
        return ReadAsync(filtered, page.Limit, item => PageCursor.Encode(Guid.Empty, idOf(item), idOnly: true), cancellationToken);
    }

    /// <summary>
    /// Pages by <paramref name="key"/> descending, then by the unique <paramref name="id"/> descending (ties).
    /// The key is typically a time (<see cref="DateTimeOffset"/>, stored UTC) or a number.
    /// </summary>
    public static Task<Page<T>> ToPageAsync<T, TKey>(this IQueryable<T> query, Expression<Func<T, TKey>> key, Expression<Func<T, Guid>> id,
        PageRequest page, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(page);
        var after = page.Cursor is null ? null : PageCursor.Decode<TKey>(page.Cursor, idOnly: false);
        var ordered = query.OrderByDescending(key).ThenByDescending(id);
        IQueryable<T> filtered = ordered;
        if (after is not null)
        {
            // PostgreSQL row comparison: (key, id) < (@key, @id) — one index range scan on (key DESC, id DESC).
            Expression<Func<TKey, Guid, bool>> before = (k, i) => EF.Functions.LessThan(ValueTuple.Create(k, i), ValueTuple.Create(after.Key, after.Id));
            var parameter = key.Parameters[0];
            var body = new ReplaceParameters(new Dictionary<ParameterExpression, Expression>
            {
                [before.Parameters[0]] = key.Body,
                [before.Parameters[1]] = new ReplaceParameters(new() { [id.Parameters[0]] = parameter }).Visit(id.Body),
            }).Visit(before.Body);
            filtered = ordered.Where(Expression.Lambda<Func<T, bool>>(body, parameter));
        }
        var keyOf = key.Compile(preferInterpretation: true);
        var idOf = id.Compile(preferInterpretation: true);
        return ReadAsync(filtered, page.Limit, item => PageCursor.Encode(keyOf(item), idOf(item), idOnly: false), cancellationToken);
    }

    private static async Task<Page<T>> ReadAsync<T>(IQueryable<T> query, int limit, Func<T, string> cursorOf, CancellationToken cancellationToken)
    {
        // One row more than asked tells whether there is a next page without a COUNT.
        var rows = await query.Take(limit + 1).ToListAsync(cancellationToken);
        if (rows.Count <= limit) return new Page<T>(rows, null);
        rows.RemoveAt(limit);
        return new Page<T>(rows, cursorOf(rows[^1]));
    }

    private static Expression<Func<T, bool>> Substitute<T>(Expression<Func<T, Guid>> id, Expression<Func<Guid, bool>> predicate)
    {
        var body = new ReplaceParameters(new() { [predicate.Parameters[0]] = id.Body }).Visit(predicate.Body);
        return Expression.Lambda<Func<T, bool>>(body, id.Parameters);
    }

    private sealed class ReplaceParameters(Dictionary<ParameterExpression, Expression> replacements) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) =>
            replacements.TryGetValue(node, out var replacement) ? replacement : node;
    }
}

/// <summary>
/// The position after the last row of a page: its order key and id, as base64url JSON with a checksum.
/// Opaque to clients; a cursor that does not decode, fails the checksum or holds the wrong types is a 400.
/// The checksum is not a signature: a forged cursor can only move the position within rows the query
/// already allows the caller to see.
/// </summary>
internal static class PageCursor
{
    public const string Invalid = "The cursor is not valid: pass the nextCursor of the previous page unchanged.";
    private const int Version = 1;
    private const int ChecksumBytes = 8;

    internal sealed record Position<TKey>(TKey Key, Guid Id);

    public static string Encode<TKey>(TKey key, Guid id, bool idOnly)
    {
        var payload = idOnly
            ? JsonSerializer.SerializeToUtf8Bytes(new object[] { Version, id }, PlatformJson.Options)
            : JsonSerializer.SerializeToUtf8Bytes(new object?[] { Version, key, id }, PlatformJson.Options);
        var bytes = new byte[payload.Length + ChecksumBytes];
        payload.CopyTo(bytes, 0);
        SHA256.HashData(payload).AsSpan(0, ChecksumBytes).CopyTo(bytes.AsSpan(payload.Length));
        return Base64Url.EncodeToString(bytes);
    }

    public static Position<TKey> Decode<TKey>(string cursor, bool idOnly)
    {
        try
        {
            var bytes = Base64Url.DecodeFromChars(cursor);
            if (bytes.Length <= ChecksumBytes) throw new FormatException();
            var payload = bytes.AsSpan(0, bytes.Length - ChecksumBytes);
            if (!SHA256.HashData(payload).AsSpan(0, ChecksumBytes).SequenceEqual(bytes.AsSpan(payload.Length)))
                throw new FormatException();

            var values = JsonSerializer.Deserialize<JsonElement[]>(payload, PlatformJson.Options);
            if (values is null || values.Length != (idOnly ? 2 : 3) || values[0].GetInt32() != Version) throw new FormatException();
            var id = values[^1].GetGuid();
            var key = idOnly ? default! : Normalize(values[1].Deserialize<TKey>(PlatformJson.Options)!);
            return new Position<TKey>(key, id);
        }
        catch (Exception exception) when (exception is FormatException or JsonException or InvalidOperationException or ArgumentException or NotSupportedException)
        {
            throw new RequestValidationException("cursor", Invalid);
        }
    }

    // PostgreSQL timestamptz parameters must be UTC.
    private static TKey Normalize<TKey>(TKey key) => key switch
    {
        null => throw new FormatException(),
        DateTimeOffset time => (TKey)(object)time.ToUniversalTime(),
        DateTime { Kind: not DateTimeKind.Utc } => throw new FormatException(),
        _ => key,
    };
}

/// <summary>Endpoint metadata: the endpoint takes a <see cref="PageRequest"/>.</summary>
internal sealed class PagedEndpoint
{
    public static PagedEndpoint Instance { get; } = new();
}
