using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Platform.Events.Contracts;
using Platform.Membership.Contracts;
using Platform.Testing;
using static Platform.Events.Tests.EventsServiceFixture;

namespace Platform.Events.Tests;

/// <summary>Organizations' Chinese names reach the member directory from membership's events and travel on in the outcomes' events.</summary>
public sealed class ChineseNameTests(EventsServiceFixture fixture) : IClassFixture<EventsServiceFixture>
{
    private const string CollegeNameZh = "山东劳动职业技术学院";
    private const string TechnicianCollegeNameZh = "济宁技师学院";

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_Chinese_name_from_membership_shows_in_the_directory_and_old_messages_without_one_still_apply()
    {
        // The fixture's messages carry no Chinese names, as a producer from before them would send.
        var consortium = await fixture.NewConsortiumAsync();
        var before = await MembersAsync(consortium);
        Assert.All(before, m => Assert.Equal(JsonValueKind.Null, m.GetProperty("nameZh").ValueKind));
        Assert.Equal(TestConsortium.CollegeName, before.Single(m => m.GetProperty("organizationId").GetGuid() == consortium.College).GetProperty("name").GetString());

        await NameInChineseAsync(consortium);

        var after = await MembersAsync(consortium);
        Assert.Equal(CollegeNameZh, NameZhOf(after, consortium.College));
        Assert.Equal(TechnicianCollegeNameZh, NameZhOf(after, consortium.TechnicianCollege));
        Assert.Null(NameZhOf(after, consortium.Enterprise));
        Assert.Equal(TestConsortium.CollegeName, after.Single(m => m.GetProperty("organizationId").GetGuid() == consortium.College).GetProperty("name").GetString());
    }

    [Fact]
    public async Task Agreements_unveilings_and_competition_results_carry_the_Chinese_names_the_directory_knows()
    {
        var consortium = await fixture.NewConsortiumAsync();
        await NameInChineseAsync(consortium);

        var ceremony = await fixture.PlanEventAsync(consortium, kind: "signingCeremony", until: "held");
        await using var signed = await fixture.Service.WatchAsync<AgreementSigned>();
        using (var agreement = await fixture.Operator.PostAsJsonAsync($"/api/v1/events/{ceremony}/outcomes/agreements",
                   new { parties = new[] { consortium.College, consortium.Enterprise }, kind = "orderClass", title = "Intelligent welding order class agreement" }, Cancel))
            Assert.Equal(HttpStatusCode.Created, agreement.StatusCode);
        var published = await signed.NextAsync(e => e.EventId == ceremony);
        Assert.Equal([(consortium.College, CollegeNameZh), (consortium.Enterprise, null)],
            published.Parties.Select(p => (p.OrganizationId, p.OrganizationNameZh)));
        var register = await GetJsonAsync(fixture.Operator, $"/api/v1/agreements?consortiumId={consortium.Id}");
        var parties = Assert.Single(register.GetProperty("items").EnumerateArray()).GetProperty("parties").EnumerateArray().ToList();
        Assert.Equal(CollegeNameZh, parties.Single(p => p.GetProperty("organizationId").GetGuid() == consortium.College).GetProperty("nameZh").GetString());

        var unveilingCeremony = await fixture.PlanEventAsync(consortium, kind: "unveilingCeremony", until: "held");
        await using var unveiled = await fixture.Service.WatchAsync<PlaqueUnveiled>();
        using (var unveiling = await fixture.Operator.PostAsJsonAsync($"/api/v1/events/{unveilingCeremony}/outcomes/unveilings",
                   new { name = "Jining Municipal High-Skilled Talent Training Base", hostOrganizationId = consortium.TechnicianCollege, kind = "other" }, Cancel))
        {
            Assert.Equal(HttpStatusCode.Created, unveiling.StatusCode);
            Assert.Equal(TechnicianCollegeNameZh, (await ReadAsync(unveiling)).GetProperty("hostOrganizationNameZh").GetString());
        }
        Assert.Equal(TechnicianCollegeNameZh, (await unveiled.NextAsync(e => e.EventId == unveilingCeremony)).HostOrganizationNameZh);

        var competition = await fixture.PlanEventAsync(consortium, kind: "skillsCompetition", until: "held");
        await using var results = await fixture.Service.WatchAsync<CompetitionResultsPublished>();
        using (var publish = await fixture.Operator.PostAsJsonAsync($"/api/v1/events/{competition}/outcomes/competition-results",
                   new { entrants = new[] { new { traineeRef = "JN-2025-001", collegeId = consortium.TechnicianCollege, rank = 1, award = "First prize" } } }, Cancel))
            Assert.Equal(HttpStatusCode.Created, publish.StatusCode);
        Assert.Equal(TechnicianCollegeNameZh, Assert.Single((await results.NextAsync(e => e.EventId == competition)).Entrants).CollegeNameZh);
    }

    /// <summary>Membership announces the Chinese names of the two colleges (a later profile change); returns once the directory shows them.</summary>
    private async Task NameInChineseAsync(TestConsortium consortium)
    {
        var at = DateTimeOffset.UtcNow;
        await fixture.Service.PublishAsync(new OrganizationUpdated
        {
            OrganizationId = consortium.College, Name = TestConsortium.CollegeName, NameZh = CollegeNameZh, Kind = "vocationalCollege", Region = "Shandong, Jinan", OccurredAt = at,
        });
        await fixture.Service.PublishAsync(new MembershipActivated
        {
            MembershipId = Guid.CreateVersion7(), ConsortiumId = consortium.Id, OrganizationId = consortium.TechnicianCollege,
            OrganizationName = TestConsortium.TechnicianCollegeName, OrganizationNameZh = TechnicianCollegeNameZh, OrganizationKind = "technicianCollege", OccurredAt = at, Version = 2,
        });
        await ServiceUnderTest<Program>.EventuallyAsync(async () =>
        {
            var members = await MembersAsync(consortium);
            return NameZhOf(members, consortium.College) == CollegeNameZh && NameZhOf(members, consortium.TechnicianCollege) == TechnicianCollegeNameZh;
        }, "the directory applied the Chinese names");
    }

    private async Task<List<JsonElement>> MembersAsync(TestConsortium consortium) =>
        [.. (await GetJsonAsync(fixture.Operator, $"/api/v1/members?consortiumId={consortium.Id}")).GetProperty("items").EnumerateArray()];

    private static string? NameZhOf(List<JsonElement> members, Guid organizationId) =>
        members.Single(m => m.GetProperty("organizationId").GetGuid() == organizationId).GetProperty("nameZh").GetString();
}
