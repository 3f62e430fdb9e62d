using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Xml.Linq;
using Microsoft.Extensions.DependencyInjection;
using Platform.Membership.Contracts;
using Platform.ServiceDefaults.Persistence;
using Platform.TalentPipeline.Contracts;
using Platform.Testing;
using static Platform.Events.Tests.EventsServiceFixture;

namespace Platform.Events.Tests;

public sealed class FeedTests(EventsServiceFixture fixture) : IClassFixture<EventsServiceFixture>
{
    private static readonly XNamespace Atom = "http://www.w3.org/2005/Atom";
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_feed_tells_every_service_s_events_in_sentences_and_aggregates_placements_per_program_and_day()
    {
        var (consortium, programId) = await NewsworthyConsortiumAsync();
        var entries = await FeedAsync(consortium.Id, expected: 11);
        var titles = entries.Select(e => e.GetProperty("title").GetString()).ToList();

        Assert.Contains($"{TestConsortium.EnterpriseName} joined the consortium", titles);
        Assert.Contains($"{TestConsortium.TechnicianCollegeName} was designated vice chair of the 1st council", titles);
        Assert.Contains($"{TestConsortium.CollegeName} and {TestConsortium.EnterpriseName} launched an order class “Intelligent welding order class”", titles);
        Assert.Contains($"{TestConsortium.CollegeName} and {TestConsortium.EnterpriseName} signed an order-class agreement for intelligent welding", titles);

        // Five placement events on one Jining day make one line; a sixth on the next day makes another.
        var placements = entries.Where(e => e.GetProperty("kind").GetString() == "placementMilestones").ToList();
        Assert.Equal(2, placements.Count);
        var busyDay = placements.Single(e => e.GetProperty("title").GetString() == "Intelligent welding order class: 5 placement milestones on 2025-03-01");
        Assert.Equal("2 trainees started an internship; 3 trainees were employed.", busyDay.GetProperty("content").GetString());
        Assert.Equal(3, busyDay.GetProperty("tally").GetProperty("employed").GetInt32());
        Assert.Equal(2, busyDay.GetProperty("tally").GetProperty("internshipStarted").GetInt32());
        Assert.Equal(0, busyDay.GetProperty("tally").GetProperty("withdrawn").GetInt32());
        // Published when the story happened (the latest placement of that day), shown in the consortium's zone.
        Assert.Equal("2025-03-01T17:30:00+08:00", busyDay.GetProperty("published").GetString());
        // Programs live in talent-pipeline: linked at its public address, not this service's.
        Assert.Equal($"{EventsServiceFixture.TalentPipelineUrl}/api/v1/programs/{programId}", busyDay.GetProperty("link").GetString());
        Assert.Contains(placements, e => e.GetProperty("title").GetString() == "Intelligent welding order class: 1 placement milestone on 2025-03-02");
        var agreement = entries.Single(e => e.GetProperty("kind").GetString() == "agreementSigned");
        Assert.StartsWith("/api/v1/events/", agreement.GetProperty("link").GetString(), StringComparison.Ordinal);

        // Most recently updated first; updated is when this service wrote the entry, after the story happened.
        var updated = entries.Select(e => e.GetProperty("updated").GetDateTimeOffset()).ToList();
        Assert.Equal(updated.OrderByDescending(t => t), updated);
        Assert.All(entries, e => Assert.True(e.GetProperty("updated").GetDateTimeOffset() >= e.GetProperty("published").GetDateTimeOffset()));
    }

    [Fact]
    public async Task The_Atom_feed_is_well_formed_Atom_1_0_with_the_required_elements()
    {
        var (consortium, _) = await NewsworthyConsortiumAsync();
        var json = await FeedAsync(consortium.Id, expected: 11);

        using var response = await fixture.Operator.GetAsync(new Uri($"/api/v1/feed.atom?consortiumId={consortium.Id}", UriKind.Relative), Cancel);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/atom+xml", response.Content.Headers.ContentType?.MediaType);
        var feed = XDocument.Parse(await response.Content.ReadAsStringAsync(Cancel)).Root!;

        Assert.Equal(Atom + "feed", feed.Name);
        Assert.Equal($"urn:uuid:{consortium.Id}", feed.Element(Atom + "id")?.Value);
        Assert.Equal("Jining Technician Education Group: activity", feed.Element(Atom + "title")?.Value);
        // Atom times are written to the second.
        var newest = json.Max(e => e.GetProperty("updated").GetDateTimeOffset());
        Assert.Equal(newest.AddTicks(-(newest.Ticks % TimeSpan.TicksPerSecond)), DateTimeOffset.Parse(feed.Element(Atom + "updated")!.Value, System.Globalization.CultureInfo.InvariantCulture));
        Assert.False(string.IsNullOrWhiteSpace(feed.Element(Atom + "author")?.Element(Atom + "name")?.Value));
        var self = feed.Elements(Atom + "link").Single(l => (string?)l.Attribute("rel") == "self");
        Assert.Contains($"/api/v1/feed.atom?consortiumId={consortium.Id}", (string?)self.Attribute("href"), StringComparison.Ordinal);

        var entries = feed.Elements(Atom + "entry").ToList();
        Assert.Equal(json.Select(e => $"urn:uuid:{e.GetProperty("id").GetGuid()}"), entries.Select(e => e.Element(Atom + "id")?.Value));
        Assert.All(entries, entry =>
        {
            Assert.False(string.IsNullOrWhiteSpace(entry.Element(Atom + "title")?.Value));
            Assert.True(DateTimeOffset.TryParse(entry.Element(Atom + "updated")?.Value, System.Globalization.CultureInfo.InvariantCulture, out _));
            Assert.True(DateTimeOffset.TryParse(entry.Element(Atom + "published")?.Value, System.Globalization.CultureInfo.InvariantCulture, out _));
            Assert.Equal("text", (string?)entry.Element(Atom + "content")?.Attribute("type"));
            Assert.False(string.IsNullOrWhiteSpace(entry.Element(Atom + "content")?.Value));
        });
    }

    [Fact]
    public async Task Rebuilding_the_feed_from_scratch_gives_the_same_entries()
    {
        var (consortium, _) = await NewsworthyConsortiumAsync();
        var before = await FeedAsync(consortium.Id, expected: 11);

        using var partner = fixture.Service.ClientWithKey(await fixture.Service.IssuePartnerKeyAsync(consortium.College, "events:write", "events:read"));
        using var refused = await partner.PostAsync(new Uri($"/api/v1/feed/rebuild?consortiumId={consortium.Id}", UriKind.Relative), null, Cancel);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);

        using var rebuilt = await fixture.Operator.PostAsync(new Uri($"/api/v1/feed/rebuild?consortiumId={consortium.Id}", UriKind.Relative), null, Cancel);
        Assert.Equal(HttpStatusCode.OK, rebuilt.StatusCode);
        Assert.Equal(11, (await ReadAsync(rebuilt)).GetProperty("entries").GetInt32());
        var after = await FeedAsync(consortium.Id, expected: 11);
        Assert.Equal(before.Select(e => e.GetRawText()), after.Select(e => e.GetRawText()));
    }

    [Fact]
    public async Task A_redelivered_message_adds_nothing_and_pages_walk_the_feed_without_gaps()
    {
        var consortium = await fixture.NewConsortiumAsync();
        await FeedAsync(consortium.Id, expected: 4);   // established + three members joined

        // The same message (same MessageId) delivered twice, as after a lost acknowledgement.
        var messageId = Guid.CreateVersion7();
        var message = new CouncilSessionOpened { ConsortiumId = consortium.Id, SessionNumber = 2, StartsOn = new(2025, 1, 1), EndsOn = new(2029, 12, 31), OccurredAt = DateTimeOffset.UtcNow };
        await PublishWithIdAsync(messageId, message);
        await FeedAsync(consortium.Id, expected: 5);
        await PublishWithIdAsync(messageId, message);
        await fixture.Service.PublishAsync(new CharterApproved
        {
            ConsortiumId = consortium.Id, CharterId = Guid.CreateVersion7(), Version = 2, ApprovedOn = new(2025, 1, 15), ApprovedBySession = 2, OccurredAt = DateTimeOffset.UtcNow,
        });
        var entries = await FeedAsync(consortium.Id, expected: 6);
        Assert.Single(entries, e => e.GetProperty("kind").GetString() == "councilSessionOpened");

        var walked = new List<Guid>();
        string? cursor = null;
        do
        {
            var page = await GetJsonAsync(fixture.Operator, $"/api/v1/feed?consortiumId={consortium.Id}&limit=4{(cursor is null ? "" : $"&cursor={Uri.EscapeDataString(cursor)}")}");
            walked.AddRange(page.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("id").GetGuid()));
            cursor = page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);
        Assert.Equal(entries.Select(e => e.GetProperty("id").GetGuid()), walked);
    }

    [Fact]
    public async Task Feed_reads_need_the_events_read_scope_and_a_consortium()
    {
        var consortium = await fixture.NewConsortiumAsync();
        using var anonymous = fixture.Service.ClientWithKey(null);
        using var noKey = await anonymous.GetAsync(new Uri($"/api/v1/feed.atom?consortiumId={consortium.Id}", UriKind.Relative), Cancel);
        Assert.Equal(HttpStatusCode.Unauthorized, noKey.StatusCode);
        using var pipeline = fixture.Service.ClientWithKey(await fixture.Service.IssuePartnerKeyAsync(consortium.College, "pipeline:read"));
        using var wrongScope = await pipeline.GetAsync(new Uri($"/api/v1/feed?consortiumId={consortium.Id}", UriKind.Relative), Cancel);
        Assert.Equal(HttpStatusCode.Forbidden, wrongScope.StatusCode);
        using var reader = fixture.Service.ClientWithKey(await fixture.Service.IssuePartnerKeyAsync(consortium.College, "events:read"));
        using var allowed = await reader.GetAsync(new Uri($"/api/v1/feed.atom?consortiumId={consortium.Id}", UriKind.Relative), Cancel);
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        using var withoutConsortium = await reader.GetAsync(new Uri("/api/v1/feed", UriKind.Relative), Cancel);
        Assert.Equal(HttpStatusCode.BadRequest, withoutConsortium.StatusCode);
    }

    [Fact]
    public async Task Placements_are_counted_exactly_once_in_batches_despite_redelivered_copies_and_a_rebuild_meanwhile()
    {
        var consortium = await fixture.NewConsortiumAsync();
        var programId = Guid.CreateVersion7();
        string[] types = ["internshipStarted", "offerMade", "employed"];
        var morning = new DateTimeOffset(2025, 4, 1, 8, 0, 0, TimeSpan.FromHours(8));
        // 600 placements of one program on one Jining day (so every one of them counts into the same line), 8:00 to 17:59.
        var placements = Enumerable.Range(0, 600).Select(n => (MessageId: Guid.CreateVersion7(), Message: new PlacementRecorded
        {
            EventId = $"load-{n}", CollegeId = consortium.College, ProgramId = programId, ConsortiumId = consortium.Id,
            ProgramTitle = "CNC machining apprenticeship", TraineeRef = $"T-{n}", Type = types[n % 3], EnterpriseId = consortium.Enterprise,
            OccurredAt = morning.AddMinutes(n), Stage = types[n % 3], Flagged = false, AcceptedAt = DateTimeOffset.UtcNow,
        })).ToList();

        // 400 at once: the consumer takes them in batches, several batches in flight, while the feed is rebuilt.
        await PublishWithIdsAsync(placements[..400]);
        using (var rebuilt = await fixture.Operator.PostAsync(new Uri($"/api/v1/feed/rebuild?consortiumId={consortium.Id}", UriKind.Relative), null, Cancel))
            Assert.Equal(HttpStatusCode.OK, rebuilt.StatusCode);
        // Then every one of them again (same MessageIds, as after lost acknowledgements), mixed with the 200 not sent yet,
        // so batches hold new messages and copies together.
        await PublishWithIdsAsync([.. placements[..400].Concat(placements[400..]).OrderBy(_ => Random.Shared.Next())]);

        JsonElement line = default;
        var counted = 0;
        // Generous: on CI's two cores this shares the machine with two other test lanes. A count short of 600 at the
        // end is a lost batch; 600 reached late is only a slow machine.
        await ServiceUnderTest<Program>.EventuallyAsync(async () =>
        {
            line = await PlacementLineAsync(consortium.Id);
            counted = line.ValueKind == JsonValueKind.Object ? line.GetProperty("tally").EnumerateObject().Sum(t => t.Value.GetInt32()) : 0;
            return counted >= 600;
        }, "the feed counted 600 placements", TimeSpan.FromSeconds(120), () => $"{counted} counted");
        // Copies still in flight would show up as more than 600 meanwhile.
        await Task.Delay(TimeSpan.FromSeconds(1), Cancel);
        line = await PlacementLineAsync(consortium.Id);

        Assert.Equal("CNC machining apprenticeship: 600 placement milestones on 2025-04-01", line.GetProperty("title").GetString());
        Assert.Equal("200 trainees started an internship; 200 trainees received a job offer; 200 trainees were employed.", line.GetProperty("content").GetString());
        Assert.Equal(200, line.GetProperty("tally").GetProperty("employed").GetInt32());
        Assert.Equal("2025-04-01T17:59:00+08:00", line.GetProperty("published").GetString());

        // A rebuild from the kept sources gives the same line.
        using (var rebuilt = await fixture.Operator.PostAsync(new Uri($"/api/v1/feed/rebuild?consortiumId={consortium.Id}", UriKind.Relative), null, Cancel))
            Assert.Equal(HttpStatusCode.OK, rebuilt.StatusCode);
        Assert.Equal(line.GetRawText(), (await PlacementLineAsync(consortium.Id)).GetRawText());
    }

    private async Task<JsonElement> PlacementLineAsync(Guid consortiumId)
    {
        var page = await GetJsonAsync(fixture.Operator, $"/api/v1/feed?consortiumId={consortiumId}&limit=200");
        return page.GetProperty("items").EnumerateArray().SingleOrDefault(e => e.GetProperty("kind").GetString() == "placementMilestones");
    }

    /// <summary>A consortium with news from membership, talent-pipeline and this service: 11 feed entries.</summary>
    private async Task<(TestConsortium Consortium, Guid ProgramId)> NewsworthyConsortiumAsync()
    {
        var consortium = await fixture.NewConsortiumAsync();   // 1 established + 3 joined
        await fixture.Service.PublishAsync(new CouncilRoleAssigned
        {
            ConsortiumId = consortium.Id, SessionNumber = 1, OrganizationId = consortium.TechnicianCollege,
            OrganizationName = TestConsortium.TechnicianCollegeName, Role = "viceChair", OccurredAt = new DateTimeOffset(2025, 1, 10, 2, 0, 0, TimeSpan.Zero),
        });
        var programId = Guid.CreateVersion7();
        await fixture.Service.PublishAsync(new ProgramLaunched
        {
            ProgramId = programId, ConsortiumId = consortium.Id, Kind = "orderClass", Title = "Intelligent welding order class", Occupation = "intelligent welding",
            Colleges = [new ProgramParty { OrganizationId = consortium.College, Name = TestConsortium.CollegeName }],
            Enterprises = [new ProgramParty { OrganizationId = consortium.Enterprise, Name = TestConsortium.EnterpriseName }],
            Seats = 40, OccurredAt = new DateTimeOffset(2025, 2, 1, 1, 0, 0, TimeSpan.Zero),
        });
        var placements = new (string Type, DateTimeOffset At)[]
        {
            ("internshipStarted", new(2025, 3, 1, 8, 0, 0, TimeSpan.FromHours(8))),
            ("internshipStarted", new(2025, 3, 1, 9, 0, 0, TimeSpan.FromHours(8))),
            ("employed", new(2025, 3, 1, 10, 0, 0, TimeSpan.FromHours(8))),
            ("employed", new(2025, 3, 1, 11, 0, 0, TimeSpan.FromHours(8))),
            ("employed", new(2025, 3, 1, 17, 30, 0, TimeSpan.FromHours(8))),
            ("employed", new(2025, 3, 2, 0, 30, 0, TimeSpan.FromHours(8))),   // 16:30 UTC on 1 March, but 2 March in Jining
        };
        var n = 0;
        foreach (var (type, at) in placements)
        {
            n++;
            await fixture.Service.PublishAsync(new PlacementRecorded
            {
                EventId = $"sis-{n}", CollegeId = consortium.College, ProgramId = programId, ConsortiumId = consortium.Id,
                ProgramTitle = "Intelligent welding order class", TraineeRef = $"T-{n}", Type = type, EnterpriseId = consortium.Enterprise,
                OccurredAt = at, Stage = type, Flagged = false, AcceptedAt = DateTimeOffset.UtcNow,
            });
        }
        var ceremony = await fixture.PlanEventAsync(consortium, kind: "signingCeremony", until: "held");
        using var signed = await fixture.Operator.PostAsJsonAsync($"/api/v1/events/{ceremony}/outcomes/agreements", new
        {
            parties = new[] { consortium.College, consortium.Enterprise }, kind = "orderClass",
            title = "Intelligent welding order class agreement", occupation = "intelligent welding",
        }, Cancel);
        Assert.Equal(HttpStatusCode.Created, signed.StatusCode);
        // 4 + role + program + 2 placement days + agreement, and the ceremony's scheduled and held lines.
        return (consortium, programId);
    }

    /// <summary>Every entry of the consortium's feed once it has <paramref name="expected"/> of them.</summary>
    private async Task<List<JsonElement>> FeedAsync(Guid consortiumId, int expected)
    {
        List<JsonElement> entries = [];
        await ServiceUnderTest<Program>.EventuallyAsync(async () =>
        {
            var page = await GetJsonAsync(fixture.Operator, $"/api/v1/feed?consortiumId={consortiumId}&limit=200");
            entries = [.. page.GetProperty("items").EnumerateArray().Select(e => e.Clone())];
            return entries.Count >= expected && entries.Where(e => e.GetProperty("kind").GetString() == "placementMilestones")
                .Sum(e => e.GetProperty("tally").EnumerateObject().Sum(t => t.Value.GetInt32())) is 0 or 6;
        }, $"the feed has {expected} entries");
        return entries;
    }

    private Task PublishWithIdAsync<T>(Guid messageId, T message) where T : class => PublishWithIdsAsync([(messageId, message)]);

    /// <summary>Messages with the given MessageIds through the outbox in one transaction; returns once all are on the broker.</summary>
    private async Task PublishWithIdsAsync<T>(IReadOnlyList<(Guid MessageId, T Message)> messages) where T : class
    {
        await using var scope = fixture.Service.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PlatformDbContext>();
        foreach (var (messageId, message) in messages)
        {
            db.OutboxMessages.Add(new OutboxMessage
            {
                MessageId = messageId,
                MessageType = $"{typeof(T).FullName}, {typeof(T).Assembly.GetName().Name}",
                Body = JsonSerializer.Serialize(message, JsonSerializerOptions.Web),
                CreatedAt = DateTimeOffset.UtcNow,
            });
        }
        await db.SaveChangesAsync(Cancel);
        // The outbox keeps a row until the broker confirmed it; wait for that, so a second copy can reuse the id.
        var ids = messages.Select(m => m.MessageId).ToList();
        await ServiceUnderTest<Program>.EventuallyAsync(async () =>
        {
            await using var check = fixture.Service.Services.CreateAsyncScope();
            var pending = check.ServiceProvider.GetRequiredService<PlatformDbContext>();
            return !await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.AnyAsync(pending.OutboxMessages, m => ids.Contains(m.MessageId), Cancel);
        }, "the outbox delivered the copies");
    }
}
