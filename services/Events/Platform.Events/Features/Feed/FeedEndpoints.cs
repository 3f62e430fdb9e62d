using System.Text;
using System.Text.Json;
using System.Xml;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;

namespace Platform.Events.Features.Feed;

/// <summary><c>/api/v1/feed</c>: a consortium's activity feed as JSON (cursor paging) and Atom 1.0.</summary>
public static class FeedEndpoints
{
    private const string AtomNamespace = "http://www.w3.org/2005/Atom";
    private const string AtomMediaType = "application/atom+xml";
    private const string XmlNamespace = "http://www.w3.org/XML/1998/namespace";

    private const string LanguageNote = "Titles and content are in English, or in Simplified Chinese when Accept-Language asks for Chinese (zh, zh-CN, zh-Hans…); "
        + "Content-Language says which. The ETag differs per language; If-None-Match with the current one answers 304 Not Modified.";

    public static IEndpointRouteBuilder MapFeed(this IEndpointRouteBuilder api)
    {
        api.MapGet("/feed", ReadAsync).WithTags("Feed").WithName("getFeed").RequireScope(Scopes.EventsRead)
            .Produces<Page<FeedEntryResponse>>(StatusCodes.Status200OK, "application/json")
            .WithSummary("The consortium's activity feed, most recently updated first (a late, backdated story comes out on top)")
            .WithDescription("A partner reads only the feeds of consortia its organization belongs to; any other consortium, or one this service never heard of, answers 404. "
                + LanguageNote);
        api.MapGet("/feed.atom", ReadAtomAsync).WithTags("Feed").WithName("getFeedAtom").RequireScope(Scopes.EventsRead)
            .WithSummary("The same feed as Atom 1.0 (one page; rel=next links the following page)")
            .WithDescription(LanguageNote)
            .AddOpenApiOperationTransformer(DescribeAtomAsync);
        api.MapPost("/feed/rebuild", RebuildAsync).WithTags("Feed").WithName("rebuildFeed").RequireOperator()
            .WithSummary("Empty the feed (of one consortium, or all) and rebuild it from the kept messages");
        return api;
    }

    // The handler writes the XML itself; the document says what a client receives.
    private static Task DescribeAtomAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        operation.Responses ??= new OpenApiResponses();
        operation.Responses["200"] = new OpenApiResponse
        {
            Description = "An Atom 1.0 feed document.",
            Content = new Dictionary<string, OpenApiMediaType>
            {
                [AtomMediaType] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.String } },
            },
        };
        return Task.CompletedTask;
    }

    private static async Task<Results<FileContentHttpResult, StatusCodeHttpResult, ProblemHttpResult>> ReadAsync(
        Guid consortiumId, PageRequest paging, Caller caller, HttpContext http, EventsDbContext db, FeedLinks links, FeedPages pages,
        IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, CancellationToken cancellationToken)
    {
        // Readers and pages come from memory while the LISTEN connection keeps them current (FeedPages); a
        // revalidation of a kept page answers 304 without touching the database.
        var generation = pages.Generation(consortiumId);
        if (generation is null || !pages.TryGetReaders(consortiumId, generation.Value, out var readers))
        {
            readers = await FeedReaders.ReadAsync(db, consortiumId, cancellationToken);
            if (generation is { } current) pages.KeepReaders(consortiumId, current, readers);
        }
        if (!readers.Admit(caller)) return Problems.NotFound();

        var page = generation is { } g
            ? await pages.GetOrBuildAsync(consortiumId, g, FeedPages.PageKey(consortiumId, g, CultureInfo.CurrentUICulture.Name, paging),
                ct => BuildPageAsync(db, consortiumId, paging, links, json.Value.SerializerOptions, ct), cancellationToken)
            : await BuildPageAsync(db, consortiumId, paging, links, json.Value.SerializerOptions, cancellationToken);
        if (FeedCaching.ClientHasCurrent(http, page.Hash)) return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        return TypedResults.Bytes(page.Body, "application/json; charset=utf-8");
    }

    private static async Task<FeedPage> BuildPageAsync(EventsDbContext db, Guid consortiumId, PageRequest paging, FeedLinks links,
        JsonSerializerOptions json, CancellationToken cancellationToken)
    {
        var zone = await db.ZoneOfAsync(consortiumId, cancellationToken);
        var entries = await db.FeedEntries.AsNoTracking().Where(e => e.ConsortiumId == consortiumId)
            .ToPageAsync(e => e.UpdatedAt, e => e.Id, paging, cancellationToken);
        var body = JsonSerializer.SerializeToUtf8Bytes(entries.Map(e => FeedEntryResponse.From(e, zone, links)), json);
        return new FeedPage(body, FeedCaching.Hash(body));
    }

    private static async Task<Results<FileContentHttpResult, StatusCodeHttpResult, ProblemHttpResult>> ReadAtomAsync(
        Guid consortiumId, PageRequest paging, HttpContext http, Caller caller, EventsDbContext db, FeedLinks links, CancellationToken cancellationToken)
    {
        if (!await db.CanReadConsortiumAsync(caller, consortiumId, cancellationToken)) return Problems.NotFound();
        var known = await db.KnownConsortia.AsNoTracking().SingleOrDefaultAsync(c => c.Id == consortiumId, cancellationToken);
        var zone = ConsortiumTime.Zone(known?.TimeZone);
        var page = await db.FeedEntries.AsNoTracking().Where(e => e.ConsortiumId == consortiumId)
            .ToPageAsync(e => e.UpdatedAt, e => e.Id, paging, cancellationToken);

        var request = http.Request;
        var self = $"{request.Scheme}://{request.Host}{request.PathBase}{request.Path}{request.QueryString}";
        var next = page.NextCursor is null ? null
            : $"{request.Scheme}://{request.Host}{request.PathBase}{request.Path}?consortiumId={consortiumId:D}&limit={paging.Limit.ToString(CultureInfo.InvariantCulture)}&cursor={Uri.EscapeDataString(page.NextCursor)}";
        var text = FeedText.Reader;
        var name = known is null ? text["Consortium.Unknown"] : text.Name(known.Name, null);
        // A feed's updated is its latest entry change; an empty feed has not changed since the consortium was announced.
        var updated = page.Items.Count > 0 ? page.Items.Max(e => e.UpdatedAt) : known?.ChangedAt ?? DateTimeOffset.UnixEpoch;

        using var buffer = new MemoryStream();
        using (var xml = XmlWriter.Create(buffer, new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = true }))
        {
            xml.WriteStartDocument();
            xml.WriteStartElement("feed", AtomNamespace);
            xml.WriteAttributeString("xml", "lang", XmlNamespace, text.Culture.Name);
            xml.WriteElementString("id", AtomNamespace, $"urn:uuid:{consortiumId:D}");
            xml.WriteElementString("title", AtomNamespace, text.Format("Atom.Title", name));
            xml.WriteElementString("updated", AtomNamespace, Rfc3339(updated, zone));
            xml.WriteStartElement("author", AtomNamespace);
            xml.WriteElementString("name", AtomNamespace, name);
            xml.WriteEndElement();
            Link(xml, "self", self, "application/atom+xml");
            if (next is not null) Link(xml, "next", next, "application/atom+xml");
            xml.WriteElementString("generator", AtomNamespace, "Consortium Platform events service");
            foreach (var entry in page.Items)
            {
                xml.WriteStartElement("entry", AtomNamespace);
                xml.WriteElementString("id", AtomNamespace, $"urn:uuid:{entry.Id:D}");
                var told = text.Of(entry);
                xml.WriteElementString("title", AtomNamespace, told.Title);
                xml.WriteElementString("updated", AtomNamespace, Rfc3339(entry.UpdatedAt, zone));
                xml.WriteElementString("published", AtomNamespace, Rfc3339(entry.OccurredAt, zone));
                xml.WriteStartElement("category", AtomNamespace);
                xml.WriteAttributeString("term", entry.Kind);
                xml.WriteEndElement();
                if (links.Resolve(entry.Link) is { } link)
                    Link(xml, "related", link.StartsWith('/') ? $"{request.Scheme}://{request.Host}{request.PathBase}{link}" : link, "application/json");
                xml.WriteStartElement("content", AtomNamespace);
                xml.WriteAttributeString("type", "text");
                xml.WriteString(told.Content);
                xml.WriteEndElement();
                xml.WriteEndElement();
            }
            xml.WriteEndElement();
            xml.WriteEndDocument();
        }
        var body = buffer.ToArray();
        if (FeedCaching.ClientHasCurrent(http, body)) return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        return TypedResults.File(body, $"{AtomMediaType}; charset=utf-8");
    }

    private static async Task<Ok<FeedRebuilt>> RebuildAsync(Guid? consortiumId, FeedProjection feed, FeedPages pages, CancellationToken cancellationToken)
    {
        var rebuilt = new FeedRebuilt(await feed.RebuildAsync(consortiumId, cancellationToken));
        // The operator reads the rebuilt feed at once on this instance; the others hear the triggers' NOTIFY.
        pages.Changed(consortiumId);
        return TypedResults.Ok(rebuilt);
    }

    private static void Link(XmlWriter xml, string rel, string href, string type)
    {
        xml.WriteStartElement("link", AtomNamespace);
        xml.WriteAttributeString("rel", rel);
        xml.WriteAttributeString("type", type);
        xml.WriteAttributeString("href", href);
        xml.WriteEndElement();
    }

    private static string Rfc3339(DateTimeOffset at, TimeZoneInfo zone) =>
        ConsortiumTime.Show(at, zone).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
}
