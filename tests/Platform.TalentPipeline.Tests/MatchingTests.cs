using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Platform.ServiceDefaults.Auth;
using static Platform.TalentPipeline.Tests.PipelineService;

namespace Platform.TalentPipeline.Tests;

public sealed class MatchingTests(PipelineService pipeline) : IClassFixture<PipelineService>
{
    [Fact]
    public async Task Cohorts_are_ranked_for_a_demand_as_a_person_would_with_reasons()
    {
        var consortium = Guid.CreateVersion7();
        var beichen = await pipeline.AddMemberAsync(consortium, "Shandong Beichen", "enterprise", "Jinan");
        var labor = await pipeline.AddMemberAsync(consortium, "Shandong Labor Vocational and Technical College", "vocationalCollege", "Jinan");
        var jining = await pipeline.AddMemberAsync(consortium, "Jining Technician College", "technicianCollege", "Jining");
        using var client = pipeline.Operator();

        var demand = await PostAsync(client, "/api/v1/demands", new
        {
            consortiumId = consortium, enterpriseId = beichen, occupation = "Welder", skills = new[] { "robotic welding" }, headcount = 20, region = "Jinan", neededBy = "2026-09-01",
        });
        // Best: welders in Jinan graduating in time. Then: welders elsewhere. Then: welders graduating too late. Last: e-commerce.
        var best = await Cohort(client, consortium, labor, "Welding technology", "welder", 2026, 30);
        var elsewhere = await Cohort(client, consortium, jining, "Welding technology", "welder", 2026, 30);
        var late = await Cohort(client, consortium, labor, "Welding technology", "welder", 2028, 30);
        var unrelated = await Cohort(client, consortium, labor, "E-commerce", "online retail operator", 2026, 30);

        var matches = await GetAsync(client, $"/api/v1/demands/{demand}/matches");
        Assert.Equal([best, elsewhere, late, unrelated], matches.EnumerateArray().Select(m => m.GetProperty("cohort").GetProperty("id").GetGuid()));
        var top = matches[0];
        Assert.Equal(100, top.GetProperty("score").GetInt32());
        Assert.Equal(["occupation", "region", "timing", "headcount"], top.GetProperty("reasons").EnumerateArray().Select(r => r.GetProperty("criterion").GetString()));
        Assert.Equal(0, matches[1].GetProperty("reasons")[1].GetProperty("points").GetInt32());
        Assert.Contains("Jining", matches[1].GetProperty("reasons")[1].GetProperty("explanation").GetString(), StringComparison.Ordinal);

        // The reverse view: the cohort's best demand is this one.
        var reverse = await GetAsync(client, $"/api/v1/cohorts/{best}/matches");
        Assert.Equal(demand, reverse[0].GetProperty("demand").GetProperty("id").GetGuid());

        // Another enterprise cannot read the demand's matches.
        var other = await pipeline.AddMemberAsync(consortium, "Guoshun Group", "enterprise");
        using var stranger = pipeline.Service.ClientWithKey(await pipeline.Service.IssuePartnerKeyAsync(other, Scopes.PipelineRead));
        using var hidden = await stranger.GetAsync(new Uri($"/api/v1/demands/{demand}/matches", UriKind.Relative), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NotFound, hidden.StatusCode);
    }

    private static Task<Guid> Cohort(HttpClient client, Guid consortium, Guid college, string major, string occupation, int year, int headcount) =>
        PostAsync(client, "/api/v1/cohorts", new { consortiumId = consortium, collegeId = college, major, occupation, graduationYear = year, headcount });

    private static async Task<Guid> PostAsync(HttpClient client, string path, object body)
    {
        using var response = await client.PostAsJsonAsync(path, body);
        var json = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.StatusCode == HttpStatusCode.Created, json.ToString());
        return json.GetProperty("id").GetGuid();
    }
}
