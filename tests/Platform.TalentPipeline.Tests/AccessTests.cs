using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Platform.ServiceDefaults.Auth;
using static Platform.TalentPipeline.Tests.PipelineService;

namespace Platform.TalentPipeline.Tests;

public sealed class AccessTests(PipelineService pipeline) : IClassFixture<PipelineService>
{
    [Fact]
    public async Task Endpoints_answer_401_without_a_key_403_without_the_scope_and_404_for_another_organizations_data()
    {
        var s = await pipeline.ScenarioAsync();
        var other = await pipeline.AddMemberAsync(s.ConsortiumId, "Jinan Aotto", "enterprise");
        var readOnly = await pipeline.Service.IssuePartnerKeyAsync(s.CollegeId, Scopes.PipelineRead);
        var otherKey = await pipeline.Service.IssuePartnerKeyAsync(other, Scopes.PipelineRead, Scopes.PipelineWrite);
        using (var college = pipeline.Service.ClientWithKey(s.CollegeKey))
            await PostBatchAsync(college, Event(s, "a1", "T-1", "enrolled", "2025-09-01T08:00:00+08:00"));

        using var anonymous = pipeline.Service.ClientWithKey(null);
        foreach (var path in new[] { "/api/v1/programs", "/api/v1/kpis/funnel", $"/api/v1/trainees/{s.CollegeId}/T-1", "/api/v1/demands" })
        {
            using var response = await anonymous.GetAsync(new Uri(path, UriKind.Relative), TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }

        using var reader = pipeline.Service.ClientWithKey(readOnly);
        using (var forbidden = await reader.PostAsJsonAsync("/api/v1/placement-events", Event(s, "a2", "T-1", "internshipStarted", "2026-03-01T08:00:00+08:00"), TestContext.Current.CancellationToken))
            Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);

        using var stranger = pipeline.Service.ClientWithKey(otherKey);
        foreach (var path in new[] { $"/api/v1/trainees/{s.CollegeId}/T-1", $"/api/v1/programs/{s.ProgramId}", $"/api/v1/programs/{Guid.CreateVersion7()}" })
        {
            using var response = await stranger.GetAsync(new Uri(path, UriKind.Relative), TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }
        using (var kpis = await stranger.GetAsync(new Uri($"/api/v1/kpis/funnel?collegeId={s.CollegeId}", UriKind.Relative), TestContext.Current.CancellationToken))
            Assert.Equal(HttpStatusCode.NotFound, kpis.StatusCode);
        Assert.Empty((await GetAsync(stranger, "/api/v1/programs")).GetProperty("items").EnumerateArray());
        Assert.Equal(1, (await GetAsync(reader, "/api/v1/programs")).GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task A_POST_repeated_with_the_same_Idempotency_Key_returns_the_first_answer_and_counts_once()
    {
        var s = await pipeline.ScenarioAsync();
        using var college = pipeline.Service.ClientWithKey(s.CollegeKey);
        var body = new { events = new[] { Event(s, "k1", "T-1", "enrolled", "2025-09-01T08:00:00+08:00") } };

        using var first = new HttpRequestMessage(HttpMethod.Post, "/api/v1/placement-events") { Content = JsonContent.Create(body) };
        first.Headers.Add("Idempotency-Key", "sis-upload-2025-09-01");
        using var firstResponse = await college.SendAsync(first, TestContext.Current.CancellationToken);
        var firstReport = await firstResponse.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        Assert.Equal(["accepted"], Statuses(firstReport));

        using var repeat = new HttpRequestMessage(HttpMethod.Post, "/api/v1/placement-events") { Content = JsonContent.Create(body) };
        repeat.Headers.Add("Idempotency-Key", "sis-upload-2025-09-01");
        using var repeatResponse = await college.SendAsync(repeat, TestContext.Current.CancellationToken);
        Assert.Equal("true", repeatResponse.Headers.GetValues("Idempotency-Replayed").Single());
        Assert.Equal(["accepted"], Statuses(await repeatResponse.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)));

        // Without the key a resend is still safe: the event is a duplicate.
        Assert.Equal(["duplicate"], Statuses(await PostBatchAsync(college, body.events)));
        var funnel = await GetAsync(college, $"/api/v1/kpis/funnel?collegeId={s.CollegeId}");
        Assert.Equal(1, funnel.GetProperty("counts").GetProperty("enrolled").GetInt32());
    }

    [Fact]
    public async Task Malformed_requests_are_problems_not_server_errors()
    {
        var s = await pipeline.ScenarioAsync();
        using var college = pipeline.Service.ClientWithKey(s.CollegeKey);
        using (var broken = await college.PostAsync(new Uri("/api/v1/placement-events", UriKind.Relative), new StringContent("{\"events\": [", System.Text.Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken))
            Assert.Equal(HttpStatusCode.BadRequest, broken.StatusCode);
        var tooMany = Enumerable.Range(0, 1001).Select(i => Event(s, $"x{i}", "T-1", "enrolled", "2025-09-01T08:00:00+08:00")).ToArray();
        using (var oversized = await college.PostAsJsonAsync("/api/v1/placement-events", new { events = tooMany }, TestContext.Current.CancellationToken))
        {
            Assert.Equal(HttpStatusCode.BadRequest, oversized.StatusCode);
            Assert.True((await oversized.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("errors").TryGetProperty("events", out _));
        }
        using (var csvAsJson = await college.PostAsync(new Uri("/api/v1/placement-events", UriKind.Relative), new StringContent("a,b", System.Text.Encoding.UTF8, "text/csv"), TestContext.Current.CancellationToken))
            Assert.Equal(HttpStatusCode.UnsupportedMediaType, csvAsJson.StatusCode);
    }
}
