using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using static Platform.Events.Tests.EventsServiceFixture;

namespace Platform.Events.Tests;

/// <summary>The classes of bad input the fuzzer found (issue 11): each a 400/415 naming the field, nothing written.</summary>
public sealed class BadInputTests(EventsServiceFixture fixture) : IClassFixture<EventsServiceFixture>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static async Task<JsonElement> ErrorsAsync(HttpResponseMessage response, HttpStatusCode status = HttpStatusCode.BadRequest)
    {
        var body = await response.Content.ReadAsStringAsync(Cancel);
        Assert.True(response.StatusCode == status, $"Expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(body).RootElement;
        return problem.TryGetProperty("errors", out var errors) ? errors : problem;
    }

    private Task<HttpResponseMessage> PostRawAsync(string path, string json, string contentType = "application/json")
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(json));
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        return fixture.Operator.PostAsync(new Uri(path, UriKind.Relative), content, Cancel);
    }

    private static string PlanJson(TestConsortium c, string title = "Site visit", string startsAt = "2025-03-01T09:00:00", string endsAt = "2025-03-01T10:00:00",
        string kind = "siteVisit") =>
        $$"""{ "kind": "{{kind}}", "title": "{{title}}", "consortiumId": "{{c.Id}}", "organizerIds": ["{{c.College}}"], "venue": "Training base", "startsAt": "{{startsAt}}", "endsAt": "{{endsAt}}", "capacity": 10 }""";

    private async Task<int> EventCountAsync(TestConsortium c) =>
        (await GetJsonAsync(fixture.Operator, $"/api/v1/events?consortiumId={c.Id}&limit=100")).GetProperty("items").GetArrayLength();

    [Theory]
    [InlineData("\\u0000")]
    [InlineData("\\u0001")]
    [InlineData("\\u001b")]
    [InlineData("\\uffff")]
    [InlineData("\\ud800")]
    public async Task Control_characters_noncharacters_and_lone_surrogates_in_an_event_title_are_refused_and_nothing_is_planned(string escaped)
    {
        var consortium = await fixture.NewConsortiumAsync();
        using var response = await PostRawAsync("/api/v1/events", PlanJson(consortium, title: $"Symposium {escaped} day"));
        Assert.True((await ErrorsAsync(response)).TryGetProperty("title", out _));
        Assert.Equal(0, await EventCountAsync(consortium));
        // The feed stays readable XML.
        using var feed = await fixture.Operator.GetAsync(new Uri($"/api/v1/feed.atom?consortiumId={consortium.Id}", UriKind.Relative), Cancel);
        Assert.Equal(HttpStatusCode.OK, feed.StatusCode);
    }

    [Theory]
    [InlineData("0001-01-01T00:00:00")]
    [InlineData("0001-01-01T08:00:00+08:00")]
    [InlineData("9999-12-31T23:59:59")]
    [InlineData("9999-12-31T23:59:59Z")]
    [InlineData("1970-01-01T09:00:00+08:00")]
    public async Task Event_times_outside_a_plausible_range_are_refused(string at)
    {
        var consortium = await fixture.NewConsortiumAsync();
        using var response = await PostRawAsync("/api/v1/events", PlanJson(consortium, startsAt: at));
        Assert.True((await ErrorsAsync(response)).TryGetProperty("startsAt", out _));
    }

    [Theory]
    [InlineData("SiteVisit")]
    [InlineData("SITEVISIT")]
    [InlineData("siteVisit ")]
    [InlineData("siteVisit,symposium")]
    public async Task Event_kinds_take_only_their_exact_spelling(string kind)
    {
        var consortium = await fixture.NewConsortiumAsync();
        using var response = await PostRawAsync("/api/v1/events", PlanJson(consortium, kind: kind));
        Assert.True((await ErrorsAsync(response)).TryGetProperty("kind", out _));
    }

    [Fact]
    public async Task An_OR_ed_agreement_kind_is_refused_and_the_register_stays_readable()
    {
        var consortium = await fixture.NewConsortiumAsync();
        var ceremony = await fixture.PlanEventAsync(consortium, kind: "signingCeremony", until: "held");
        using var response = await PostRawAsync($"/api/v1/events/{ceremony}/outcomes/agreements",
            $$"""{ "parties": ["{{consortium.College}}", "{{consortium.Enterprise}}"], "kind": "orderClass,other", "title": "Order class" }""");
        Assert.True((await ErrorsAsync(response)).TryGetProperty("kind", out _));
        using var register = await fixture.Operator.GetAsync(new Uri($"/api/v1/agreements?consortiumId={consortium.Id}", UriKind.Relative), Cancel);
        Assert.Equal(HttpStatusCode.OK, register.StatusCode);
        using var held = await fixture.Operator.GetAsync(new Uri($"/api/v1/events/{ceremony}", UriKind.Relative), Cancel);
        Assert.Equal(HttpStatusCode.OK, held.StatusCode);
    }

    [Fact]
    public async Task Null_designations_and_entrants_are_refused_naming_the_element()
    {
        var consortium = await fixture.NewConsortiumAsync();
        var meeting = await fixture.PlanEventAsync(consortium, kind: "councilMeeting", until: "held");
        using (var designations = await PostRawAsync($"/api/v1/events/{meeting}/outcomes/council-designations", """{ "sessionNumber": 1, "designations": [null] }"""))
            Assert.True((await ErrorsAsync(designations)).TryGetProperty("designations[0]", out _));
        using (var session = await PostRawAsync($"/api/v1/events/{meeting}/outcomes/council-designations",
                   $$"""{ "sessionNumber": 2147483647, "designations": [{ "organizationId": "{{consortium.College}}", "role": "chair" }] }"""))
            Assert.True((await ErrorsAsync(session)).TryGetProperty("sessionNumber", out _));

        var competition = await fixture.PlanEventAsync(consortium, kind: "skillsCompetition", until: "held");
        using (var entrants = await PostRawAsync($"/api/v1/events/{competition}/outcomes/competition-results", """{ "entrants": [null] }"""))
            Assert.True((await ErrorsAsync(entrants)).TryGetProperty("entrants[0]", out _));
    }

    [Theory]
    [InlineData("110101199003077777")]
    [InlineData("11010119900307777X")]
    [InlineData("110101900307777")]
    public async Task Competition_results_refuse_national_ID_numbers_as_trainee_references(string reference)
    {
        var consortium = await fixture.NewConsortiumAsync();
        var competition = await fixture.PlanEventAsync(consortium, kind: "skillsCompetition", until: "held");
        using var response = await fixture.Operator.PostAsJsonAsync($"/api/v1/events/{competition}/outcomes/competition-results",
            new { entrants = new[] { new { traineeRef = reference, collegeId = consortium.College, rank = 1 } } }, Cancel);
        Assert.True((await ErrorsAsync(response)).TryGetProperty("entrants[0].traineeRef", out _));
        using var held = await fixture.Operator.GetAsync(new Uri($"/api/v1/events/{competition}", UriKind.Relative), Cancel);
        Assert.Equal(JsonValueKind.Null, (await ReadAsync(held)).GetProperty("outcomes").GetProperty("competitionResults").ValueKind);
    }

    [Fact]
    public async Task Reasons_are_capped_at_1000_characters()
    {
        var consortium = await fixture.NewConsortiumAsync();
        var eventId = await fixture.PlanEventAsync(consortium, until: "scheduled");
        using var response = await fixture.Operator.PostAsJsonAsync($"/api/v1/events/{eventId}/cancel", new { reason = new string('r', 1001) }, Cancel);
        Assert.True((await ErrorsAsync(response)).TryGetProperty("reason", out _));
        Assert.Equal("scheduled", (await GetJsonAsync(fixture.Operator, $"/api/v1/events/{eventId}")).GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_registration_for_an_organization_the_platform_does_not_know_is_refused()
    {
        var consortium = await fixture.NewConsortiumAsync();
        var eventId = await fixture.PlanEventAsync(consortium);
        using var response = await fixture.Operator.PostAsJsonAsync($"/api/v1/events/{eventId}/registrations",
            new { personName = "Wang Fang", organizationId = Guid.CreateVersion7(), email = "wang.fang@example.cn" }, Cancel);
        Assert.True((await ErrorsAsync(response)).TryGetProperty("organizationId", out _));
        Assert.Equal(0, (await GetJsonAsync(fixture.Operator, $"/api/v1/events/{eventId}")).GetProperty("registered").GetInt32());
    }

    [Fact]
    public async Task A_body_in_another_charset_is_a_415_problem()
    {
        var consortium = await fixture.NewConsortiumAsync();
        using var response = await PostRawAsync("/api/v1/events", PlanJson(consortium), "application/json; charset=klingon");
        await ErrorsAsync(response, HttpStatusCode.UnsupportedMediaType);
        Assert.Equal(0, await EventCountAsync(consortium));
    }
}
