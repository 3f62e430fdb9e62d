using System.Net;
using System.Net.Http.Json;
using Platform.Events.Contracts;
using Platform.Membership.Contracts;
using static Platform.Events.Tests.EventsServiceFixture;

namespace Platform.Events.Tests;

public sealed class OutcomeTests(EventsServiceFixture fixture) : IClassFixture<EventsServiceFixture>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_agreement_signed_at_a_held_event_is_published_with_named_parties_and_listed_in_the_register()
    {
        var consortium = await fixture.NewConsortiumAsync();
        var ceremony = await fixture.PlanEventAsync(consortium, kind: "signingCeremony", until: "held");
        await using var signed = await fixture.Service.WatchAsync<AgreementSigned>();

        using var response = await fixture.Operator.PostAsJsonAsync($"/api/v1/events/{ceremony}/outcomes/agreements", new
        {
            parties = new[] { consortium.College, consortium.Enterprise },
            kind = "orderClass",
            title = "Intelligent welding order class agreement",
            occupation = "intelligent welding",
        }, Cancel);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);

        var published = await signed.NextAsync(e => e.EventId == ceremony);
        Assert.Equal("orderClass", published.Kind);
        Assert.Equal("intelligent welding", published.Occupation);
        Assert.Equal(consortium.Id, published.ConsortiumId);
        Assert.Equal(new DateOnly(2025, 1, 15), published.SignedOn);   // the event's local day
        Assert.Equal([(consortium.College, TestConsortium.CollegeName, "vocationalCollege"), (consortium.Enterprise, TestConsortium.EnterpriseName, "enterprise")],
            published.Parties.Select(p => (p.OrganizationId, p.OrganizationName, p.OrganizationKind)));

        var register = await GetJsonAsync(fixture.Operator, $"/api/v1/agreements?consortiumId={consortium.Id}");
        var listed = Assert.Single(register.GetProperty("items").EnumerateArray());
        Assert.Equal(published.AgreementId, listed.GetProperty("id").GetGuid());
        Assert.Equal(ceremony, listed.GetProperty("eventId").GetGuid());
        Assert.Equal(2, listed.GetProperty("parties").GetArrayLength());
    }

    [Fact]
    public async Task Outcomes_need_a_held_event_and_active_members()
    {
        var consortium = await fixture.NewConsortiumAsync();
        var open = await fixture.PlanEventAsync(consortium, kind: "signingCeremony");
        using var early = await fixture.Operator.PostAsJsonAsync($"/api/v1/events/{open}/outcomes/agreements",
            new { parties = new[] { consortium.College, consortium.Enterprise }, kind = "frameworkAgreement", title = "Framework" }, Cancel);
        Assert.Equal(HttpStatusCode.Conflict, early.StatusCode);
        Assert.Equal("registrationOpen", (await ReadAsync(early)).GetProperty("currentState").GetProperty("status").GetString());

        var held = await fixture.PlanEventAsync(consortium, kind: "signingCeremony", until: "held");
        using var notMember = await fixture.Operator.PostAsJsonAsync($"/api/v1/events/{held}/outcomes/agreements",
            new { parties = new[] { consortium.College, consortium.Applicant }, kind = "strategicCooperation", title = "Strategic cooperation" }, Cancel);
        Assert.Equal(HttpStatusCode.BadRequest, notMember.StatusCode);
        Assert.True((await ReadAsync(notMember)).GetProperty("errors").TryGetProperty("parties[1]", out _));

        using var results = await fixture.Operator.PostAsJsonAsync($"/api/v1/events/{held}/outcomes/competition-results",
            new { entrants = new[] { new { traineeRef = "T-1", collegeId = consortium.College, rank = 1, award = "First prize" } } }, Cancel);
        Assert.Equal(HttpStatusCode.Conflict, results.StatusCode);   // not a skills competition

        using var enterprise = fixture.Service.ClientWithKey(await fixture.Service.IssuePartnerKeyAsync(consortium.Enterprise, "events:write"));
        using var notOrganizer = await enterprise.PostAsJsonAsync($"/api/v1/events/{held}/outcomes/unveilings",
            new { name = "Training base", hostOrganizationId = consortium.Enterprise, kind = "trainingBase" }, Cancel);
        Assert.Equal(HttpStatusCode.Forbidden, notOrganizer.StatusCode);
    }

    [Fact]
    public async Task An_unveiling_publishes_PlaqueUnveiled_with_the_host_named()
    {
        var consortium = await fixture.NewConsortiumAsync();
        var ceremony = await fixture.PlanEventAsync(consortium, kind: "unveilingCeremony", until: "held");
        await using var unveiled = await fixture.Service.WatchAsync<PlaqueUnveiled>();
        using var response = await fixture.Operator.PostAsJsonAsync($"/api/v1/events/{ceremony}/outcomes/unveilings", new
        {
            name = "Jining Municipal High-Skilled Talent Training Base",
            hostOrganizationId = consortium.TechnicianCollege,
            kind = "trainingBase",
            unveiledOn = "2025-01-16",
        }, Cancel);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var published = await unveiled.NextAsync(e => e.EventId == ceremony);
        Assert.Equal(TestConsortium.TechnicianCollegeName, published.HostOrganizationName);
        Assert.Equal("trainingBase", published.Kind);
        Assert.Equal(new DateOnly(2025, 1, 16), published.UnveiledOn);
    }

    [Fact]
    public async Task Council_designations_are_published_and_show_what_membership_did_with_them()
    {
        var consortium = await fixture.NewConsortiumAsync();
        var meeting = await fixture.PlanEventAsync(consortium, kind: "councilMeeting", until: "held");
        await using var recorded = await fixture.Service.WatchAsync<CouncilDesignationsRecorded>();

        using var first = await fixture.Operator.PostAsJsonAsync($"/api/v1/events/{meeting}/outcomes/council-designations", new
        {
            sessionNumber = 1,
            designations = new object[]
            {
                new { organizationId = consortium.TechnicianCollege, role = "chair" },
                new { organizationId = consortium.Enterprise, role = "viceChair" },
            },
        }, Cancel);
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal("pending", (await ReadAsync(first)).GetProperty("state").GetString());
        var published = await recorded.NextAsync(e => e.EventId == meeting);
        Assert.Equal(1, published.SessionNumber);
        Assert.Equal((OutcomeRecorder.OperatorKind, (Guid?)null), (published.RecordedBy!.Kind, published.RecordedBy.OrganizationId));
        Assert.Equal([(consortium.TechnicianCollege, "chair"), (consortium.Enterprise, "viceChair")], published.Designations.Select(d => (d.OrganizationId, d.Role)));

        using var second = await fixture.Operator.PostAsJsonAsync($"/api/v1/events/{meeting}/outcomes/council-designations", new
        {
            sessionNumber = 1,
            designations = new object[] { new { organizationId = consortium.Applicant, role = "secretaryGeneral" } },
        }, Cancel);
        var rejected = await recorded.NextAsync(e => e.EventId == meeting);

        // Membership's answers, as membership publishes them.
        await fixture.Service.PublishAsync(new CouncilDesignationsApplied
        {
            RecordingId = published.RecordingId, ConsortiumId = consortium.Id, SessionNumber = 1, Designated = 2, OccurredAt = DateTimeOffset.UtcNow,
        });
        await fixture.Service.PublishAsync(new CouncilDesignationsRejected
        {
            RecordingId = rejected.RecordingId, ConsortiumId = consortium.Id, SessionNumber = 1,
            Reasons = new Dictionary<string, string[]> { ["designations[0].organizationId"] = ["Not an active member."] },
            OccurredAt = DateTimeOffset.UtcNow,
        });

        await Platform.Testing.ServiceUnderTest<Program>.EventuallyAsync(async () =>
        {
            var read = await GetJsonAsync(fixture.Operator, $"/api/v1/events/{meeting}");
            var states = read.GetProperty("outcomes").GetProperty("councilDesignations").EnumerateArray()
                .ToDictionary(d => d.GetProperty("id").GetGuid(), d => d);
            return states[published.RecordingId].GetProperty("state").GetString() == "applied"
                   && states[rejected.RecordingId].GetProperty("state").GetString() == "rejected"
                   && states[rejected.RecordingId].GetProperty("reasons").GetProperty("designations[0].organizationId")[0].GetString() == "Not an active member.";
        }, "the meeting shows one recording applied and one rejected with its reasons");
    }

    [Fact]
    public async Task Competition_results_are_published_ranked_with_college_names_once()
    {
        var consortium = await fixture.NewConsortiumAsync();
        var competition = await fixture.PlanEventAsync(consortium, kind: "skillsCompetition", until: "held");
        await using var published = await fixture.Service.WatchAsync<CompetitionResultsPublished>();
        var body = new
        {
            entrants = new object[]
            {
                new { traineeRef = "SD-2025-017", collegeId = consortium.TechnicianCollege, rank = 2, award = "Second prize" },
                new { traineeRef = "SD-2025-003", collegeId = consortium.College, rank = 1, award = "First prize" },
                new { traineeRef = "SD-2025-044", collegeId = consortium.College, rank = 3 },
            },
        };
        using var response = await fixture.Operator.PostAsJsonAsync($"/api/v1/events/{competition}/outcomes/competition-results", body, Cancel);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var results = await published.NextAsync(e => e.EventId == competition);
        Assert.Equal(["SD-2025-003", "SD-2025-017", "SD-2025-044"], results.Entrants.Select(e => e.TraineeRef));
        Assert.Equal(TestConsortium.CollegeName, results.Entrants[0].CollegeName);
        Assert.Null(results.Entrants[2].Award);

        using var again = await fixture.Operator.PostAsJsonAsync($"/api/v1/events/{competition}/outcomes/competition-results", body, Cancel);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
    }
}
