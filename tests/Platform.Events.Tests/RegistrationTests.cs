using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using static Platform.Events.Tests.EventsServiceFixture;

namespace Platform.Events.Tests;

public sealed class RegistrationTests(EventsServiceFixture fixture) : IClassFixture<EventsServiceFixture>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Two_hundred_simultaneous_registrations_for_fifty_seats_seat_exactly_fifty_and_waitlist_the_rest_in_arrival_order()
    {
        var consortium = await fixture.NewConsortiumAsync();
        var eventId = await fixture.PlanEventAsync(consortium, capacity: 50);
        // Four organizations' systems register 50 people each (a key's rate limit allows a burst of 100).
        // Known to the events service (registrations name an organization of its member directory).
        var organizations = new[] { consortium.College, consortium.Enterprise, consortium.TechnicianCollege, consortium.Applicant };
        var keys = await Task.WhenAll(organizations.Select(o => fixture.Service.IssuePartnerKeyAsync(o, "events:write")));
        using var start = new ManualResetEventSlim();

        var attempts = Enumerable.Range(0, 200).Select(i => Task.Run(async () =>
        {
            using var client = fixture.Service.ClientWithKey(keys[i % 4]);
            start.Wait(Cancel);
            using var response = await client.PostAsJsonAsync($"/api/v1/events/{eventId}/registrations",
                new { personName = $"Trainee {i}", organizationId = organizations[i % 4], email = $"person{i}@example.cn" }, Cancel);
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            return await ReadAsync(response);
        }, Cancel)).ToList();
        start.Set();
        var answers = await Task.WhenAll(attempts);

        Assert.Equal(50, answers.Count(a => a.GetProperty("status").GetString() == "registered"));
        Assert.Equal(150, answers.Count(a => a.GetProperty("status").GetString() == "waitlisted"));
        // Arrival order: every arrival number once; seats went to the first 50, the waitlist follows the rest in order.
        Assert.Equal(Enumerable.Range(1, 200), answers.Select(a => a.GetProperty("arrival").GetInt32()).Order());
        Assert.All(answers, a => Assert.Equal(a.GetProperty("arrival").GetInt32() <= 50 ? "registered" : "waitlisted", a.GetProperty("status").GetString()));
        Assert.All(answers.Where(a => a.GetProperty("status").GetString() == "waitlisted"),
            a => Assert.Equal(a.GetProperty("arrival").GetInt32() - 50, a.GetProperty("waitlistPosition").GetInt32()));

        var read = await GetJsonAsync(fixture.Operator, $"/api/v1/events/{eventId}");
        Assert.Equal(50, read.GetProperty("registered").GetInt32());
        Assert.Equal(150, read.GetProperty("waitlisted").GetInt32());
        Assert.Equal(0, read.GetProperty("seatsLeft").GetInt32());
    }

    [Fact]
    public async Task Cancelling_a_seat_promotes_the_first_waitlisted_and_cancelling_a_waitlisted_spot_promotes_nobody()
    {
        var consortium = await fixture.NewConsortiumAsync();
        var eventId = await fixture.PlanEventAsync(consortium, capacity: 2);
        var seated = await RegisterAsync(fixture.Operator, eventId, consortium.College, "a@sdlvtc.edu.cn");
        await RegisterAsync(fixture.Operator, eventId, consortium.College, "b@sdlvtc.edu.cn");
        var firstWaiting = await RegisterAsync(fixture.Operator, eventId, consortium.Enterprise, "c@beichen.com");
        var secondWaiting = await RegisterAsync(fixture.Operator, eventId, consortium.Enterprise, "d@beichen.com");
        Assert.Equal(2, secondWaiting.GetProperty("waitlistPosition").GetInt32());

        using var dropWaiting = await fixture.Operator.DeleteAsync(new Uri($"/api/v1/events/{eventId}/registrations/{Id(secondWaiting)}", UriKind.Relative), Cancel);
        Assert.Equal(HttpStatusCode.OK, dropWaiting.StatusCode);
        Assert.Equal(JsonValueKind.Null, (await ReadAsync(dropWaiting)).GetProperty("promoted").ValueKind);

        using var drop = await fixture.Operator.DeleteAsync(new Uri($"/api/v1/events/{eventId}/registrations/{Id(seated)}", UriKind.Relative), Cancel);
        Assert.Equal(HttpStatusCode.OK, drop.StatusCode);
        var answer = await ReadAsync(drop);
        Assert.Equal("cancelled", answer.GetProperty("cancelled").GetProperty("status").GetString());
        Assert.Equal(Id(firstWaiting), answer.GetProperty("promoted").GetProperty("id").GetGuid());

        var promoted = await GetJsonAsync(fixture.Operator, $"/api/v1/events/{eventId}/registrations/{Id(firstWaiting)}");
        Assert.Equal("registered", promoted.GetProperty("status").GetString());
        var read = await GetJsonAsync(fixture.Operator, $"/api/v1/events/{eventId}");
        Assert.Equal(2, read.GetProperty("registered").GetInt32());
        Assert.Equal(0, read.GetProperty("waitlisted").GetInt32());

        using var again = await fixture.Operator.DeleteAsync(new Uri($"/api/v1/events/{eventId}/registrations/{Id(seated)}", UriKind.Relative), Cancel);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
    }

    [Fact]
    public async Task Only_registered_people_check_in_and_only_once()
    {
        var consortium = await fixture.NewConsortiumAsync();
        var eventId = await fixture.PlanEventAsync(consortium, capacity: 1);
        var seated = await RegisterAsync(fixture.Operator, eventId, consortium.College, "dean@sdlvtc.edu.cn");
        var waiting = await RegisterAsync(fixture.Operator, eventId, consortium.College, "teacher@sdlvtc.edu.cn");

        using var waitingIn = await CheckInAsync(fixture.Operator, eventId, Id(waiting));
        Assert.Equal(HttpStatusCode.Conflict, waitingIn.StatusCode);

        using var first = await CheckInAsync(fixture.Operator, eventId, Id(seated));
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.NotEqual(JsonValueKind.Null, (await ReadAsync(first)).GetProperty("checkedInAt").ValueKind);
        using var twice = await CheckInAsync(fixture.Operator, eventId, Id(seated));
        Assert.Equal(HttpStatusCode.Conflict, twice.StatusCode);

        // The attendee count travels with the event when it is held.
        using var close = await fixture.Operator.PostAsync(new Uri($"/api/v1/events/{eventId}/close-registration", UriKind.Relative), null, Cancel);
        using var hold = await fixture.Operator.PostAsync(new Uri($"/api/v1/events/{eventId}/hold", UriKind.Relative), null, Cancel);
        Assert.Equal(1, (await ReadAsync(hold)).GetProperty("checkedIn").GetInt32());
        using var afterHeld = await CheckInAsync(fixture.Operator, eventId, Id(waiting));
        Assert.Equal(HttpStatusCode.Conflict, afterHeld.StatusCode);
    }

    [Fact]
    public async Task The_same_email_twice_returns_the_existing_registration()
    {
        var consortium = await fixture.NewConsortiumAsync();
        var eventId = await fixture.PlanEventAsync(consortium, capacity: 10);
        var first = await RegisterAsync(fixture.Operator, eventId, consortium.College, "zhang.wei@sdlvtc.edu.cn");
        using var repeat = await fixture.Operator.PostAsJsonAsync($"/api/v1/events/{eventId}/registrations",
            new { personName = "Zhang Wei", organizationId = consortium.College, email = "  Zhang.Wei@SDLVTC.edu.cn " }, Cancel);
        Assert.Equal(HttpStatusCode.OK, repeat.StatusCode);
        Assert.Equal(Id(first), Id(await ReadAsync(repeat)));
        Assert.Equal(1, (await GetJsonAsync(fixture.Operator, $"/api/v1/events/{eventId}")).GetProperty("registered").GetInt32());
    }

    [Fact]
    public async Task Registration_needs_an_open_event_and_valid_fields()
    {
        var consortium = await fixture.NewConsortiumAsync();
        var draft = await fixture.PlanEventAsync(consortium, until: "draft");
        using var closed = await fixture.Operator.PostAsJsonAsync($"/api/v1/events/{draft}/registrations",
            new { personName = "Li Na", organizationId = consortium.College, email = "li.na@sdlvtc.edu.cn" }, Cancel);
        Assert.Equal(HttpStatusCode.Conflict, closed.StatusCode);
        Assert.Equal("draft", (await ReadAsync(closed)).GetProperty("currentState").GetProperty("status").GetString());

        var open = await fixture.PlanEventAsync(consortium);
        using var invalid = await fixture.Operator.PostAsJsonAsync($"/api/v1/events/{open}/registrations",
            new { personName = "", organizationId = consortium.College, email = "not-an-address" }, Cancel);
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        var errors = (await ReadAsync(invalid)).GetProperty("errors");
        Assert.True(errors.TryGetProperty("personName", out _));
        Assert.True(errors.TryGetProperty("email", out _));
    }

    [Fact]
    public async Task Partners_register_their_own_people_and_see_only_what_they_may()
    {
        var consortium = await fixture.NewConsortiumAsync();
        var eventId = await fixture.PlanEventAsync(consortium, capacity: 10, organizers: [consortium.College]);
        using var enterprise = fixture.Service.ClientWithKey(await fixture.Service.IssuePartnerKeyAsync(consortium.Enterprise, "events:write", "events:read"));
        using var organizer = fixture.Service.ClientWithKey(await fixture.Service.IssuePartnerKeyAsync(consortium.College, "events:write", "events:read"));
        using var other = fixture.Service.ClientWithKey(await fixture.Service.IssuePartnerKeyAsync(consortium.TechnicianCollege, "events:write", "events:read"));

        using var forAnother = await enterprise.PostAsJsonAsync($"/api/v1/events/{eventId}/registrations",
            new { personName = "Sun Li", organizationId = consortium.TechnicianCollege, email = "sun.li@jnjsxy.cn" }, Cancel);
        Assert.Equal(HttpStatusCode.Forbidden, forAnother.StatusCode);

        var own = await RegisterAsync(enterprise, eventId, consortium.Enterprise, "hr@beichen.com");
        await RegisterAsync(other, eventId, consortium.TechnicianCollege, "office@jnjsxy.cn");

        // Personal data: the person's organization and the organizers see it; another organization gets 404.
        using var byOther = await other.GetAsync(new Uri($"/api/v1/events/{eventId}/registrations/{Id(own)}", UriKind.Relative), Cancel);
        Assert.Equal(HttpStatusCode.NotFound, byOther.StatusCode);
        Assert.Equal("hr@beichen.com", (await GetJsonAsync(organizer, $"/api/v1/events/{eventId}/registrations/{Id(own)}")).GetProperty("email").GetString());
        Assert.Equal(2, (await GetJsonAsync(organizer, $"/api/v1/events/{eventId}/registrations")).GetProperty("items").GetArrayLength());
        var seenByEnterprise = (await GetJsonAsync(enterprise, $"/api/v1/events/{eventId}/registrations")).GetProperty("items");
        Assert.Equal(["hr@beichen.com"], seenByEnterprise.EnumerateArray().Select(r => r.GetProperty("email").GetString()));

        // Another organization can neither cancel nor check in someone it cannot see; the person's own organization cannot check in.
        using var cancelByOther = await other.DeleteAsync(new Uri($"/api/v1/events/{eventId}/registrations/{Id(own)}", UriKind.Relative), Cancel);
        Assert.Equal(HttpStatusCode.NotFound, cancelByOther.StatusCode);
        using var selfCheckIn = await CheckInAsync(enterprise, eventId, Id(own));
        Assert.Equal(HttpStatusCode.Forbidden, selfCheckIn.StatusCode);
        using var organizerCheckIn = await CheckInAsync(organizer, eventId, Id(own));
        Assert.Equal(HttpStatusCode.OK, organizerCheckIn.StatusCode);
    }

    private static async Task<JsonElement> RegisterAsync(HttpClient client, Guid eventId, Guid organizationId, string email)
    {
        using var response = await client.PostAsJsonAsync($"/api/v1/events/{eventId}/registrations",
            new { personName = "Zhang Wei", title = "Director", organizationId, email }, Cancel);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return await ReadAsync(response);
    }

    private static Task<HttpResponseMessage> CheckInAsync(HttpClient client, Guid eventId, Guid registrationId) =>
        client.PostAsync(new Uri($"/api/v1/events/{eventId}/registrations/{registrationId}/check-in", UriKind.Relative), null, Cancel);

    private static Guid Id(JsonElement registration) => registration.GetProperty("id").GetGuid();
}
