using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Platform.Events.Contracts;
using Platform.Membership.Contracts;
using Platform.TalentPipeline.Contracts;
using Platform.Testing;
using static Platform.Events.Tests.EventsServiceFixture;

namespace Platform.Events.Tests;

/// <summary>
/// Outcomes say who recorded them (membership and talent-pipeline decide privileged effects with it, and their refusals
/// show on the outcome); a consortium's directory, feed and register are its members' only; the feed tells nothing private.
/// </summary>
public sealed class CrossServiceAuthorizationTests(EventsServiceFixture fixture) : IClassFixture<EventsServiceFixture>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Outcomes_carry_their_recorder_and_show_the_refusals_of_the_services_that_act_on_them()
    {
        var consortium = await fixture.NewConsortiumAsync();
        using var college = fixture.Service.ClientWithKey(await fixture.Service.IssuePartnerKeyAsync(consortium.College, "events:write", "events:read"));
        // The college organizes its own "council meeting" and holds it at once.
        var meeting = await HeldByAsync(college, consortium, "councilMeeting");
        await using var recorded = await fixture.Service.WatchAsync<CouncilDesignationsRecorded>();
        await using var unveiled = await fixture.Service.WatchAsync<PlaqueUnveiled>();

        using (var designations = await college.PostAsJsonAsync($"/api/v1/events/{meeting}/outcomes/council-designations", new
        {
            sessionNumber = 1,
            designations = new[] { new { organizationId = consortium.College, role = "chair" } },
        }, Cancel))
            Assert.Equal(HttpStatusCode.Created, designations.StatusCode);
        var byPartner = await recorded.NextAsync(e => e.EventId == meeting);
        Assert.Equal((OutcomeRecorder.PartnerKind, consortium.College), (byPartner.RecordedBy!.Kind, byPartner.RecordedBy.OrganizationId));

        var ceremony = await HeldByAsync(college, consortium, "unveilingCeremony");
        using (var plaque = await college.PostAsJsonAsync($"/api/v1/events/{ceremony}/outcomes/unveilings",
                   new { name = "Beichen Employment Base", hostOrganizationId = consortium.Enterprise, kind = "employmentBase" }, Cancel))
        {
            Assert.Equal(HttpStatusCode.Created, plaque.StatusCode);
            Assert.Equal("pending", (await ReadAsync(plaque)).GetProperty("state").GetString());
        }
        var plaqueByPartner = await unveiled.NextAsync(e => e.EventId == ceremony);
        Assert.Equal((OutcomeRecorder.PartnerKind, consortium.College), (plaqueByPartner.RecordedBy!.Kind, plaqueByPartner.RecordedBy.OrganizationId));

        var operatorCeremony = await fixture.PlanEventAsync(consortium, kind: "unveilingCeremony", until: "held");
        using (var plaque = await fixture.Operator.PostAsJsonAsync($"/api/v1/events/{operatorCeremony}/outcomes/unveilings",
                   new { name = "Training Base", hostOrganizationId = consortium.TechnicianCollege, kind = "trainingBase" }, Cancel))
            Assert.Equal(HttpStatusCode.Created, plaque.StatusCode);
        var plaqueByOperator = await unveiled.NextAsync(e => e.EventId == operatorCeremony);
        Assert.Equal((OutcomeRecorder.OperatorKind, (Guid?)null), (plaqueByOperator.RecordedBy!.Kind, plaqueByOperator.RecordedBy.OrganizationId));
        using (var other = await fixture.Operator.PostAsJsonAsync($"/api/v1/events/{operatorCeremony}/outcomes/unveilings",
                   new { name = "Friendship plaque", hostOrganizationId = consortium.TechnicianCollege, kind = "other" }, Cancel))
            Assert.Equal("recorded", (await ReadAsync(other)).GetProperty("state").GetString());

        // The answers, as membership and talent-pipeline publish them.
        await fixture.Service.PublishAsync(new CouncilDesignationsRejected
        {
            RecordingId = byPartner.RecordingId, ConsortiumId = consortium.Id, SessionNumber = 1, OccurredAt = DateTimeOffset.UtcNow,
            Reasons = new Dictionary<string, string[]> { ["recordedBy"] = ["Council roles recorded at a meeting are applied only when the consortium's operator records them."] },
        });
        await fixture.Service.PublishAsync(new PlaqueUnveilingRejected
        {
            UnveilingId = plaqueByPartner.UnveilingId, ConsortiumId = consortium.Id, OccurredAt = DateTimeOffset.UtcNow,
            Reasons = new Dictionary<string, string[]> { ["recordedBy"] = ["The recording organization is not the host."] },
        });
        var programId = Guid.CreateVersion7();
        await fixture.Service.PublishAsync(new PlaqueUnveilingApplied
        {
            UnveilingId = plaqueByOperator.UnveilingId, ConsortiumId = consortium.Id, ProgramId = programId, OccurredAt = DateTimeOffset.UtcNow,
        });

        await ServiceUnderTest<Program>.EventuallyAsync(async () =>
        {
            var designation = (await GetJsonAsync(college, $"/api/v1/events/{meeting}")).GetProperty("outcomes").GetProperty("councilDesignations")[0];
            var refused = (await GetJsonAsync(college, $"/api/v1/events/{ceremony}")).GetProperty("outcomes").GetProperty("unveilings")[0];
            var launched = (await GetJsonAsync(fixture.Operator, $"/api/v1/events/{operatorCeremony}")).GetProperty("outcomes").GetProperty("unveilings")
                .EnumerateArray().Single(u => u.GetProperty("id").GetGuid() == plaqueByOperator.UnveilingId);
            return designation.GetProperty("state").GetString() == "rejected"
                   && designation.GetProperty("reasons").TryGetProperty("recordedBy", out _)
                   && refused.GetProperty("state").GetString() == "rejected"
                   && refused.GetProperty("reasons").GetProperty("recordedBy")[0].GetString() == "The recording organization is not the host."
                   && launched.GetProperty("state").GetString() == "applied"
                   && launched.GetProperty("programId").GetGuid() == programId;
        }, "the outcomes show what membership and talent-pipeline did with them");
    }

    [Fact]
    public async Task A_partner_reads_the_directory_feed_and_agreements_register_of_its_own_consortia_only()
    {
        var own = await fixture.NewConsortiumAsync();
        var other = await fixture.NewConsortiumAsync();
        using var member = fixture.Service.ClientWithKey(await fixture.Service.IssuePartnerKeyAsync(own.College, "events:read"));
        // An organization that only applied to the consortium is no member yet.
        using var applicant = fixture.Service.ClientWithKey(await fixture.Service.IssuePartnerKeyAsync(own.Applicant, "events:read"));
        string[] reads = ["/api/v1/members?consortiumId={0}", "/api/v1/feed?consortiumId={0}", "/api/v1/feed.atom?consortiumId={0}", "/api/v1/agreements?consortiumId={0}"];

        foreach (var read in reads)
        {
            using var ownRead = await member.GetAsync(new Uri(string.Format(System.Globalization.CultureInfo.InvariantCulture, read, own.Id), UriKind.Relative), Cancel);
            Assert.Equal(HttpStatusCode.OK, ownRead.StatusCode);
            using var otherRead = await member.GetAsync(new Uri(string.Format(System.Globalization.CultureInfo.InvariantCulture, read, other.Id), UriKind.Relative), Cancel);
            Assert.Equal(HttpStatusCode.NotFound, otherRead.StatusCode);
            Assert.Equal("application/problem+json", otherRead.Content.Headers.ContentType?.MediaType);
            using var unknown = await member.GetAsync(new Uri(string.Format(System.Globalization.CultureInfo.InvariantCulture, read, Guid.CreateVersion7()), UriKind.Relative), Cancel);
            Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
            using var notYet = await applicant.GetAsync(new Uri(string.Format(System.Globalization.CultureInfo.InvariantCulture, read, own.Id), UriKind.Relative), Cancel);
            Assert.Equal(HttpStatusCode.NotFound, notYet.StatusCode);
            using var byOperator = await fixture.Operator.GetAsync(new Uri(string.Format(System.Globalization.CultureInfo.InvariantCulture, read, other.Id), UriKind.Relative), Cancel);
            Assert.Equal(HttpStatusCode.OK, byOperator.StatusCode);
        }

        // A suspended member still reads its consortium (as in membership); once withdrawn it does not.
        await fixture.Service.PublishAsync(new MembershipSuspended
        {
            MembershipId = Guid.CreateVersion7(), ConsortiumId = own.Id, OrganizationId = own.College, OrganizationName = TestConsortium.CollegeName,
            OccurredAt = DateTimeOffset.UtcNow.AddMinutes(-5),
        });
        await ServiceUnderTest<Program>.EventuallyAsync(async () => await StatusOfAsync(own, own.College) == "suspended", "the college is suspended");
        using (var suspended = await member.GetAsync(new Uri($"/api/v1/feed?consortiumId={own.Id}", UriKind.Relative), Cancel))
            Assert.Equal(HttpStatusCode.OK, suspended.StatusCode);
        await fixture.Service.PublishAsync(new MembershipWithdrawn
        {
            MembershipId = Guid.CreateVersion7(), ConsortiumId = own.Id, OrganizationId = own.College, OrganizationName = TestConsortium.CollegeName,
            OccurredAt = DateTimeOffset.UtcNow.AddMinutes(-4),
        });
        await ServiceUnderTest<Program>.EventuallyAsync(async () => await StatusOfAsync(own, own.College) == "withdrawn", "the college withdrew");
        using (var withdrawn = await member.GetAsync(new Uri($"/api/v1/members?consortiumId={own.Id}", UriKind.Relative), Cancel))
            Assert.Equal(HttpStatusCode.NotFound, withdrawn.StatusCode);
    }

    [Fact]
    public async Task The_feed_tells_no_private_membership_reason_and_no_trainee_ref_not_even_after_a_rebuild()
    {
        var consortium = await fixture.NewConsortiumAsync();
        var at = DateTimeOffset.UtcNow.AddMinutes(-5);
        const string Secret = "unpaid dues and a pending fraud inquiry";
        await fixture.Service.PublishAsync(new MembershipSuspended
        {
            MembershipId = Guid.CreateVersion7(), ConsortiumId = consortium.Id, OrganizationId = consortium.Enterprise, OrganizationName = TestConsortium.EnterpriseName,
            Reason = Secret, OccurredAt = at,
        });
        // Talent-pipeline paused the enterprise's program because of it (messages from before the pause reason was scrubbed carry it).
        await fixture.Service.PublishAsync(new ProgramStatusChanged
        {
            ProgramId = Guid.CreateVersion7(), ConsortiumId = consortium.Id, Title = "Intelligent welding order class", From = "active", To = "paused",
            Reason = $"{TestConsortium.EnterpriseName} was suspended: {Secret}", OccurredAt = at.AddSeconds(1),
        });
        await fixture.Service.PublishAsync(new MembershipReinstated
        {
            MembershipId = Guid.CreateVersion7(), ConsortiumId = consortium.Id, OrganizationId = consortium.Enterprise, OrganizationName = TestConsortium.EnterpriseName,
            OrganizationKind = "enterprise", Reason = $"{Secret} settled", OccurredAt = at.AddSeconds(2),
        });
        await fixture.Service.PublishAsync(new MembershipWithdrawn
        {
            MembershipId = Guid.CreateVersion7(), ConsortiumId = consortium.Id, OrganizationId = consortium.TechnicianCollege, OrganizationName = TestConsortium.TechnicianCollegeName,
            Reason = $"merged after {Secret}", OccurredAt = at.AddSeconds(3),
        });
        await fixture.Service.PublishAsync(new CompetitionResultsPublished
        {
            ResultsId = Guid.CreateVersion7(), EventId = Guid.CreateVersion7(), EventTitle = "Jining welding skills competition", ConsortiumId = consortium.Id,
            OccurredAt = at.AddSeconds(4), RecordedBy = new OutcomeRecorder { Kind = OutcomeRecorder.OperatorKind },
            Entrants =
            [
                new CompetitionEntrant { TraineeRef = "SD-2025-003", CollegeId = consortium.College, CollegeName = TestConsortium.CollegeName, Rank = 1, Award = "First prize" },
                new CompetitionEntrant { TraineeRef = "110101199003077777", CollegeId = consortium.TechnicianCollege, CollegeName = TestConsortium.TechnicianCollegeName, Rank = 2 },
            ],
        });

        using var member = fixture.Service.ClientWithKey(await fixture.Service.IssuePartnerKeyAsync(consortium.College, "events:read"));
        var entries = await EntriesAsync(member, consortium.Id, 5);
        Assert.Equal("The membership is suspended.", entries["memberSuspended"].GetProperty("content").GetString());
        Assert.Equal("The membership is active again.", entries["memberReinstated"].GetProperty("content").GetString());
        Assert.Equal("The membership has ended.", entries["memberLeft"].GetProperty("content").GetString());
        Assert.Equal("The program went from active to paused.", entries["programStatusChanged"].GetProperty("content").GetString());
        Assert.Equal($"2 entrants ranked. 1st: {TestConsortium.CollegeName}, First prize.", entries["competitionResults"].GetProperty("content").GetString());
        await AssertNothingPrivateAsync(member, consortium.Id);

        using (var rebuilt = await fixture.Operator.PostAsync(new Uri($"/api/v1/feed/rebuild?consortiumId={consortium.Id}", UriKind.Relative), null, Cancel))
            Assert.Equal(HttpStatusCode.OK, rebuilt.StatusCode);
        await AssertNothingPrivateAsync(member, consortium.Id);

        async Task AssertNothingPrivateAsync(HttpClient client, Guid consortiumId)
        {
            foreach (var path in new[] { $"/api/v1/feed?consortiumId={consortiumId}&limit=200", $"/api/v1/feed.atom?consortiumId={consortiumId}&limit=200" })
            {
                using var response = await client.GetAsync(new Uri(path, UriKind.Relative), Cancel);
                var body = await response.Content.ReadAsStringAsync(Cancel);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                Assert.DoesNotContain("unpaid dues", body, StringComparison.Ordinal);
                Assert.DoesNotContain("SD-2025-003", body, StringComparison.Ordinal);
                Assert.DoesNotContain("110101199003077777", body, StringComparison.Ordinal);
                Assert.Contains("competition", body, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public async Task Trainee_refs_of_competition_results_show_only_to_the_operator_the_organizers_and_the_entrant_s_college()
    {
        var consortium = await fixture.NewConsortiumAsync();
        var competition = await fixture.PlanEventAsync(consortium, kind: "skillsCompetition", until: "held");   // organized by the college
        using (var published = await fixture.Operator.PostAsJsonAsync($"/api/v1/events/{competition}/outcomes/competition-results", new
        {
            entrants = new object[]
            {
                new { traineeRef = "SD-2025-003", collegeId = consortium.College, rank = 1, award = "First prize" },
                new { traineeRef = "JN-2025-017", collegeId = consortium.TechnicianCollege, rank = 2, award = "Second prize" },
            },
        }, Cancel))
            Assert.Equal(HttpStatusCode.Created, published.StatusCode);

        async Task<string> RefsSeenByAsync(HttpClient client) => string.Join(" | ",
            (await GetJsonAsync(client, $"/api/v1/events/{competition}")).GetProperty("outcomes").GetProperty("competitionResults").GetProperty("entrants")
                .EnumerateArray().Select(e => e.GetProperty("traineeRef").GetString() ?? "(hidden)"));

        using var organizer = fixture.Service.ClientWithKey(await fixture.Service.IssuePartnerKeyAsync(consortium.College, "events:read"));
        using var otherCollege = fixture.Service.ClientWithKey(await fixture.Service.IssuePartnerKeyAsync(consortium.TechnicianCollege, "events:read"));
        using var enterprise = fixture.Service.ClientWithKey(await fixture.Service.IssuePartnerKeyAsync(consortium.Enterprise, "events:read"));
        Assert.Equal("SD-2025-003 | JN-2025-017", await RefsSeenByAsync(fixture.Operator));
        Assert.Equal("SD-2025-003 | JN-2025-017", await RefsSeenByAsync(organizer));
        Assert.Equal("(hidden) | JN-2025-017", await RefsSeenByAsync(otherCollege));
        Assert.Equal("(hidden) | (hidden)", await RefsSeenByAsync(enterprise));
    }

    private async Task<Dictionary<string, JsonElement>> EntriesAsync(HttpClient client, Guid consortiumId, int kinds)
    {
        Dictionary<string, JsonElement> byKind = [];
        string[] wanted = ["memberSuspended", "memberReinstated", "memberLeft", "programStatusChanged", "competitionResults"];
        await ServiceUnderTest<Program>.EventuallyAsync(async () =>
        {
            var page = await GetJsonAsync(client, $"/api/v1/feed?consortiumId={consortiumId}&limit=200");
            byKind = page.GetProperty("items").EnumerateArray().Where(e => wanted.Contains(e.GetProperty("kind").GetString()))
                .GroupBy(e => e.GetProperty("kind").GetString()!).ToDictionary(g => g.Key, g => g.First().Clone());
            return byKind.Count == kinds;
        }, $"the feed tells {kinds} kinds of story");
        return byKind;
    }

    private async Task<string?> StatusOfAsync(TestConsortium consortium, Guid organizationId)
    {
        var page = await GetJsonAsync(fixture.Operator, $"/api/v1/members?consortiumId={consortium.Id}&limit=200");
        return page.GetProperty("items").EnumerateArray().Where(m => m.GetProperty("organizationId").GetGuid() == organizationId)
            .Select(m => m.GetProperty("status").GetString()).SingleOrDefault();
    }

    /// <summary>Plans an event of the partner's own organization and holds it, all with the partner's key.</summary>
    private static async Task<Guid> HeldByAsync(HttpClient partner, TestConsortium consortium, string kind)
    {
        using var created = await partner.PostAsJsonAsync("/api/v1/events", new
        {
            kind,
            title = "Council meeting of the college's choosing",
            consortiumId = consortium.Id,
            organizerIds = new[] { consortium.College },
            venue = "College auditorium",
            startsAt = "2025-03-01T09:00:00",
            endsAt = "2025-03-01T11:00:00",
            capacity = 30,
        }, Cancel);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await ReadAsync(created)).GetProperty("id").GetGuid();
        foreach (var action in new[] { "schedule", "hold" })
        {
            using var moved = await partner.PostAsync(new Uri($"/api/v1/events/{id}/{action}", UriKind.Relative), null, Cancel);
            Assert.Equal(HttpStatusCode.OK, moved.StatusCode);
        }
        return id;
    }
}
