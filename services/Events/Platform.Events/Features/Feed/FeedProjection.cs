using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Platform.Events.Features.Feed;

/// <summary>
/// Writes feed entries from integration events. Live (from the consumer, inside its inbox transaction) it also
/// keeps the message as a <see cref="FeedSource"/>; a rebuild replays those sources into an empty feed and, since
/// ids and times come from the messages, produces the same entries.
/// </summary>
public sealed class FeedProjection(EventsDbContext db, TimeProvider time)
{
    private static readonly JsonSerializerOptions SourceJson = new(JsonSerializerDefaults.Web);
    private const string EmptyTally = "{}";

    /// <summary>Records a message the consumer received (once per message: the inbox sees to that).</summary>
    public async Task RecordAsync(Guid messageId, object message, CancellationToken cancellationToken)
    {
        var (story, receivedAt) = Keep(messageId, message);
        // The source row first: a rebuild locks feed_sources before touching entries, so both take locks in one order.
        await db.SaveChangesAsync(cancellationToken);
        switch (story)
        {
            case FeedLine line:
                Add(messageId, line, receivedAt);
                break;
            case PlacementMilestone placement:
                await CountAsync([(placement, receivedAt)], cancellationToken);
                break;
        }
    }

    /// <summary>
    /// Records placement messages received together (the new ones of a batch; the inbox has dropped the duplicates):
    /// their sources, then every placement counted into its program's line of the day, each line locked and written once.
    /// </summary>
    public async Task RecordPlacementsAsync(IReadOnlyList<(Guid MessageId, PlacementRecorded Message)> placements, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(placements);
        var milestones = placements.Select(p => Keep(p.MessageId, p.Message)).Select(k => ((PlacementMilestone)k.Story, k.ReceivedAt)).ToList();
        // Sources first, as in RecordAsync.
        await db.SaveChangesAsync(cancellationToken);
        await CountAsync(milestones, cancellationToken);
    }

    /// <summary>Keeps the message as a source of the feed (saved with the next SaveChanges) and returns its story and receipt time.</summary>
    private (FeedStory Story, DateTimeOffset ReceivedAt) Keep(Guid messageId, object message)
    {
        var story = FeedStories.Tell(message);
        var type = message.GetType();
        // Microseconds, as PostgreSQL keeps them: the entry written now and a rebuilt one carry the same updated time.
        var now = time.GetUtcNow();
        var receivedAt = now.AddTicks(-(now.Ticks % 10));
        db.FeedSources.Add(new FeedSource
        {
            MessageId = messageId,
            ConsortiumId = story.ConsortiumId,
            MessageType = type.Name,
            Body = JsonSerializer.Serialize(message, type, SourceJson),
            OccurredAt = story.OccurredAt.ToUniversalTime(),
            ReceivedAt = receivedAt,
        });
        return (story, receivedAt);
    }

    /// <summary>Empties the feed (of one consortium, or all) and replays every kept source into it. Returns the number of entries.</summary>
    public async Task<int> RebuildAsync(Guid? consortiumId, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // Consumers wait meanwhile (they insert sources), so nothing slips between the delete and the replay.
        await db.Database.ExecuteSqlRawAsync("LOCK TABLE feed_sources IN EXCLUSIVE MODE", cancellationToken);
        var entries = db.FeedEntries.AsQueryable();
        var sources = db.FeedSources.AsNoTracking();
        if (consortiumId is { } c)
        {
            entries = entries.Where(e => e.ConsortiumId == c);
            sources = sources.Where(s => s.ConsortiumId == c);
        }
        await entries.ExecuteDeleteAsync(cancellationToken);

        // Replayed in the order the messages were received, as they were written live.
        const int batch = 500;
        var position = (ReceivedAt: DateTimeOffset.MinValue, MessageId: Guid.Empty);
        while (true)
        {
            var after = position;
            var chunk = await sources
                .Where(s => s.ReceivedAt > after.ReceivedAt || (s.ReceivedAt == after.ReceivedAt && s.MessageId.CompareTo(after.MessageId) > 0))
                .OrderBy(s => s.ReceivedAt).ThenBy(s => s.MessageId).Take(batch).ToListAsync(cancellationToken);
            var placements = new List<(PlacementMilestone, DateTimeOffset)>();
            foreach (var source in chunk)
            {
                if (!FeedStories.Sources.TryGetValue(source.MessageType, out var type)) continue;
                var message = JsonSerializer.Deserialize(source.Body, type, SourceJson)!;
                switch (FeedStories.Tell(message))
                {
                    case FeedLine line:
                        Add(source.MessageId, line, source.ReceivedAt);
                        break;
                    case PlacementMilestone placement:
                        placements.Add((placement, source.ReceivedAt));
                        break;
                }
            }
            await CountAsync(placements, cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            db.ChangeTracker.Clear();
            if (chunk.Count < batch) break;
            position = (chunk[^1].ReceivedAt, chunk[^1].MessageId);
        }
        await transaction.CommitAsync(cancellationToken);
        return consortiumId is { } only ? await db.FeedEntries.CountAsync(e => e.ConsortiumId == only, cancellationToken) : await db.FeedEntries.CountAsync(cancellationToken);
    }

    private void Add(Guid messageId, FeedLine line, DateTimeOffset receivedAt) =>
        db.FeedEntries.Add(new FeedEntry(NameBasedId($"message:{messageId:D}"), line.ConsortiumId, ApiEnum.Name(line.Kind), line.English.Title, line.English.Content,
            line.Chinese.Title, line.Chinese.Content, line.OccurredAt, line.Link, receivedAt));

    /// <summary>
    /// Counts placements into their programs' lines of the day (local to each consortium): creates the missing lines,
    /// locks every line concerned in id order (so concurrent writers add up instead of overwriting each other, and
    /// never deadlock), counts each placement in the given order, and saves. One lock and one write per line however
    /// many placements it gets: that is what lets a batch keep up with a college's busy day.
    /// </summary>
    private async Task CountAsync(IReadOnlyList<(PlacementMilestone Placement, DateTimeOffset ReceivedAt)> placements, CancellationToken cancellationToken)
    {
        if (placements.Count == 0) return;
        var zones = new Dictionary<Guid, TimeZoneInfo>();
        foreach (var consortium in placements.Select(p => p.Placement.ConsortiumId).Distinct())
            zones[consortium] = await db.ZoneOfAsync(consortium, cancellationToken);
        var counted = placements.Select(p =>
        {
            var day = ConsortiumTime.Day(p.Placement.OccurredAt, zones[p.Placement.ConsortiumId]);
            return (p.Placement, p.ReceivedAt, Day: day, Id: NameBasedId($"placements:{p.Placement.ConsortiumId:D}:{p.Placement.ProgramId:D}:{day:yyyy-MM-dd}"));
        }).ToList();

        // Created and locked in PostgreSQL's uuid order (the text form's): two writers needing the same new lines
        // insert them in one order too, so they wait for each other instead of deadlocking.
        var lines = counted.DistinctBy(c => c.Id).OrderBy(c => c.Id.ToString("N"), StringComparer.Ordinal).ToList();
        foreach (var (placement, receivedAt, _, id) in lines)
        {
            var fresh = FeedEntry.PlacementDay(id, placement.ConsortiumId, placement.ProgramTitle, $"{PlatformApi.Prefix}/programs/{placement.ProgramId}", placement.OccurredAt, receivedAt);
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO feed_entries (id, consortium_id, kind, title, content, title_zh, content_zh, occurred_at, link, tally, updated_at)
                VALUES ({fresh.Id}, {fresh.ConsortiumId}, {fresh.Kind}, {fresh.Title}, {fresh.Content}, {fresh.TitleZh}, {fresh.ContentZh}, {fresh.OccurredAt}, {fresh.Link}, CAST({EmptyTally} AS jsonb), {fresh.UpdatedAt})
                ON CONFLICT (id) DO NOTHING
                """, cancellationToken);
        }
        var ids = lines.Select(c => c.Id).ToArray();
        var entries = (await db.FeedEntries.FromSql($"SELECT * FROM feed_entries WHERE id = ANY({ids}) ORDER BY id FOR UPDATE").ToListAsync(cancellationToken))
            .ToDictionary(e => e.Id);
        foreach (var (placement, receivedAt, _, id) in counted)
            entries[id].CountPlacement(placement.Type, placement.OccurredAt, receivedAt);
        // Each line told once, in both languages, under the title its latest placement gave the program.
        foreach (var (placement, _, day, id) in counted.GroupBy(c => c.Id).Select(g => g.Last()))
        {
            var (english, chinese) = FeedStories.PlacementDay(placement.ProgramTitle, day, entries[id].Tally!);
            entries[id].Retell(english.Title, english.Content, chinese.Title, chinese.Content);
        }
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>A name-based UUID (RFC 9562 version 5, SHA-1): the same name always gives the same id.</summary>
    public static Guid NameBasedId(string name)
    {
        var bytes = new byte[Namespace.Length + Encoding.UTF8.GetByteCount(name)];
        Namespace.CopyTo(bytes, 0);
        Encoding.UTF8.GetBytes(name, bytes.AsSpan(Namespace.Length));
#pragma warning disable CA5350 // SHA-1 is what UUID version 5 is defined with; it names, it does not protect.
        var hash = SHA1.HashData(bytes);
#pragma warning restore CA5350
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash.AsSpan(0, 16), bigEndian: true);
    }

    // The feed's own namespace (a fixed random UUID), so its ids never collide with another scheme's.
    private static readonly byte[] Namespace = Guid.Parse("6f1d2b8e-3c4a-4e57-9a0b-5d7c2e9f4a13").ToByteArray(bigEndian: true);
}
