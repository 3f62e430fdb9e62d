using System.Net;
using System.Net.Http.Json;
using System.Text;
using Platform.Membership.Contracts;
using Platform.Membership.Features.Consortia;
using Platform.Membership.Features.Memberships;
using Platform.Membership.Features.Organizations;
using Platform.ServiceDefaults.Http;

namespace Platform.Membership.Tests.Api;

/// <summary>The optional Simplified Chinese name (<c>nameZh</c>) organizations and consortia keep beside their name.</summary>
public sealed class ChineseNameTests(MembershipService membership) : MembershipApiTest(membership)
{
    [Fact]
    public async Task An_organization_registered_with_a_Chinese_name_keeps_it_announces_it_and_is_found_by_it()
    {
        await using var registered = await Service.WatchAsync<OrganizationRegistered>();
        var marker = Guid.NewGuid().ToString("N")[..6];
        var nameZh = $"  山东劳动职业技术学院{marker}  ";

        using var created = await Operator.PostAsJsonAsync("/api/v1/organizations",
            new { name = $"Shandong Labor Vocational and Technical College {marker}", nameZh, kind = "vocationalCollege", region = "Shandong, Jinan" },
            PlatformJson.Options, Cancel);

        var organization = await ReadAsync<OrganizationResponse>(created, HttpStatusCode.Created);
        Assert.Equal($"山东劳动职业技术学院{marker}", organization.NameZh);
        Assert.Equal(organization.NameZh, (await registered.NextAsync(e => e.OrganizationId == organization.Id)).NameZh);
        using var read = await Operator.GetAsync($"/api/v1/organizations/{organization.Id}", Cancel);
        Assert.Equal(organization.NameZh, (await ReadAsync<OrganizationResponse>(read, HttpStatusCode.OK)).NameZh);

        // A fragment of the Chinese name alone finds it (the English name does not contain it).
        using var search = await Operator.GetAsync($"/api/v1/organizations?name={Uri.EscapeDataString("劳动职业" + "技术学院" + marker)}", Cancel);
        Assert.Equal([organization.Id], (await ReadAsync<Page<OrganizationResponse>>(search, HttpStatusCode.OK)).Items.Select(o => o.Id));
        using var byEnglish = await Operator.GetAsync($"/api/v1/organizations?name=labor+vocational+and+technical+college+{marker}", Cancel);
        Assert.Equal([organization.Id], (await ReadAsync<Page<OrganizationResponse>>(byEnglish, HttpStatusCode.OK)).Items.Select(o => o.Id));
    }

    [Fact]
    public async Task Without_a_Chinese_name_or_with_null_it_is_absent()
    {
        await using var registered = await Service.WatchAsync<OrganizationRegistered>();
        var plain = await RegisterAsync("Guoshun Group");
        Assert.Null(plain.NameZh);
        Assert.Null((await registered.NextAsync(e => e.OrganizationId == plain.Id)).NameZh);

        using var withNull = await Operator.PostAsJsonAsync("/api/v1/organizations",
            new { name = UniqueName("Jinan Aotto"), nameZh = (string?)null, kind = "enterprise", region = "Shandong, Jinan" }, PlatformJson.Options, Cancel);
        Assert.Null((await ReadAsync<OrganizationResponse>(withNull, HttpStatusCode.Created)).NameZh);
    }

    public static TheoryData<string, string> BadChineseNames => new()
    {
        // JSON text of the nameZh value, and what it is.
        { "\"\"", "empty" },
        { "\"   \"", "blank" },
        { "\"" + new string('院', 201) + "\"", "201 characters" },
        { "\"济宁\\u0000技师学院\"", "NUL" },
        { "\"济宁\\u0007技师学院\"", "a control character" },
        { "\"济宁\\n技师学院\"", "a line break" },
        { "\"济宁\\ud800技师学院\"", "a lone surrogate" },
        { "42", "not a string" },
    };

    [Theory]
    [MemberData(nameof(BadChineseNames))]
    public async Task A_bad_Chinese_name_is_400_naming_nameZh_and_nothing_is_written(string nameZhJson, string what)
    {
        var marker = Guid.NewGuid().ToString("N");
        foreach (var (path, kind) in new[] { ("/api/v1/organizations", "enterprise"), ("/api/v1/consortia", "industryEducationConsortium") })
        {
            var body = $$"""{"name":"Refused {{marker}}","nameZh":{{nameZhJson}},"kind":"{{kind}}","region":"Shandong, Jining"}""";
            using var content = new StringContent(body, Encoding.UTF8, "application/json");
            using var response = await Operator.PostAsync(path, content, Cancel);

            var problem = await ProblemAsync(response, HttpStatusCode.BadRequest);
            Assert.True(FieldErrors(problem, "nameZh").Length > 0, $"{path} with {what}: {problem}");
        }
        using var search = await Operator.GetAsync($"/api/v1/organizations?name={marker}", Cancel);
        Assert.Empty((await ReadAsync<Page<OrganizationResponse>>(search, HttpStatusCode.OK)).Items);
        using var consortia = await Operator.GetAsync("/api/v1/consortia", Cancel);
        Assert.DoesNotContain((await ReadAsync<Page<ConsortiumResponse>>(consortia, HttpStatusCode.OK)).Items, c => c.Name.Contains(marker, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_200_character_Chinese_name_is_accepted()
    {
        using var response = await Operator.PostAsJsonAsync("/api/v1/organizations",
            new { name = UniqueName("Long name"), nameZh = new string('院', 200), kind = "enterprise", region = "Shandong" }, PlatformJson.Options, Cancel);
        Assert.Equal(200, (await ReadAsync<OrganizationResponse>(response, HttpStatusCode.Created)).NameZh!.Length);
    }

    [Fact]
    public async Task A_consortium_established_with_a_Chinese_name_keeps_and_announces_it()
    {
        await using var established = await Service.WatchAsync<ConsortiumEstablished>();

        using var response = await Operator.PostAsJsonAsync("/api/v1/consortia",
            new { name = UniqueName("Jining Technician Education Group"), nameZh = "济宁技师教育集团", kind = "vocationalEducationGroup", region = "Shandong, Jining" },
            PlatformJson.Options, Cancel);

        var consortium = await ReadAsync<ConsortiumResponse>(response, HttpStatusCode.Created);
        Assert.Equal("济宁技师教育集团", consortium.NameZh);
        Assert.Equal("济宁技师教育集团", (await established.NextAsync(e => e.ConsortiumId == consortium.Id)).NameZh);
        using var read = await Operator.GetAsync($"/api/v1/consortia/{consortium.Id}", Cancel);
        Assert.Equal("济宁技师教育集团", (await ReadAsync<ConsortiumResponse>(read, HttpStatusCode.OK)).NameZh);
        Assert.Null((await EstablishAsync()).NameZh);
    }

    [Fact]
    public async Task Correcting_the_Chinese_name_shows_in_the_member_list_and_in_the_events_that_name_the_member()
    {
        var consortium = await EstablishAsync();
        var member = await ActiveMemberAsync(consortium.Id, "Shandong Beichen Machinery and Equipment Co., Ltd.");
        Assert.Null(member.OrganizationNameZh);
        var path = $"/api/v1/consortia/{consortium.Id}/memberships";
        using var before = await Operator.GetAsync(path, Cancel);
        var etag = before.Headers.ETag!;
        await using var updated = await Service.WatchAsync<OrganizationUpdated>();
        await using var suspended = await Service.WatchAsync<MembershipSuspended>();

        using (var edit = await Operator.PutAsJsonAsync($"/api/v1/organizations/{member.OrganizationId}",
                   new { name = member.OrganizationName, nameZh = "山东北辰机电设备股份有限公司", region = "Shandong, Jinan" }, PlatformJson.Options, Cancel))
            Assert.Equal("山东北辰机电设备股份有限公司", (await ReadAsync<OrganizationResponse>(edit, HttpStatusCode.OK)).NameZh);

        Assert.Equal("山东北辰机电设备股份有限公司", (await updated.NextAsync(e => e.OrganizationId == member.OrganizationId)).NameZh);
        // The cached member list moves to a new version: the Chinese name is on its lines too.
        using var after = await Operator.GetAsync(path, Cancel);
        Assert.NotEqual(etag, after.Headers.ETag);
        Assert.Equal("山东北辰机电设备股份有限公司", Assert.Single((await ReadAsync<Page<MembershipResponse>>(after, HttpStatusCode.OK)).Items).OrganizationNameZh);
        using (var suspend = await ActAsync(member, "suspend"))
            suspend.EnsureSuccessStatusCode();
        Assert.Equal("山东北辰机电设备股份有限公司", (await suspended.NextAsync(e => e.OrganizationId == member.OrganizationId)).OrganizationNameZh);

        // The profile is replaced as a whole: a PUT without nameZh clears it.
        using var cleared = await Operator.PutAsJsonAsync($"/api/v1/organizations/{member.OrganizationId}",
            new { name = member.OrganizationName, region = "Shandong, Jinan" }, PlatformJson.Options, Cancel);
        Assert.Null((await ReadAsync<OrganizationResponse>(cleared, HttpStatusCode.OK)).NameZh);
    }
}
