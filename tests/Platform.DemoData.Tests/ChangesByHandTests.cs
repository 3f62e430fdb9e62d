using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Platform.Testing;

namespace Platform.DemoData.Tests;

/// <summary>A platform where the operator registered one of the stories' organizations by hand before the first load.</summary>
public sealed class PlatformWithHandMadeRecords(ThrowawayPostgres postgres, ThrowawayRabbitMq rabbit) : LoadedPlatform(postgres, rabbit)
{
    public Guid GuoshunId { get; private set; }

    protected override async Task BeforeFirstLoadAsync()
    {
        using var response = await Operator.PostAsJsonAsync("/api/v1/organizations",
            new { name = "Guoshun Group", kind = "enterprise", region = "Shandong, Jinan" }, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        GuoshunId = (await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("id").GetGuid();
    }
}

/// <summary>The loader fills in the stories around what the operator did; it never duplicates or undoes it.</summary>
public sealed class ChangesByHandTests(PlatformWithHandMadeRecords platform) : IClassFixture<PlatformWithHandMadeRecords>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_organization_registered_by_hand_under_a_story_name_is_used_not_registered_again()
    {
        var guoshun = await platform.ListAsync("/api/v1/organizations?name=" + Uri.EscapeDataString("Guoshun Group"));

        Assert.Equal(platform.GuoshunId, Assert.Single(guoshun).GetProperty("id").GetGuid());
        Assert.Equal(platform.GuoshunId, platform.FirstLoad.Organizations["guoshun-group"]);
        Assert.Contains("already there  organization     Guoshun Group", platform.FirstOutput, StringComparison.Ordinal);
        var jinan = platform.FirstLoad.Consortia["jinan-edz-industry-education-consortium"];
        var membership = Assert.Single(await platform.ListAsync($"/api/v1/consortia/{jinan}/memberships"),
            m => m.GetProperty("organizationId").GetGuid() == platform.GuoshunId);
        Assert.Equal("viceChair", membership.GetProperty("councilRole").GetString());
    }

    [Fact]
    public async Task A_withdrawn_membership_and_redesignated_council_roles_are_left_as_they_are_and_reported()
    {
        var tianjin = platform.FirstLoad.Consortia["tianjin-advanced-manufacturing-vocational-education-group"];
        var mould = platform.FirstLoad.Organizations["tianjin-mould-industry-association"];
        var membership = (await platform.ListAsync($"/api/v1/consortia/{tianjin}/memberships")).Single(m => m.GetProperty("organizationId").GetGuid() == mould);
        using (var withdrawn = await platform.Operator.PostAsJsonAsync(
            $"/api/v1/consortia/{tianjin}/memberships/{membership.GetProperty("id").GetGuid()}/withdraw", new { reason = "left the group" }, Cancel))
            Assert.Equal(HttpStatusCode.OK, withdrawn.StatusCode);

        var jinan = platform.FirstLoad.Consortia["jinan-edz-industry-education-consortium"];
        var designations = (await platform.GetAsync($"/api/v1/consortia/{jinan}/council-sessions/1")).GetProperty("designations").EnumerateArray()
            .Select(d => new { organizationId = d.GetProperty("organizationId").GetGuid(), role = d.GetProperty("role").GetString() }).ToList();
        var fewer = designations.Where(d => d.role != "councilMember").Concat(designations.Where(d => d.role == "councilMember").Skip(1)).ToList();
        using (var redesignated = await platform.Operator.PutAsJsonAsync($"/api/v1/consortia/{jinan}/council-sessions/1/roles", fewer, Cancel))
            Assert.Equal(HttpStatusCode.OK, redesignated.StatusCode);

        var (again, output) = await platform.LoadAsync();

        Assert.Equal(0, again.Created);
        Assert.Contains("left as is     membership       Tianjin Mould Industry Association: the membership is Withdrawn", output, StringComparison.Ordinal);
        Assert.Contains("left as is     council roles    Jinan Economic Development Zone Industry-Education Consortium, session 1: 28 roles are designated, not as the story tells them",
            output, StringComparison.Ordinal);
        Assert.Equal(2, again.Notes.Count);
        var mouldMemberships = (await platform.ListAsync($"/api/v1/consortia/{tianjin}/memberships")).Where(m => m.GetProperty("organizationId").GetGuid() == mould);
        Assert.Equal("withdrawn", Assert.Single(mouldMemberships).GetProperty("status").GetString());
        Assert.Equal(28, (await platform.GetAsync($"/api/v1/consortia/{jinan}/council-sessions/1")).GetProperty("designations").GetArrayLength());
    }
}
