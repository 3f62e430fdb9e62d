using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Resources;
using System.ServiceModel.Syndication;
using System.Text.Json;
using System.Xml;
using Platform.Events.Features.Feed;
using Platform.Membership.Contracts;
using Platform.TalentPipeline.Contracts;
using Platform.Testing;
using static Platform.Events.Tests.EventsServiceFixture;

namespace Platform.Events.Tests;

/// <summary>The feed in the reader's language: English by default, Simplified Chinese when Accept-Language asks for it.</summary>
public sealed class FeedLanguageTests(EventsServiceFixture fixture) : IClassFixture<EventsServiceFixture>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;
    private static readonly CultureInfo Chinese = CultureInfo.GetCultureInfo("zh-CN");
    private static readonly ResourceManager FeedText = new("Platform.Events.Features.Feed.FeedText", typeof(FeedText).Assembly);
    private const int Entries = 8;   // established, 3 joined, session, role, program, one day of placements

    [Fact]
    public async Task The_feed_is_English_without_a_preference_and_for_languages_it_does_not_speak()
    {
        var consortium = await StoriedConsortiumAsync();
        foreach (var accept in new string?[] { null, "*", "fr-FR", "en-GB" })
        {
            using var response = await GetAsync($"/api/v1/feed?consortiumId={consortium.Id}&limit=50", accept);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(["en"], response.Content.Headers.ContentLanguage);
            var titles = Titles(await ReadAsync(response));
            Assert.Contains("The 1st council session opened", titles);
            Assert.Contains($"{TestConsortium.TechnicianCollegeName} was designated vice chair of the 1st council", titles);
            Assert.Contains("Intelligent welding order class: 2 placement milestones on 2025-03-01", titles);
        }
    }

    [Theory]
    [InlineData("zh-CN")]
    [InlineData("zh")]
    [InlineData("zh-Hans;q=0.9,en;q=0.5")]
    public async Task The_feed_is_Chinese_when_the_reader_asks_for_Chinese(string accept)
    {
        var consortium = await StoriedConsortiumAsync();
        using var response = await GetAsync($"/api/v1/feed?consortiumId={consortium.Id}&limit=50", accept);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["zh-CN"], response.Content.Headers.ContentLanguage);
        Assert.Contains("Accept-Language", response.Headers.Vary);
        var entries = (await ReadAsync(response)).GetProperty("items").EnumerateArray().ToList();
        var titles = entries.Select(e => e.GetProperty("title").GetString()).ToList();

        // The same entries, told from the Chinese resource file.
        Assert.Equal(Entries, entries.Count);
        Assert.Contains(Resource("Joined.Title", TestConsortium.CollegeName), titles);
        Assert.Contains("第一届理事会成立", titles);
        Assert.Contains($"{TestConsortium.TechnicianCollegeName}当选第一届理事会副理事长单位", titles);
        Assert.Contains($"{TestConsortium.CollegeName}和{TestConsortium.EnterpriseName}启动订单班“Intelligent welding order class”", titles);
        var session = entries.Single(e => e.GetProperty("kind").GetString() == "councilSessionOpened");
        Assert.Equal("任期自2025年1月1日至2029年12月31日。", session.GetProperty("content").GetString());
        var program = entries.Single(e => e.GetProperty("kind").GetString() == "programLaunched");
        Assert.Equal("订单班，面向智能焊接岗位，共40个名额。", program.GetProperty("content").GetString());
        var placements = entries.Single(e => e.GetProperty("kind").GetString() == "placementMilestones");
        Assert.Equal("Intelligent welding order class：2025年3月1日新增2项培养就业进展", placements.GetProperty("title").GetString());
        Assert.Equal("1名学员开始实习；1名学员就业。", placements.GetProperty("content").GetString());
        // Only the words change: times, kinds and tallies are the same data in every language.
        Assert.Equal("2025-03-01T17:30:00+08:00", placements.GetProperty("published").GetString());
        Assert.Equal(1, placements.GetProperty("tally").GetProperty("employed").GetInt32());
        Assert.DoesNotContain(titles, t => t!.Contains(" joined the consortium", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_Atom_feed_names_its_language_and_tells_entries_in_it()
    {
        var consortium = await StoriedConsortiumAsync();

        var english = await AtomAsync(consortium.Id, null);
        Assert.Equal("en", english.Language);
        Assert.Equal("Jining Technician Education Group: activity", english.Title.Text);
        Assert.Contains(english.Items, i => i.Title.Text == "The 1st council session opened");

        var chinese = await AtomAsync(consortium.Id, "zh-CN,zh;q=0.9");
        Assert.Equal("zh-CN", chinese.Language);
        Assert.Equal("Jining Technician Education Group：动态", chinese.Title.Text);
        Assert.Equal(english.Items.Select(i => i.Id), chinese.Items.Select(i => i.Id));
        var session = chinese.Items.Single(i => i.Title.Text == "第一届理事会成立");
        Assert.Equal("任期自2025年1月1日至2029年12月31日。", ((TextSyndicationContent)session.Content).Text);
        Assert.Contains(chinese.Items, i => i.Title.Text == Resource("Joined.Title", TestConsortium.EnterpriseName));
    }

    [Theory]
    [InlineData("/api/v1/feed?consortiumId={0}&limit=50")]
    [InlineData("/api/v1/feed.atom?consortiumId={0}")]
    public async Task Each_language_has_its_own_ETag_and_the_other_language_s_ETag_is_not_a_match(string path)
    {
        var consortium = await StoriedConsortiumAsync();
        var url = string.Format(CultureInfo.InvariantCulture, path, consortium.Id);

        using var english = await GetAsync(url, "en");
        using var chinese = await GetAsync(url, "zh-CN");
        Assert.Equal(HttpStatusCode.OK, english.StatusCode);
        Assert.Equal(HttpStatusCode.OK, chinese.StatusCode);
        var englishTag = english.Headers.ETag!;
        var chineseTag = chinese.Headers.ETag!;
        Assert.NotNull(englishTag);
        Assert.NotNull(chineseTag);
        Assert.NotEqual(englishTag, chineseTag);
        Assert.Contains("Accept-Language", english.Headers.Vary);

        // A Chinese reader holding the English page gets the Chinese one, not a 304.
        using (var stale = await GetAsync(url, "zh-CN", englishTag))
        {
            Assert.Equal(HttpStatusCode.OK, stale.StatusCode);
            Assert.Equal(chineseTag, stale.Headers.ETag);
            Assert.Equal(await chinese.Content.ReadAsStringAsync(Cancel), await stale.Content.ReadAsStringAsync(Cancel));
        }
        // Holding the page of its own language, it is told nothing changed.
        using (var current = await GetAsync(url, "zh-CN", chineseTag))
            Assert.Equal(HttpStatusCode.NotModified, current.StatusCode);
        using (var currentEnglish = await GetAsync(url, null, englishTag))
            Assert.Equal(HttpStatusCode.NotModified, currentEnglish.StatusCode);
    }

    /// <summary>A consortium whose feed has council, program and placement stories: <see cref="Entries"/> entries.</summary>
    private async Task<TestConsortium> StoriedConsortiumAsync()
    {
        var consortium = await fixture.NewConsortiumAsync();   // 1 established + 3 joined
        await fixture.Service.PublishAsync(new CouncilSessionOpened
        {
            ConsortiumId = consortium.Id, SessionNumber = 1, StartsOn = new(2025, 1, 1), EndsOn = new(2029, 12, 31), OccurredAt = new DateTimeOffset(2025, 1, 1, 1, 0, 0, TimeSpan.Zero),
        });
        await fixture.Service.PublishAsync(new CouncilRoleAssigned
        {
            ConsortiumId = consortium.Id, SessionNumber = 1, OrganizationId = consortium.TechnicianCollege,
            OrganizationName = TestConsortium.TechnicianCollegeName, Role = "viceChair", OccurredAt = new DateTimeOffset(2025, 1, 10, 2, 0, 0, TimeSpan.Zero),
        });
        var programId = Guid.CreateVersion7();
        await fixture.Service.PublishAsync(new ProgramLaunched
        {
            ProgramId = programId, ConsortiumId = consortium.Id, Kind = "orderClass", Title = "Intelligent welding order class", Occupation = "智能焊接",
            Colleges = [new ProgramParty { OrganizationId = consortium.College, Name = TestConsortium.CollegeName }],
            Enterprises = [new ProgramParty { OrganizationId = consortium.Enterprise, Name = TestConsortium.EnterpriseName }],
            Seats = 40, OccurredAt = new DateTimeOffset(2025, 2, 1, 1, 0, 0, TimeSpan.Zero),
        });
        var n = 0;
        foreach (var (type, at) in new (string, DateTimeOffset)[] { ("internshipStarted", new(2025, 3, 1, 8, 0, 0, TimeSpan.FromHours(8))), ("employed", new(2025, 3, 1, 17, 30, 0, TimeSpan.FromHours(8))) })
        {
            n++;
            await fixture.Service.PublishAsync(new PlacementRecorded
            {
                EventId = $"lang-{n}", CollegeId = consortium.College, ProgramId = programId, ConsortiumId = consortium.Id,
                ProgramTitle = "Intelligent welding order class", TraineeRef = $"L-{n}", Type = type, EnterpriseId = consortium.Enterprise,
                OccurredAt = at, Stage = type, Flagged = false, AcceptedAt = DateTimeOffset.UtcNow,
            });
        }
        await ServiceUnderTest<Program>.EventuallyAsync(async () =>
        {
            var page = await GetJsonAsync(fixture.Operator, $"/api/v1/feed?consortiumId={consortium.Id}&limit=50");
            var items = page.GetProperty("items").EnumerateArray().ToList();
            return items.Count == Entries && items.Where(e => e.GetProperty("kind").GetString() == "placementMilestones")
                .Sum(e => e.GetProperty("tally").EnumerateObject().Sum(t => t.Value.GetInt32())) == 2;
        }, $"the feed has {Entries} entries and both placements");
        return consortium;
    }

    private async Task<HttpResponseMessage> GetAsync(string path, string? acceptLanguage, EntityTagHeaderValue? ifNoneMatch = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        if (acceptLanguage is not null) request.Headers.TryAddWithoutValidation("Accept-Language", acceptLanguage);
        if (ifNoneMatch is not null) request.Headers.IfNoneMatch.Add(ifNoneMatch);
        return await fixture.Operator.SendAsync(request, Cancel);
    }

    private async Task<SyndicationFeed> AtomAsync(Guid consortiumId, string? acceptLanguage)
    {
        using var response = await GetAsync($"/api/v1/feed.atom?consortiumId={consortiumId}", acceptLanguage);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await using var body = await response.Content.ReadAsStreamAsync(Cancel);
        using var xml = XmlReader.Create(body);
        var formatter = new Atom10FeedFormatter();
        formatter.ReadFrom(xml);
        return formatter.Feed;
    }

    private static string Resource(string key, params object[] args) =>
        string.Format(Chinese, FeedText.GetString(key, Chinese) ?? throw new InvalidOperationException(key), args);

    private static List<string?> Titles(JsonElement page) => [.. page.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("title").GetString())];
}
