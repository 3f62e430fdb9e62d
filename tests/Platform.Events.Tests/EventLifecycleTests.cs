using System.Net;
using System.Net.Http.Json;
using Platform.Events.Contracts;
using static Platform.Events.Tests.EventsServiceFixture;

namespace Platform.Events.Tests;

public sealed class EventLifecycleTests(EventsServiceFixture fixture) : IClassFixture<EventsServiceFixture>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_planned_event_is_a_draft_shown_in_the_consortium_time_zone_with_its_organizers_named()
    {
        var consortium = await fixture.NewConsortiumAsync();
        using var created = await fixture.Operator.PostAsJsonAsync("/api/v1/events", new
        {
            kind = "signingCeremony",
            title = "Signing ceremony of the strategic cooperation agreement",
            consortiumId = consortium.Id,
            organizerIds = new[] { consortium.College, consortium.Enterprise },
            venue = "Shengdu International Conference Center",
            startsAt = "2025-01-15T09:00:00",        // local time of the consortium
            endsAt = "2025-01-15T03:30:00Z",          // an instant: 11:30 in Jining
            capacity = 120,
        }, Cancel);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await created.Content.ReadAsStringAsync(Cancel);
        Assert.Contains("\"startsAt\":\"2025-01-15T09:00:00+08:00\"", body, StringComparison.Ordinal);
        Assert.Contains("\"endsAt\":\"2025-01-15T11:30:00+08:00\"", body, StringComparison.Ordinal);
        Assert.Contains("\"timeZone\":\"Asia/Shanghai\"", body, StringComparison.Ordinal);

        var id = System.Text.Json.JsonDocument.Parse(body).RootElement.GetProperty("id").GetGuid();
        var read = await GetJsonAsync(fixture.Operator, $"/api/v1/events/{id}");
        Assert.Equal("draft", read.GetProperty("status").GetString());
        Assert.Equal([TestConsortium.CollegeName, TestConsortium.EnterpriseName],
            read.GetProperty("organizers").EnumerateArray().Select(o => o.GetProperty("name").GetString()));
        Assert.Equal(["schedule", "cancel"], read.GetProperty("allowedActions").EnumerateArray().Select(a => a.GetString()));
    }

    [Fact]
    public async Task A_consortium_in_another_zone_sees_its_own_offset()
    {
        var consortium = await fixture.NewConsortiumAsync(timeZone: "Europe/Berlin");
        var id = await fixture.PlanEventAsync(consortium, until: "draft");
        var read = await GetJsonAsync(fixture.Operator, $"/api/v1/events/{id}");
        Assert.Equal("Europe/Berlin", read.GetProperty("timeZone").GetString());
        Assert.Equal("2025-01-15T09:00:00+01:00", read.GetProperty("startsAt").GetString());
    }

    [Fact]
    public async Task Planning_refuses_organizers_that_are_not_active_members_and_bad_times_with_field_reasons()
    {
        var consortium = await fixture.NewConsortiumAsync();
        using var notMember = await fixture.Operator.PostAsJsonAsync("/api/v1/events", new
        {
            kind = "siteVisit", title = "Site visit of city leaders", consortiumId = consortium.Id,
            organizerIds = new[] { consortium.College, consortium.Applicant }, venue = "Training base",
            startsAt = "2025-03-01T09:00:00+08:00", endsAt = "2025-03-01T10:00:00+08:00", capacity = 10,
        }, Cancel);
        Assert.Equal(HttpStatusCode.BadRequest, notMember.StatusCode);
        var problem = await ReadAsync(notMember);
        Assert.True(problem.GetProperty("errors").TryGetProperty("organizerIds[1]", out _), problem.ToString());

        // A field's own rule (capacity's range) is answered while the body is read, before the rules across fields.
        using var noSeats = await fixture.Operator.PostAsJsonAsync("/api/v1/events", new
        {
            kind = "siteVisit", title = "Site visit", consortiumId = consortium.Id, organizerIds = new[] { consortium.College }, venue = "Training base",
            startsAt = "2025-03-01T09:00:00+08:00", endsAt = "2025-03-01T10:00:00+08:00", capacity = 0,
        }, Cancel);
        Assert.Equal(HttpStatusCode.BadRequest, noSeats.StatusCode);
        Assert.True((await ReadAsync(noSeats)).GetProperty("errors").TryGetProperty("capacity", out _));

        using var badTimes = await fixture.Operator.PostAsJsonAsync("/api/v1/events", new
        {
            kind = "siteVisit", title = " ", consortiumId = consortium.Id, organizerIds = new[] { consortium.College }, venue = "Training base",
            startsAt = "2025-03-01T10:00:00+08:00", endsAt = "2025-03-01T09:00:00+08:00", capacity = 10,
        }, Cancel);
        Assert.Equal(HttpStatusCode.BadRequest, badTimes.StatusCode);
        var errors = (await ReadAsync(badTimes)).GetProperty("errors");
        Assert.True(errors.TryGetProperty("endsAt", out _));
        Assert.True(errors.TryGetProperty("title", out _));

        // A local end before an instant start: read in the consortium's zone (Asia/Shanghai), 08:30 there is before 09:00+08:00.
        using var mixed = await fixture.Operator.PostAsJsonAsync("/api/v1/events", new
        {
            kind = "siteVisit", title = "Site visit", consortiumId = consortium.Id, organizerIds = new[] { consortium.College }, venue = "Training base",
            startsAt = "2025-03-01T09:00:00+08:00", endsAt = "2025-03-01T08:30:00", capacity = 10,
        }, Cancel);
        Assert.Equal(HttpStatusCode.BadRequest, mixed.StatusCode);
        Assert.True((await ReadAsync(mixed)).GetProperty("errors").TryGetProperty("endsAt", out _));

        using var unknownKind = await fixture.Operator.PostAsJsonAsync("/api/v1/events", new
        {
            kind = "banquet", title = "x", consortiumId = consortium.Id, organizerIds = new[] { consortium.College }, venue = "v",
            startsAt = "2025-03-01T09:00:00+08:00", endsAt = "2025-03-01T10:00:00+08:00", capacity = 5,
        }, Cancel);
        Assert.Equal(HttpStatusCode.BadRequest, unknownKind.StatusCode);
    }

    [Fact]
    public async Task A_partner_plans_and_runs_only_events_its_own_organization_organizes()
    {
        var consortium = await fixture.NewConsortiumAsync();
        using var enterprise = fixture.Service.ClientWithKey(await fixture.Service.IssuePartnerKeyAsync(consortium.Enterprise, "events:write", "events:read"));
        using var forOthers = await enterprise.PostAsJsonAsync("/api/v1/events", new
        {
            kind = "jobFair", title = "Spring job fair", consortiumId = consortium.Id, organizerIds = new[] { consortium.College },
            venue = "Gym", startsAt = "2025-04-01T09:00:00", endsAt = "2025-04-01T16:00:00", capacity = 500,
        }, Cancel);
        Assert.Equal(HttpStatusCode.Forbidden, forOthers.StatusCode);

        var collegeEvent = await fixture.PlanEventAsync(consortium, until: "draft");
        using var move = await enterprise.PostAsync(new Uri($"/api/v1/events/{collegeEvent}/schedule", UriKind.Relative), null, Cancel);
        Assert.Equal(HttpStatusCode.Forbidden, move.StatusCode);

        using var own = await enterprise.PostAsJsonAsync("/api/v1/events", new
        {
            kind = "jobFair", title = "Spring job fair", consortiumId = consortium.Id, organizerIds = new[] { consortium.Enterprise },
            venue = "Gym", startsAt = "2025-04-01T09:00:00", endsAt = "2025-04-01T16:00:00", capacity = 500,
        }, Cancel);
        Assert.Equal(HttpStatusCode.Created, own.StatusCode);
        var id = (await ReadAsync(own)).GetProperty("id").GetGuid();
        using var scheduled = await enterprise.PostAsync(new Uri($"/api/v1/events/{id}/schedule", UriKind.Relative), null, Cancel);
        Assert.Equal(HttpStatusCode.OK, scheduled.StatusCode);
    }

    [Fact]
    public async Task Illegal_transitions_answer_409_with_the_current_state()
    {
        var consortium = await fixture.NewConsortiumAsync();
        var id = await fixture.PlanEventAsync(consortium, until: "draft");

        using var openDraft = await fixture.Operator.PostAsync(new Uri($"/api/v1/events/{id}/open-registration", UriKind.Relative), null, Cancel);
        Assert.Equal(HttpStatusCode.Conflict, openDraft.StatusCode);
        var problem = await ReadAsync(openDraft);
        Assert.Equal("draft", problem.GetProperty("currentState").GetProperty("status").GetString());
        Assert.Equal(["schedule", "cancel"], problem.GetProperty("currentState").GetProperty("allowedActions").EnumerateArray().Select(a => a.GetString()));

        using var holdDraft = await fixture.Operator.PostAsync(new Uri($"/api/v1/events/{id}/hold", UriKind.Relative), null, Cancel);
        Assert.Equal(HttpStatusCode.Conflict, holdDraft.StatusCode);

        var held = await fixture.PlanEventAsync(consortium, until: "held");
        using var cancelHeld = await fixture.Operator.PostAsync(new Uri($"/api/v1/events/{held}/cancel", UriKind.Relative), null, Cancel);
        Assert.Equal(HttpStatusCode.Conflict, cancelHeld.StatusCode);
        Assert.Equal("held", (await ReadAsync(cancelHeld)).GetProperty("currentState").GetProperty("status").GetString());

        using var missing = await fixture.Operator.PostAsync(new Uri($"/api/v1/events/{Guid.CreateVersion7()}/schedule", UriKind.Relative), null, Cancel);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task Scheduling_holding_and_cancelling_publish_their_events_and_a_cancellation_names_every_registrant()
    {
        var consortium = await fixture.NewConsortiumAsync();
        await using var scheduled = await fixture.Service.WatchAsync<ConsortiumEventScheduled>();
        await using var held = await fixture.Service.WatchAsync<ConsortiumEventHeld>();
        await using var cancelled = await fixture.Service.WatchAsync<ConsortiumEventCancelled>();

        var ceremony = await fixture.PlanEventAsync(consortium, kind: "unveilingCeremony", capacity: 1, until: "registrationOpen");
        var announced = await scheduled.NextAsync(e => e.EventId == ceremony);
        Assert.Equal("unveilingCeremony", announced.Kind);
        Assert.Equal(TimeSpan.FromHours(8), announced.StartsAt.Offset);
        Assert.Equal(new DateTimeOffset(2025, 1, 15, 9, 0, 0, TimeSpan.FromHours(8)), announced.StartsAt);

        var first = await RegisterAsync(ceremony, consortium.College, "wang.fang@example.cn");
        var second = await RegisterAsync(ceremony, consortium.Enterprise, "li.qiang@example.cn");
        using var cancelling = await fixture.Operator.PostAsJsonAsync($"/api/v1/events/{ceremony}/cancel", new { reason = "Postponed by the municipal government" }, Cancel);
        Assert.Equal(HttpStatusCode.OK, cancelling.StatusCode);
        var notice = await cancelled.NextAsync(e => e.EventId == ceremony);
        Assert.Equal("Postponed by the municipal government", notice.Reason);
        Assert.Equal([first, second], notice.RegistrantIds);

        var meeting = await fixture.PlanEventAsync(consortium, kind: "councilMeeting", until: "registrationClosed");
        using var holding = await fixture.Operator.PostAsync(new Uri($"/api/v1/events/{meeting}/hold", UriKind.Relative), null, Cancel);
        Assert.Equal(HttpStatusCode.OK, holding.StatusCode);
        var took = await held.NextAsync(e => e.EventId == meeting);
        Assert.Equal("councilMeeting", took.Kind);
        Assert.Equal(0, took.Attendees);
    }

    private async Task<Guid> RegisterAsync(Guid eventId, Guid organizationId, string email)
    {
        using var response = await fixture.Operator.PostAsJsonAsync($"/api/v1/events/{eventId}/registrations",
            new { personName = "Wang Fang", title = "Dean", organizationId, email }, Cancel);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await ReadAsync(response)).GetProperty("id").GetGuid();
    }
}
