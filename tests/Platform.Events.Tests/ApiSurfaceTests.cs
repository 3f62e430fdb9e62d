using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Platform.Events.Features.Feed;
using Platform.Membership.Contracts;
using Platform.TalentPipeline.Contracts;
using Platform.Testing;
using static Platform.Events.Tests.EventsServiceFixture;

namespace Platform.Events.Tests;

/// <summary>What a partner's generated client relies on (issue 12): operation names, typed filters, 404s, the feed's order and media types.</summary>
public sealed class ApiSurfaceTests(EventsServiceFixture fixture) : IClassFixture<EventsServiceFixture>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static async Task<JsonElement> DocumentAsync(HttpClient client)
    {
        using var response = await client.GetAsync(new Uri("/openapi/v1.json", UriKind.Relative), Cancel);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await ReadAsync(response);
    }

    [Fact]
    public async Task Every_operation_has_the_name_partners_generate_their_client_methods_from()
    {
        var document = await DocumentAsync(fixture.Operator);
        var names = document.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject().Where(o => o.Value.ValueKind == JsonValueKind.Object && o.Value.TryGetProperty("operationId", out _))
                .Select(o => o.Value.GetProperty("operationId").GetString()))
            .Order(StringComparer.Ordinal).ToList();
        string[] expected =
        [
            "planEvent", "listEvents", "getEvent", "scheduleEvent", "openEventRegistration", "closeEventRegistration", "holdEvent", "cancelEvent",
            "registerForEvent", "listRegistrations", "getRegistration", "cancelRegistration", "checkInRegistration",
            "recordAgreement", "recordUnveiling", "recordCouncilDesignations", "publishCompetitionResults", "listAgreements",
            "listMembers", "getFeed", "getFeedAtom", "rebuildFeed",
        ];
        Assert.Equal(expected.Order(StringComparer.Ordinal), names.Where(n => expected.Contains(n)));
        Assert.True(document.GetProperty("paths").TryGetProperty("/api/v1/events/{eventId}", out _));
    }

    [Fact]
    public async Task The_feed_entry_is_typed_in_the_document_kind_an_enum_and_tally_a_record_of_counts()
    {
        var schemas = (await DocumentAsync(fixture.Operator)).GetProperty("components").GetProperty("schemas");
        var kinds = schemas.GetProperty("FeedEntryKind");
        Assert.Equal("string", kinds.GetProperty("type").GetString());
        Assert.Contains("placementMilestones", kinds.GetProperty("enum").EnumerateArray().Select(k => k.GetString()));
        var tally = schemas.GetProperty("PlacementTally").GetProperty("properties");
        Assert.All(new[] { "enrolled", "internshipStarted", "employed", "retained12Months", "withdrawn", "other" },
            member => Assert.True(tally.TryGetProperty(member, out _), member));
        var entry = schemas.GetProperty("FeedEntryResponse").GetProperty("properties");
        Assert.True(entry.TryGetProperty("published", out _));
        Assert.True(entry.TryGetProperty("updated", out _));
        Assert.Equal(["active", "applied", "rejected", "suspended", "withdrawn"],
            schemas.GetProperty("MembershipStatus").GetProperty("enum").EnumerateArray().Select(s => s.GetString()).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task The_Atom_feed_is_declared_and_served_as_application_atom_xml()
    {
        var document = await DocumentAsync(fixture.Operator);
        var ok = document.GetProperty("paths").GetProperty("/api/v1/feed.atom").GetProperty("get").GetProperty("responses").GetProperty("200").GetProperty("content");
        Assert.Equal(["application/atom+xml"], ok.EnumerateObject().Select(c => c.Name));
        Assert.Equal("string", ok.GetProperty("application/atom+xml").GetProperty("schema").GetProperty("type").GetString());

        var consortium = await fixture.NewConsortiumAsync();
        using var response = await fixture.Operator.GetAsync(new Uri($"/api/v1/feed.atom?consortiumId={consortium.Id}", UriKind.Relative), Cancel);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/atom+xml", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("/api/v1/feed?consortiumId={0}")]
    [InlineData("/api/v1/feed.atom?consortiumId={0}")]
    [InlineData("/api/v1/members?consortiumId={0}")]
    [InlineData("/api/v1/agreements?consortiumId={0}")]
    public async Task A_consortium_this_service_never_heard_of_is_404_even_for_the_operator(string path)
    {
        using var response = await fixture.Operator.GetAsync(new Uri(string.Format(System.Globalization.CultureInfo.InvariantCulture, path, Guid.CreateVersion7()), UriKind.Relative), Cancel);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("/api/v1/events?status=Draft", "status")]
    [InlineData("/api/v1/events?status=1", "status")]
    [InlineData("/api/v1/events?kind=SYMPOSIUM", "kind")]
    [InlineData("/api/v1/members?consortiumId={0}&status=Active", "status")]
    [InlineData("/api/v1/events/{1}/registrations?status=seated", "status")]
    public async Task Enum_filters_take_only_their_API_spelling_and_name_the_parameter(string path, string parameter)
    {
        var consortium = await fixture.NewConsortiumAsync();
        var eventId = await fixture.PlanEventAsync(consortium);
        using var response = await fixture.Operator.GetAsync(new Uri(string.Format(System.Globalization.CultureInfo.InvariantCulture, path, consortium.Id, eventId), UriKind.Relative), Cancel);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var messages = (await ReadAsync(response)).GetProperty("errors").GetProperty(parameter);
        Assert.Contains("one of", messages[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Enum_filters_in_their_API_spelling_filter()
    {
        var consortium = await fixture.NewConsortiumAsync();
        var draft = await fixture.PlanEventAsync(consortium, until: "draft");
        var open = await fixture.PlanEventAsync(consortium, kind: "jobFair");

        var drafts = await GetJsonAsync(fixture.Operator, $"/api/v1/events?consortiumId={consortium.Id}&status=draft");
        Assert.Equal([draft], drafts.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("id").GetGuid()));
        var fairs = await GetJsonAsync(fixture.Operator, $"/api/v1/events?consortiumId={consortium.Id}&kind=jobFair&status=registrationOpen");
        Assert.Equal([open], fairs.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("id").GetGuid()));
        var applicants = await GetJsonAsync(fixture.Operator, $"/api/v1/members?consortiumId={consortium.Id}&status=applied");
        Assert.Equal([consortium.Applicant], applicants.GetProperty("items").EnumerateArray().Select(m => m.GetProperty("organizationId").GetGuid()));

        using (var registered = await fixture.Operator.PostAsJsonAsync($"/api/v1/events/{open}/registrations",
                   new { personName = "Li Na", organizationId = consortium.College, email = "li.na@example.cn" }, Cancel))
            Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        var waitlisted = await GetJsonAsync(fixture.Operator, $"/api/v1/events/{open}/registrations?status=waitlisted");
        Assert.Equal(0, waitlisted.GetProperty("items").GetArrayLength());
        var seated = await GetJsonAsync(fixture.Operator, $"/api/v1/events/{open}/registrations?status=registered");
        Assert.Equal(1, seated.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task A_backdated_placement_received_after_newer_news_tops_the_page_a_poller_reads_next()
    {
        var consortium = await fixture.NewConsortiumAsync();   // 4 entries
        await fixture.Service.PublishAsync(new CouncilSessionOpened
        {
            ConsortiumId = consortium.Id, SessionNumber = 2, StartsOn = new(2025, 1, 1), EndsOn = new(2029, 12, 31), OccurredAt = DateTimeOffset.UtcNow,
        });
        var first = await FirstPageAsync(consortium.Id, entries: 5);
        Assert.Equal("councilSessionOpened", first[0].GetProperty("kind").GetString());

        // A college's system sends a placement of 2024 only now.
        var programId = Guid.CreateVersion7();
        var happened = new DateTimeOffset(2024, 6, 3, 10, 0, 0, TimeSpan.FromHours(8));
        await fixture.Service.PublishAsync(new PlacementRecorded
        {
            EventId = "late-1", CollegeId = consortium.College, ProgramId = programId, ConsortiumId = consortium.Id,
            ProgramTitle = "Intelligent welding order class", TraineeRef = "T-late", Type = "employed", EnterpriseId = consortium.Enterprise,
            OccurredAt = happened, Stage = "employed", Flagged = false, AcceptedAt = DateTimeOffset.UtcNow,
        });
        var next = await FirstPageAsync(consortium.Id, entries: 6);

        // On top of the page the poller reads next, not behind everything that happened since 2024.
        var late = next[0];
        Assert.Equal("placementMilestones", late.GetProperty("kind").GetString());
        Assert.Equal(happened, late.GetProperty("published").GetDateTimeOffset());
        Assert.True(late.GetProperty("updated").GetDateTimeOffset() > first[0].GetProperty("updated").GetDateTimeOffset());
        Assert.Equal(1, late.GetProperty("tally").GetProperty("employed").GetInt32());
        Assert.Equal(first[0].GetProperty("id").GetGuid(), next[1].GetProperty("id").GetGuid());
    }

    /// <summary>The first page (two entries) a poller reads, once the feed has <paramref name="entries"/> entries.</summary>
    private async Task<List<JsonElement>> FirstPageAsync(Guid consortiumId, int entries)
    {
        await ServiceUnderTest<Program>.EventuallyAsync(async () =>
            (await GetJsonAsync(fixture.Operator, $"/api/v1/feed?consortiumId={consortiumId}&limit=200")).GetProperty("items").GetArrayLength() >= entries,
            $"the feed has {entries} entries");
        var page = await GetJsonAsync(fixture.Operator, $"/api/v1/feed?consortiumId={consortiumId}&limit=2");
        return [.. page.GetProperty("items").EnumerateArray().Select(e => e.Clone())];
    }

    [Fact]
    public void A_program_link_is_left_out_when_talent_pipeline_s_address_is_unknown_and_uses_service_discovery_otherwise()
    {
        var programLink = $"/api/v1/programs/{Guid.CreateVersion7()}";
        var unknown = new FeedLinks(new ConfigurationBuilder().Build());
        Assert.Null(unknown.Resolve(programLink));
        Assert.Equal("/api/v1/events/x", unknown.Resolve("/api/v1/events/x"));

        var discovered = new FeedLinks(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["services:talent-pipeline:http:0"] = "http://10.0.4.12:5102/",
        }).Build());
        Assert.Equal("http://10.0.4.12:5102" + programLink, discovered.Resolve(programLink));

        var published = new FeedLinks(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Platform:PublicUrls:talent-pipeline"] = "https://pipeline.example.cn",
            ["services:talent-pipeline:http:0"] = "http://10.0.4.12:5102",
        }).Build());
        Assert.Equal("https://pipeline.example.cn" + programLink, published.Resolve(programLink));
    }
}
