using System.Net.Http.Json;
using System.Text.Json;

namespace Platform.Bench.PipelineIngestion;

/// <summary>An active order class of one college and one enterprise, made through talent-pipeline's API as a partner would.</summary>
internal static class ProgramLaunch
{
    public static async Task<Guid> LaunchProgramAsync(this ServiceProcess service, Guid consortiumId, Guid collegeId, Guid enterpriseId, string title)
    {
        using var client = service.Client();
        using var created = await client.PostAsJsonAsync("/api/v1/programs", new
        {
            consortiumId, kind = "orderClass", title, collegeIds = new[] { collegeId }, enterpriseIds = new[] { enterpriseId },
        });
        created.EnsureSuccessStatusCode();
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        using var launched = await client.PostAsJsonAsync($"/api/v1/programs/{id}/launch", new { });
        launched.EnsureSuccessStatusCode();
        return id;
    }
}
