using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using static Platform.TalentPipeline.Tests.PipelineService;

namespace Platform.TalentPipeline.Tests;

/// <summary>The classes of bad input the fuzzer found in the talent pipeline (issue 11): refused by field, nothing written.</summary>
public sealed class BadInputTests(PipelineService pipeline) : IClassFixture<PipelineService>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static ByteArrayContent Raw(byte[] bytes, string contentType)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        return content;
    }

    private static async Task<JsonElement> ReportAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync(Cancel);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement;
    }

    private static string EventJson(Scenario s, string traineeRef, string eventId = "p1", string? enterpriseId = null) =>
        $$"""{ "eventId": "{{eventId}}", "collegeId": "{{s.CollegeId}}", "programId": "{{s.ProgramId}}", "traineeRef": "{{traineeRef}}", "type": "enrolled", "occurredAt": "2025-09-01T08:00:00+08:00"{{(enterpriseId is null ? "" : $", \"enterpriseId\": \"{enterpriseId}\"")}} }""";

    [Theory]
    [InlineData("T-\\u0000")]
    [InlineData("T-\\u0007")]
    [InlineData("T-\\uffff")]
    [InlineData("T-\\ud800")]
    public async Task Placement_events_with_control_characters_or_lone_surrogates_are_rejected_by_field(string traineeRef)
    {
        var s = await pipeline.ScenarioAsync();
        using var college = pipeline.Service.ClientWithKey(s.CollegeKey);
        using var response = await college.PostAsync(new Uri("/api/v1/placement-events", UriKind.Relative),
            Raw(Encoding.UTF8.GetBytes(EventJson(s, traineeRef)), "application/json"), Cancel);
        var report = await ReportAsync(response);
        Assert.Equal(["rejected"], Statuses(report));
        Assert.Equal("traineeRef", report.GetProperty("results")[0].GetProperty("reasons")[0].GetProperty("field").GetString());
    }

    [Fact]
    public async Task Invalid_UTF8_in_a_placement_event_is_rejected_by_field()
    {
        var s = await pipeline.ScenarioAsync();
        using var college = pipeline.Service.ClientWithKey(s.CollegeKey);
        var bytes = Encoding.UTF8.GetBytes(EventJson(s, "T-XX"));
        var at = Array.IndexOf(bytes, (byte)'X');
        bytes[at] = 0xC3; // a lead byte followed by 'X': not UTF-8
        bytes[at + 1] = 0x28;
        using var response = await college.PostAsync(new Uri("/api/v1/placement-events", UriKind.Relative), Raw(bytes, "application/json"), Cancel);
        Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.BadRequest, $"{(int)response.StatusCode}");
        var body = await response.Content.ReadAsStringAsync(Cancel);
        if (response.StatusCode == HttpStatusCode.OK)
            Assert.Equal("traineeRef", JsonDocument.Parse(body).RootElement.GetProperty("results")[0].GetProperty("reasons")[0].GetProperty("field").GetString());
        else
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_CSV_cell_with_a_control_character_rejects_its_row_naming_line_and_column()
    {
        var s = await pipeline.ScenarioAsync();
        using var college = pipeline.Service.ClientWithKey(s.CollegeKey);
        var csv = $"eventId,collegeId,programId,traineeRef,type,occurredAt,enterpriseId\r\n" +
                  $"n1,{s.CollegeId},{s.ProgramId},T-1\u0000,enrolled,2025-09-01T08:00:00+08:00,\r\n" +
                  $"n2,{s.CollegeId},{s.ProgramId},T-2,enrolled\u001b,2025-09-01T08:00:00+08:00,\r\n" +
                  $"n3,{s.CollegeId},{s.ProgramId},T-3,enrolled,2025-09-01T08:00:00+08:00,\r\n";
        using var response = await college.PostAsync(new Uri("/api/v1/placement-events/csv", UriKind.Relative), Raw(Encoding.UTF8.GetBytes(csv), "text/csv"), Cancel);
        var report = await ReportAsync(response);
        Assert.Equal(["rejected", "rejected", "accepted"], Statuses(report));
        var results = report.GetProperty("results");
        Assert.Equal((2, "traineeRef"), (results[0].GetProperty("line").GetInt32(), results[0].GetProperty("reasons")[0].GetProperty("field").GetString()));
        Assert.Equal((3, "type"), (results[1].GetProperty("line").GetInt32(), results[1].GetProperty("reasons")[0].GetProperty("field").GetString()));
    }

    [Fact]
    public async Task A_placement_event_naming_an_unknown_enterprise_is_rejected()
    {
        var s = await pipeline.ScenarioAsync();
        using var college = pipeline.Service.ClientWithKey(s.CollegeKey);
        var report = await PostBatchAsync(college,
            Event(s, "u1", "T-1", "internshipStarted", "2025-10-01T08:00:00+08:00", Guid.CreateVersion7()),
            Event(s, "u2", "T-2", "internshipStarted", "2025-10-01T08:00:00+08:00", s.EnterpriseId));
        Assert.Equal(["rejected", "accepted"], Statuses(report));
        Assert.Equal("events[0].enterpriseId", report.GetProperty("results")[0].GetProperty("reasons")[0].GetProperty("field").GetString());
    }

    [Fact]
    public async Task A_null_or_a_number_in_the_events_array_is_rejected_naming_its_index_and_the_others_are_taken()
    {
        var s = await pipeline.ScenarioAsync();
        using var college = pipeline.Service.ClientWithKey(s.CollegeKey);
        var report = await PostBatchAsync(college, null!, 5, Event(s, "n1", "T-1", "internshipStarted", "2025-10-01T08:00:00+08:00", s.EnterpriseId));
        Assert.Equal(["rejected", "rejected", "accepted"], Statuses(report));
        Assert.Equal("events[0]", report.GetProperty("results")[0].GetProperty("reasons")[0].GetProperty("field").GetString());
        Assert.Equal("events[1]", report.GetProperty("results")[1].GetProperty("reasons")[0].GetProperty("field").GetString());
    }

    [Theory]
    [InlineData("application/json; charset=klingon", "/api/v1/placement-events")]
    [InlineData("text/csv; charset=latin1", "/api/v1/placement-events/csv")]
    public async Task Bodies_in_another_charset_are_a_415_problem(string contentType, string path)
    {
        var s = await pipeline.ScenarioAsync();
        using var college = pipeline.Service.ClientWithKey(s.CollegeKey);
        using var response = await college.PostAsync(new Uri(path, UriKind.Relative), Raw(Encoding.UTF8.GetBytes(EventJson(s, "T-1")), contentType), Cancel);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Program_action_reasons_are_capped_like_everywhere_else()
    {
        var s = await pipeline.ScenarioAsync();
        using var client = pipeline.Operator();
        using var response = await client.PostAsJsonAsync($"/api/v1/programs/{s.ProgramId}/complete", new { reason = new string('r', 1_000_001) }, Cancel);
        var body = await response.Content.ReadAsStringAsync(Cancel);
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {body}");
        Assert.True(JsonDocument.Parse(body).RootElement.GetProperty("errors").TryGetProperty("reason", out _), body);
        Assert.Equal("active", (await GetAsync(client, $"/api/v1/programs/{s.ProgramId}")).GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_trainee_path_with_a_control_character_is_a_400_not_a_database_error()
    {
        var s = await pipeline.ScenarioAsync();
        using var college = pipeline.Service.ClientWithKey(s.CollegeKey);
        using var response = await college.GetAsync(new Uri($"/api/v1/trainees/{s.CollegeId}/T%01", UriKind.Relative), Cancel);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}
