using System.Globalization;
using System.Text;
using System.Xml;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Platform.Events.Domain;
using Platform.Events.Features.Directory;
using Platform.Events.Persistence;
using Platform.ServiceDefaults.Auth;
using Platform.ServiceDefaults.Http;

namespace Platform.Events.Features.Feed;

/// <summary>One line of the activity feed. Times carry the offset of the consortium's zone.</summary>
public sealed record FeedEntryResponse
{
    /// <summary>Stable: derived from the message the entry tells about, so a rebuilt feed has the same ids.</summary>
    public required Guid Id { get; init; }
    public required Guid ConsortiumId { get; init; }
    /// <summary>e.g. <c>memberJoined</c>, <c>councilRoleDesignated</c>, <c>programLaunched</c>, <c>agreementSigned</c>, <c>plaqueUnveiled</c>, <c>placementMilestones</c>.</summary>
    public required string Kind { get; init; }
    /// <summary>A readable sentence.</summary>
    public required string Title { get; init; }
    public required string Content { get; init; }
    public required DateTimeOffset OccurredAt { get; init; }
    public string? Link { get; init; }
    /// <summary>For <c>placementMilestones</c>: placement events of that program and day, per type.</summary>
    public IReadOnlyDictionary<string, int>? Tally { get; init; }

    public static FeedEntryResponse From(FeedEntry e, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(e);
        return new FeedEntryResponse
        {
            Id = e.Id,
            ConsortiumId = e.ConsortiumId,
            Kind = e.Kind,
            Title = e.Title,
            Content = e.Content,
            OccurredAt = ConsortiumTime.Show(e.OccurredAt, zone),
            Link = e.Link,
            Tally = e.Tally,
        };
    }
}

/// <summary>The answer to a rebuild.</summary>
public sealed record FeedRebuilt(int Entries);

/// <summary><c>/api/v1/feed</c>: a consortium's activity feed as JSON (cursor paging) and Atom 1.0.</summary>
public static class FeedEndpoints
{
    private const string AtomNamespace = "http://www.w3.org/2005/Atom";

    public static IEndpointRouteBuilder MapFeedEndpoints(this IEndpointRouteBuilder app)
    {
        var feed = app.MapGroup("/api/v1").WithTags("Feed");
        feed.MapGet("/feed", ReadAsync).RequireScope(Scopes.EventsRead)
            .WithSummary("The consortium's activity feed, newest first; a partner reads only the feeds of consortia its organization belongs to (404 otherwise)");
        feed.MapGet("/feed.atom", ReadAtomAsync).RequireScope(Scopes.EventsRead)
            .Produces(StatusCodes.Status200OK, contentType: "application/atom+xml")
            .WithSummary("The same feed as Atom 1.0 (one page; rel=next links the following page)");
        feed.MapPost("/feed/rebuild", RebuildAsync).RequireScope(Scopes.EventsWrite)
            .WithSummary("Operator only: empty the feed (of one consortium, or all) and rebuild it from the kept messages");
        return app;
    }

    private static async Task<Results<Ok<Page<FeedEntryResponse>>, ValidationProblem, ProblemHttpResult>> ReadAsync(
        Guid? consortiumId, PageRequest paging, Caller caller, EventsDbContext db, CancellationToken cancellationToken)
    {
        if (consortiumId is not { } consortium) return Problems.Validation(("consortiumId", "Required: each consortium has its own feed."));
        if (!await db.CanReadConsortiumAsync(caller, consortium, cancellationToken)) return Problems.NotFound();
        var zone = await db.ZoneOfAsync(consortium, cancellationToken);
        var page = await db.FeedEntries.AsNoTracking().Where(e => e.ConsortiumId == consortium)
            .ToPageAsync(e => e.OccurredAt, e => e.Id, paging, cancellationToken);
        return TypedResults.Ok(page.Map(e => FeedEntryResponse.From(e, zone)));
    }

    private static async Task<Results<FileContentHttpResult, ValidationProblem, ProblemHttpResult>> ReadAtomAsync(
        Guid? consortiumId, PageRequest paging, HttpRequest request, Caller caller, EventsDbContext db, CancellationToken cancellationToken)
    {
        if (consortiumId is not { } consortium) return Problems.Validation(("consortiumId", "Required: each consortium has its own feed."));
        if (!await db.CanReadConsortiumAsync(caller, consortium, cancellationToken)) return Problems.NotFound();
        var known = await db.KnownConsortia.AsNoTracking().SingleOrDefaultAsync(c => c.Id == consortium, cancellationToken);
        var zone = ConsortiumTime.Zone(known?.TimeZone);
        var page = await db.FeedEntries.AsNoTracking().Where(e => e.ConsortiumId == consortium)
            .ToPageAsync(e => e.OccurredAt, e => e.Id, paging, cancellationToken);

        var self = $"{request.Scheme}://{request.Host}{request.PathBase}{request.Path}{request.QueryString}";
        var next = page.NextCursor is null ? null
            : $"{request.Scheme}://{request.Host}{request.PathBase}{request.Path}?consortiumId={consortium:D}&limit={paging.Limit.ToString(CultureInfo.InvariantCulture)}&cursor={Uri.EscapeDataString(page.NextCursor)}";
        var name = known?.Name ?? "Consortium";
        // A feed's updated is its newest entry's; an empty feed has not changed since the consortium was announced.
        var updated = page.Items.Count > 0 ? page.Items.Max(e => e.OccurredAt) : known?.ChangedAt ?? DateTimeOffset.UnixEpoch;

        using var buffer = new MemoryStream();
        using (var xml = XmlWriter.Create(buffer, new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = true }))
        {
            xml.WriteStartDocument();
            xml.WriteStartElement("feed", AtomNamespace);
            xml.WriteElementString("id", AtomNamespace, $"urn:uuid:{consortium:D}");
            xml.WriteElementString("title", AtomNamespace, $"{name}: activity");
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
                xml.WriteElementString("title", AtomNamespace, entry.Title);
                xml.WriteElementString("updated", AtomNamespace, Rfc3339(entry.OccurredAt, zone));
                xml.WriteStartElement("category", AtomNamespace);
                xml.WriteAttributeString("term", entry.Kind);
                xml.WriteEndElement();
                if (entry.Link is { } link) Link(xml, "related", $"{request.Scheme}://{request.Host}{request.PathBase}{link}", "application/json");
                xml.WriteStartElement("content", AtomNamespace);
                xml.WriteAttributeString("type", "text");
                xml.WriteString(entry.Content);
                xml.WriteEndElement();
                xml.WriteEndElement();
            }
            xml.WriteEndElement();
            xml.WriteEndDocument();
        }
        return TypedResults.File(buffer.ToArray(), "application/atom+xml; charset=utf-8");
    }

    private static async Task<Results<Ok<FeedRebuilt>, ProblemHttpResult>> RebuildAsync(
        Guid? consortiumId, Caller caller, FeedProjection feed, CancellationToken cancellationToken)
    {
        if (!caller.IsOperator) return Problems.Status(StatusCodes.Status403Forbidden, "Only the operator rebuilds the feed.");
        return TypedResults.Ok(new FeedRebuilt(await feed.RebuildAsync(consortiumId, cancellationToken)));
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
