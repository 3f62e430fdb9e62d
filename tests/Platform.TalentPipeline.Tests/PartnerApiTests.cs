using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using static Platform.TalentPipeline.Tests.PipelineService;

namespace Platform.TalentPipeline.Tests;

/// <summary>The API surface partners generate clients from (issue 12): explicit routes, typed query values, the bodies the document describes.</summary>
public sealed class PartnerApiTests(PipelineService pipeline) : IClassFixture<PipelineService>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static async Task<(HttpStatusCode Status, JsonElement Body)> SendAsync(Task<HttpResponseMessage> sending)
    {
        using var response = await sending;
        var text = await response.Content.ReadAsStringAsync(Cancel);
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    [Fact]
    public async Task Each_program_action_has_its_own_route_and_one_the_state_forbids_is_a_409_naming_the_current_status()
    {
        var s = await pipeline.ScenarioAsync();
        using var client = pipeline.Operator();

        var (status, problem) = await SendAsync(client.PostAsync(new Uri($"/api/v1/programs/{s.ProgramId}/launch", UriKind.Relative), null, Cancel));
        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Equal("active", problem.GetProperty("currentState").GetProperty("status").GetString());
        Assert.Equal(["complete", "cancel"], problem.GetProperty("currentState").GetProperty("allowedActions").EnumerateArray().Select(a => a.GetString()));
        Assert.Contains("cannot be launched", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);

        var (completed, program) = await SendAsync(client.PostAsJsonAsync($"/api/v1/programs/{s.ProgramId}/complete", new { reason = "The 2025 class graduated." }, Cancel));
        Assert.Equal(HttpStatusCode.OK, completed);
        Assert.Equal("completed", program.GetProperty("status").GetString());

        (status, problem) = await SendAsync(client.PostAsJsonAsync($"/api/v1/programs/{s.ProgramId}/cancel", new { reason = "too late" }, Cancel));
        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Equal("completed", problem.GetProperty("currentState").GetProperty("status").GetString());
        Assert.Empty(problem.GetProperty("currentState").GetProperty("allowedActions").EnumerateArray());

        // A draft is cancelled without a body; it cannot then be launched.
        var (created, draft) = await SendAsync(client.PostAsJsonAsync("/api/v1/programs", new
        {
            consortiumId = s.ConsortiumId, kind = "trainingBase", title = "Welding training base", collegeIds = new[] { s.CollegeId }, enterpriseIds = new[] { s.EnterpriseId },
        }, Cancel));
        Assert.Equal(HttpStatusCode.Created, created);
        var draftId = draft.GetProperty("id").GetGuid();
        var (cancelled, cancelledProgram) = await SendAsync(client.PostAsync(new Uri($"/api/v1/programs/{draftId}/cancel", UriKind.Relative), null, Cancel));
        Assert.Equal((HttpStatusCode.OK, "cancelled"), (cancelled, cancelledProgram.GetProperty("status").GetString()));
        (status, problem) = await SendAsync(client.PostAsync(new Uri($"/api/v1/programs/{draftId}/launch", UriKind.Relative), null, Cancel));
        Assert.Equal((HttpStatusCode.Conflict, "cancelled"), (status, problem.GetProperty("currentState").GetProperty("status").GetString()));

        // The free-form action route is gone.
        (status, _) = await SendAsync(client.PostAsJsonAsync($"/api/v1/programs/{draftId}/resume", new { }, Cancel));
        Assert.Equal(HttpStatusCode.NotFound, status);
    }

    [Fact]
    public async Task A_request_breaking_several_of_its_own_rules_is_answered_with_all_of_them_before_anything_is_looked_up()
    {
        using var client = pipeline.Operator();
        var (status, problem) = await SendAsync(client.PostAsJsonAsync("/api/v1/programs", new
        {
            consortiumId = Guid.CreateVersion7(), kind = "orderClass", title = "   ", collegeIds = new[] { Guid.CreateVersion7() }, enterpriseIds = Array.Empty<Guid>(),
            startsOn = "2026-09-01", endsOn = "2026-07-01",
        }, Cancel));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(["endsOn", "enterpriseIds", "title"], problem.GetProperty("errors").EnumerateObject().Select(e => e.Name).Order());

        (status, problem) = await SendAsync(client.PostAsJsonAsync("/api/v1/programs", new
        {
            consortiumId = Guid.CreateVersion7(), kind = "trainingBase", collegeIds = new[] { Guid.CreateVersion7() }, enterpriseIds = Array.Empty<Guid>(),
        }, Cancel));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.True(problem.GetProperty("errors").TryGetProperty("title", out _), problem.ToString());

        (status, problem) = await SendAsync(client.PostAsJsonAsync("/api/v1/demands", new
        {
            consortiumId = Guid.CreateVersion7(), enterpriseId = Guid.CreateVersion7(), occupation = "welder", headcount = 5, region = "Jinan", neededBy = "2027-07-01",
            skills = new[] { "robotic welding", " " },
        }, Cancel));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(["skills[1]"], problem.GetProperty("errors").EnumerateObject().Select(e => e.Name).Order());
    }

    [Fact]
    public async Task A_status_filter_takes_the_API_spelling_and_anything_else_is_a_400_naming_the_parameter()
    {
        var s = await pipeline.ScenarioAsync();
        using var client = pipeline.Operator();
        var active = await GetAsync(client, $"/api/v1/programs?consortiumId={s.ConsortiumId}&status=active");
        Assert.Equal([s.ProgramId], active.GetProperty("items").EnumerateArray().Select(p => p.GetProperty("id").GetGuid()));
        Assert.Empty((await GetAsync(client, $"/api/v1/programs?consortiumId={s.ConsortiumId}&status=draft")).GetProperty("items").EnumerateArray());

        foreach (var wrong in new[] { "Active", "1", "running" })
        {
            var (status, problem) = await SendAsync(client.GetAsync(new Uri($"/api/v1/programs?status={wrong}", UriKind.Relative), Cancel));
            Assert.Equal(HttpStatusCode.BadRequest, status);
            Assert.Contains("draft, active, paused, completed, cancelled", problem.GetProperty("errors").GetProperty("status")[0].GetString(), StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("/api/v1/programs?consortiumId=shandong", "consortiumId")]
    [InlineData("/api/v1/demands?consortiumId=12345", "consortiumId")]
    [InlineData("/api/v1/kpis/funnel?programId=not-a-program", "programId")]
    [InlineData("/api/v1/kpis/funnel?from=2025-13-01", "from")]
    [InlineData("/api/v1/data-quality?collegeId=abc", "collegeId")]
    public async Task A_malformed_query_value_is_a_400_naming_the_parameter(string path, string parameter)
    {
        using var client = pipeline.Operator();
        var (status, problem) = await SendAsync(client.GetAsync(new Uri(path, UriKind.Relative), Cancel));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.True(problem.GetProperty("errors").TryGetProperty(parameter, out _), problem.ToString());
    }

    [Fact]
    public async Task A_CSV_file_posted_as_text_csv_with_a_charset_is_imported()
    {
        var s = await pipeline.ScenarioAsync();
        using var college = pipeline.Service.ClientWithKey(s.CollegeKey);
        var csv = "eventId,collegeId,programId,traineeRef,type,occurredAt\n" +
                  $"c1,{s.CollegeId},{s.ProgramId},T-21,enrolled,2025-09-01T08:00:00+08:00\n";
        // What a generated client sends for a text/csv string body.
        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes(csv));
        content.Headers.TryAddWithoutValidation("Content-Type", "text/csv; charset=utf-8");
        var (status, report) = await SendAsync(college.PostAsync(new Uri("/api/v1/placement-events/csv", UriKind.Relative), content, Cancel));
        Assert.True(status == HttpStatusCode.OK, report.ToString());
        Assert.Equal(["accepted"], Statuses(report));
        Assert.Equal(2, report.GetProperty("results")[0].GetProperty("line").GetInt32());

        // JSON sent to the CSV route is refused, not read as a file.
        using var json = JsonContent.Create(new { events = Array.Empty<object>() });
        (status, _) = await SendAsync(college.PostAsync(new Uri("/api/v1/placement-events/csv", UriKind.Relative), json, Cancel));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, status);
    }

    [Fact]
    public async Task Placement_events_are_accepted_one_by_one_or_as_a_batch_with_or_without_an_enterprise()
    {
        var s = await pipeline.ScenarioAsync();
        using var college = pipeline.Service.ClientWithKey(s.CollegeKey);
        var (status, single) = await SendAsync(college.PostAsJsonAsync("/api/v1/placement-events", new
        {
            eventId = "one-1", collegeId = s.CollegeId, programId = s.ProgramId, traineeRef = "T-31", type = "enrolled", occurredAt = "2025-09-01T08:00:00+08:00",
        }, Cancel));
        Assert.True(status == HttpStatusCode.OK, single.ToString());
        Assert.Equal(["accepted"], Statuses(single));
        Assert.Equal("enrolled", single.GetProperty("results")[0].GetProperty("stage").GetString());

        var batch = await PostBatchAsync(college,
            Event(s, "one-2", "T-31", "internshipStarted", "2026-03-01T08:00:00+08:00", s.EnterpriseId),
            Event(s, "one-1", "T-31", "enrolled", "2025-09-01T08:00:00+08:00"));
        Assert.Equal(["accepted", "duplicate"], Statuses(batch));
        Assert.Equal("internshipStarted", (await GetAsync(college, $"/api/v1/trainees/{s.CollegeId}/T-31")).GetProperty("stage").GetString());
    }

    [Fact]
    public async Task The_OpenAPI_document_describes_the_bodies_the_placement_routes_accept_and_names_every_operation()
    {
        using var client = pipeline.Service.CreateClient();
        using var document = JsonDocument.Parse(await client.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative), Cancel));
        var paths = document.RootElement.GetProperty("paths");
        var schemas = document.RootElement.GetProperty("components").GetProperty("schemas");

        var json = paths.GetProperty("/api/v1/placement-events").GetProperty("post").GetProperty("requestBody").GetProperty("content");
        Assert.Equal(["application/json"], json.EnumerateObject().Select(c => c.Name));
        // The batch first: NSwag generates its method for the first of a oneOf.
        Assert.Equal(["#/components/schemas/PlacementBatchRequest", "#/components/schemas/PlacementEventRequest"],
            json.GetProperty("application/json").GetProperty("schema").GetProperty("oneOf").EnumerateArray().Select(s => s.GetProperty("$ref").GetString()));
        Assert.Equal("#/components/schemas/PlacementEventRequest",
            schemas.GetProperty("PlacementBatchRequest").GetProperty("properties").GetProperty("events").GetProperty("items").GetProperty("$ref").GetString());
        Assert.False(schemas.TryGetProperty("JsonElement", out _));
        var placementEvent = schemas.GetProperty("PlacementEventRequest");
        Assert.DoesNotContain("enterpriseId", placementEvent.GetProperty("required").EnumerateArray().Select(r => r.GetString()));
        Assert.Contains("eventId", placementEvent.GetProperty("required").EnumerateArray().Select(r => r.GetString()));
        Assert.Contains("null", placementEvent.GetProperty("properties").GetProperty("enterpriseId").GetProperty("type").EnumerateArray().Select(t => t.GetString()));

        var csv = paths.GetProperty("/api/v1/placement-events/csv").GetProperty("post").GetProperty("requestBody").GetProperty("content");
        Assert.Equal(["text/csv"], csv.EnumerateObject().Select(c => c.Name));
        Assert.Equal("string", csv.GetProperty("text/csv").GetProperty("schema").GetProperty("type").GetString());

        // A reason is optional: the body is the record, not oneOf [null, record].
        var cancel = paths.GetProperty("/api/v1/programs/{programId}/cancel").GetProperty("post").GetProperty("requestBody");
        Assert.Equal("#/components/schemas/CancelProgramRequest", cancel.GetProperty("content").GetProperty("application/json").GetProperty("schema").GetProperty("$ref").GetString());
        Assert.False(cancel.TryGetProperty("required", out var required) && required.GetBoolean());

        string[] expected =
        [
            "createProgram", "listPrograms", "getProgram", "launchProgram", "completeProgram", "cancelProgram", "recordPlacementEvents", "importPlacementEventsCsv",
            "getTrainee", "getDataQuality", "getFunnel", "postTalentDemand", "listTalentDemands", "getTalentDemand", "listDemandMatches", "declareCohort",
            "listCohorts", "getCohort", "listCohortMatches",
        ];
        // getCaller (GET /api/v1/caller) is every service's, from ServiceDefaults.
        var operationIds = paths.EnumerateObject().Where(p => p.Name.StartsWith("/api/v1/", StringComparison.Ordinal))
            .SelectMany(p => p.Value.EnumerateObject()).Select(o => o.Value.GetProperty("operationId").GetString()).Where(id => id != "getCaller").ToList();
        Assert.Equal(expected.Order(), operationIds.Order());
    }
}
