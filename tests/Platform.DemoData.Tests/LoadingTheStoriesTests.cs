using System.Text.Json;
using Platform.DemoData.Seeds;

namespace Platform.DemoData.Tests;

/// <summary>The stories as the operator finds them through the membership API after one load.</summary>
public sealed class LoadingTheStoriesTests(LoadedPlatform platform) : IClassFixture<LoadedPlatform>
{
    [Fact]
    public async Task The_Jinan_consortium_has_its_first_council_of_3_chairs_19_vice_chairs_1_secretary_general_and_6_council_members()
    {
        var consortium = await ConsortiumAsync("Jinan Economic Development Zone Industry-Education Consortium");
        Assert.Equal("industryEducationConsortium", consortium.GetProperty("kind").GetString());
        Assert.Equal("2023-11-14", consortium.GetProperty("establishedOn").GetString());
        var id = consortium.GetProperty("id").GetGuid();

        var members = await platform.ListAsync($"/api/v1/consortia/{id}/memberships");
        Assert.Equal(29, members.Count);
        Assert.All(members, m => Assert.Equal("active", m.GetProperty("status").GetString()));

        var session = await platform.GetAsync($"/api/v1/consortia/{id}/council-sessions/1");
        Assert.True(session.GetProperty("isCurrent").GetBoolean());
        var designations = session.GetProperty("designations").EnumerateArray().ToList();
        var byRole = designations.GroupBy(d => d.GetProperty("role").GetString()!).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(new Dictionary<string, int> { ["chair"] = 3, ["viceChair"] = 19, ["secretaryGeneral"] = 1, ["councilMember"] = 6 }, byRole);

        string[] leads =
        [
            "China National Petroleum Corporation Jinan Diesel Power Co., Ltd.",
            "Jinan Changqing University Town (Jinan Economic Development Zone) Management Committee",
            "Shandong Labor Vocational and Technical College",
        ];
        Assert.Equal(leads, designations.Where(d => d.GetProperty("role").GetString() == "chair").Select(Name).Order(StringComparer.Ordinal));
        var leadIds = consortium.GetProperty("leadOrganizationIds").EnumerateArray().Select(e => e.GetGuid()).ToHashSet();
        Assert.Equal(leadIds, designations.Where(d => d.GetProperty("role").GetString() == "chair").Select(d => d.GetProperty("organizationId").GetGuid()).ToHashSet());
        // The members the story names beyond the chairs hold real names; the rest of the council is illustrative.
        Assert.Contains("Shandong Beichen Machinery and Equipment Co., Ltd.", designations.Select(Name));
        Assert.Equal(22, designations.Count(d => Name(d).EndsWith(StoryOrganizations.IllustrativeSuffix, StringComparison.Ordinal)));

        var charter = Assert.Single(await platform.ListAsync($"/api/v1/consortia/{id}/charters"));
        Assert.Equal(1, charter.GetProperty("version").GetInt32());
        Assert.Contains("Shandong Labor Vocational and Technical College", charter.GetProperty("text").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task China_Coal_Group_is_vice_chair_of_the_Jining_Technician_Education_Group_which_Jining_Technician_College_leads()
    {
        var consortium = await ConsortiumAsync("Jining Technician Education Group");
        Assert.Equal("vocationalEducationGroup", consortium.GetProperty("kind").GetString());
        var id = consortium.GetProperty("id").GetGuid();

        var members = await platform.ListAsync($"/api/v1/consortia/{id}/memberships");
        Assert.Equal(["China Coal Group (Shandong Lvbei)", "Jining Technician College"],
            members.Select(m => m.GetProperty("organizationName").GetString()!).Order(StringComparer.Ordinal));
        Assert.All(members, m => Assert.Equal("active", m.GetProperty("status").GetString()));
        var chinaCoal = members.Single(m => m.GetProperty("organizationName").GetString() == "China Coal Group (Shandong Lvbei)");
        Assert.Equal("viceChair", chinaCoal.GetProperty("councilRole").GetString());
        Assert.Equal("enterprise", chinaCoal.GetProperty("organizationKind").GetString());

        var college = members.Single(m => m.GetProperty("organizationName").GetString() == "Jining Technician College");
        Assert.Equal("technicianCollege", college.GetProperty("organizationKind").GetString());
        Assert.Equal([college.GetProperty("organizationId").GetGuid()], consortium.GetProperty("leadOrganizationIds").EnumerateArray().Select(e => e.GetGuid()));

        var designation = Assert.Single((await platform.GetAsync($"/api/v1/consortia/{id}/council-sessions/1")).GetProperty("designations").EnumerateArray());
        Assert.Equal("China Coal Group (Shandong Lvbei)", Name(designation));
    }

    [Fact]
    public async Task The_Tianjin_group_has_the_members_its_story_names_with_their_kinds()
    {
        var consortium = await ConsortiumAsync("Tianjin Advanced Manufacturing Vocational Education Group");
        var members = await platform.ListAsync($"/api/v1/consortia/{consortium.GetProperty("id").GetGuid()}/memberships");
        var kinds = members.ToDictionary(m => m.GetProperty("organizationName").GetString()!, m => m.GetProperty("organizationKind").GetString());
        Assert.Equal(new Dictionary<string, string?>
        {
            ["Shenzhen Vocational and Technical College"] = "vocationalCollege",
            ["Tianjin Mould Industry Association"] = "industryAssociation",
            ["Tianjin Vocational Institute"] = "vocationalCollege",
            ["Tsinghua University Tianjin High-end Equipment Research Institute"] = "researchInstitute",
        }, kinds);
        Assert.All(members, m => Assert.Equal("active", m.GetProperty("status").GetString()));
    }

    [Fact]
    public async Task Every_organization_the_stories_name_is_registered_with_its_kind_and_region_and_only_fillers_are_illustrative()
    {
        var organizations = await platform.ListAsync("/api/v1/organizations");
        Assert.Equal(StoryOrganizations.All.Count, organizations.Count);
        var byName = organizations.ToDictionary(Name, o => o);

        foreach (var named in StoryOrganizations.Named)
        {
            var found = byName[named.Name];
            Assert.False(found.GetProperty("isIllustrative").GetBoolean(), named.Name);
            Assert.Equal(JsonNamingPolicy.CamelCase.ConvertName(named.Kind.ToString()), found.GetProperty("kind").GetString());
            Assert.Equal(named.Region, found.GetProperty("region").GetString());
        }
        Assert.Equal("evaluationOrganization", byName["Jinan Vocational Skill Evaluation Center (illustrative)"].GetProperty("kind").GetString());

        var illustrative = organizations.Where(o => o.GetProperty("isIllustrative").GetBoolean()).Select(Name).ToList();
        Assert.Equal(22, illustrative.Count);
        Assert.All(illustrative, name => Assert.EndsWith(" (illustrative)", name, StringComparison.Ordinal));
        // No invented credit codes: they would look real.
        Assert.All(organizations, o => Assert.Equal(JsonValueKind.Null, o.GetProperty("unifiedSocialCreditCode").ValueKind));
    }

    [Fact]
    public async Task Story_organizations_have_their_Chinese_names_where_known_and_none_where_not()
    {
        // Found by its Chinese name alone: the loader sent nameZh when it registered the college.
        var college = (await platform.ListAsync("/api/v1/organizations?name=" + Uri.EscapeDataString("济宁技师学院"))).Single();
        Assert.Equal("Jining Technician College", Name(college));
        Assert.Equal("济宁技师学院", college.GetProperty("nameZh").GetString());
        var labor = (await platform.ListAsync("/api/v1/organizations?name=" + Uri.EscapeDataString("Shandong Labor Vocational and Technical College"))).Single();
        Assert.Equal("山东劳动职业技术学院", labor.GetProperty("nameZh").GetString());
        Assert.Equal("济宁技师教育集团", (await ConsortiumAsync("Jining Technician Education Group")).GetProperty("nameZh").GetString());

        // Not known with confidence from the stories: left empty rather than invented.
        var chinaCoal = (await platform.ListAsync("/api/v1/organizations?name=" + Uri.EscapeDataString("China Coal Group"))).Single();
        Assert.Equal(JsonValueKind.Null, chinaCoal.GetProperty("nameZh").ValueKind);
        var organizations = await platform.ListAsync("/api/v1/organizations");
        Assert.All(organizations.Where(o => o.GetProperty("isIllustrative").GetBoolean()), o => Assert.Equal(JsonValueKind.Null, o.GetProperty("nameZh").ValueKind));
    }

    [Fact]
    public async Task People_the_stories_name_are_representatives_with_name_and_title_and_no_email()
    {
        var college = (await platform.ListAsync("/api/v1/organizations?name=" + Uri.EscapeDataString("Shandong Labor Vocational and Technical College"))).Single();
        var people = await platform.ListAsync($"/api/v1/organizations/{college.GetProperty("id").GetGuid()}/representatives");

        Assert.Equal(6, people.Count);
        var sun = people.Single(p => Name(p) == "Sun Zhongzhi");
        Assert.Equal("Secretary of the Party Committee", sun.GetProperty("title").GetString());
        Assert.Equal("representative", sun.GetProperty("role").GetString());
        Assert.All(people, p => Assert.Equal(JsonValueKind.Null, p.GetProperty("email").ValueKind));

        var chinaCoal = (await platform.ListAsync("/api/v1/organizations?name=" + Uri.EscapeDataString("China Coal Group"))).Single();
        Assert.Equal(["Li Zhenbo"], (await platform.ListAsync($"/api/v1/organizations/{chinaCoal.GetProperty("id").GetGuid()}/representatives")).Select(Name));
    }

    [Fact]
    public void The_first_load_says_what_it_created()
    {
        TestContext.Current.TestOutputHelper?.WriteLine(platform.FirstOutput);
        Assert.Empty(platform.FirstLoad.Notes);
        Assert.Equal(StoryConsortia.All.Count, platform.FirstLoad.Consortia.Count);
        Assert.Equal(StoryOrganizations.All.Count, platform.FirstLoad.Organizations.Count);
        Assert.Contains("created        organization     Shandong Labor Vocational and Technical College", platform.FirstOutput, StringComparison.Ordinal);
        Assert.Contains("created        council roles    Jinan Economic Development Zone Industry-Education Consortium, session 1: 3 chair, 19 viceChair, 1 secretaryGeneral, 6 councilMember",
            platform.FirstOutput, StringComparison.Ordinal);
        Assert.Contains($"Done: {platform.FirstLoad.Created} created, 0 already there, 0 left as is.", platform.FirstOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Loading_again_creates_nothing_and_changes_nothing()
    {
        var before = await SnapshotAsync();

        var (again, output) = await platform.LoadAsync();

        Assert.Equal(0, again.Created);
        Assert.Empty(again.Notes);
        Assert.Equal(platform.FirstLoad.Created, again.AlreadyThere);
        Assert.Equal(platform.FirstLoad.Organizations, again.Organizations);
        Assert.Equal(platform.FirstLoad.Consortia, again.Consortia);
        Assert.DoesNotContain("  created", output, StringComparison.Ordinal);
        Assert.Contains("already there  organization     China Coal Group (Shandong Lvbei)", output, StringComparison.Ordinal);
        // Not only the same counts: every record reads back byte for byte as before (no update times moved).
        var after = await SnapshotAsync();
        Assert.Equal(before.Keys.Order(StringComparer.Ordinal), after.Keys.Order(StringComparer.Ordinal));
        foreach (var (path, json) in before) Assert.Equal(json, after[path]);
        // The organization and consortium lists, each organization's representatives, each consortium's four lists.
        Assert.Equal(2 + StoryOrganizations.All.Count + 4 * StoryConsortia.All.Count, before.Count);
    }

    [Fact]
    public async Task A_refused_call_stops_the_load_with_the_services_problem_document()
    {
        using var stranger = platform.Service.ClientWithKey("not-a-key");
        using var output = new StringWriter();

        var refused = await Assert.ThrowsAsync<Api.ApiProblemException>(() =>
            Loading.DemoLoader.LoadAsync(new Loading.DemoServices(stranger), output, cancellationToken: TestContext.Current.CancellationToken));

        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, refused.Status);
        Assert.StartsWith("GET /api/v1/organizations?name=", refused.Message, StringComparison.Ordinal);
        Assert.Contains("\"status\": 401", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Done:", output.ToString(), StringComparison.Ordinal);
    }

    /// <summary>Every list the loader writes to, as the API returns it (path → JSON of all items).</summary>
    private async Task<Dictionary<string, string>> SnapshotAsync()
    {
        var snapshot = new Dictionary<string, string>(StringComparer.Ordinal);
        async Task<IReadOnlyList<JsonElement>> Read(string path)
        {
            var items = await platform.ListAsync(path);
            snapshot[path] = JsonSerializer.Serialize(items);
            return items;
        }
        foreach (var organization in await Read("/api/v1/organizations"))
            await Read($"/api/v1/organizations/{organization.GetProperty("id").GetGuid()}/representatives");
        foreach (var consortium in await Read("/api/v1/consortia"))
        {
            var id = consortium.GetProperty("id").GetGuid();
            await Read($"/api/v1/consortia/{id}/memberships");
            await Read($"/api/v1/consortia/{id}/council-sessions");
            await Read($"/api/v1/consortia/{id}/charters");
            await Read($"/api/v1/consortia/{id}/mentors");
        }
        return snapshot;
    }

    private async Task<JsonElement> ConsortiumAsync(string name) =>
        Assert.Single(await platform.ListAsync("/api/v1/consortia"), c => Name(c) == name);

    private static string Name(JsonElement element) =>
        (element.TryGetProperty("organizationName", out var name) ? name : element.GetProperty("name")).GetString()!;
}
