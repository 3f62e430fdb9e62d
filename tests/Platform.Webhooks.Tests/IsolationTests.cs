using System.Net;
using System.Text.Json;
using Platform.Events.Contracts;
using Platform.Membership.Contracts;
using Platform.TalentPipeline.Contracts;
using static Platform.Webhooks.Tests.FanoutScenario;

namespace Platform.Webhooks.Tests;

/// <summary>Nobody's endpoint hears what its organization may not read through the APIs.</summary>
public sealed class IsolationTests(WebhooksService webhooks) : IClassFixture<WebhooksService>
{
    private readonly FanoutScenario _scenario = new(webhooks);

    [Fact]
    public async Task A_flagged_placement_reaches_only_the_college_that_pushed_it()
    {
        var consortiumId = Guid.CreateVersion7();
        var (college, collegeClient) = await _scenario.OrganizationAsync("vocationalCollege", "Rizhao Vocational College");
        var (otherCollege, otherClient) = await _scenario.OrganizationAsync("technicianCollege", "Linyi Technician College");
        using var a = collegeClient;
        using var b = otherClient;
        await _scenario.ActivateAsync(consortiumId, college, "Rizhao Vocational College", "vocationalCollege");
        await _scenario.ActivateAsync(consortiumId, otherCollege, "Linyi Technician College", "technicianCollege");
        var own = await EndpointAsync(collegeClient, "placement.flagged");
        var other = await EndpointAsync(otherClient, "*");

        await _scenario.PublishAsync(Placement(college, consortiumId, "ev-1", flagged: true));
        await _scenario.PublishAsync(Placement(college, consortiumId, "ev-2", flagged: false));

        var (type, body) = Assert.Single(await _scenario.QueuedAsync(own));
        Assert.Equal("placement.flagged", type);
        Assert.Equal("placement.flagged", body.GetProperty("type").GetString());
        var data = body.GetProperty("data");
        Assert.Equal("ev-1", data.GetProperty("eventId").GetString());
        Assert.Equal(college, data.GetProperty("collegeId").GetGuid());
        Assert.Equal("Rizhao Vocational College", data.GetProperty("collegeName").GetString());
        Assert.Equal("T-0042", data.GetProperty("traineeRef").GetString());
        Assert.Equal("employed", data.GetProperty("type").GetString());
        Assert.DoesNotContain(await _scenario.QueuedAsync(other), m => m.Type == "placement.flagged");
    }

    [Fact]
    public async Task Membership_reasons_go_only_to_the_organization_itself_and_the_others_get_a_copy_without()
    {
        var consortiumId = Guid.CreateVersion7();
        var (suspended, suspendedClient) = await _scenario.OrganizationAsync("enterprise", "Weifang Gear Works");
        var (member, memberClient) = await _scenario.OrganizationAsync("vocationalCollege", "Weifang Vocational College");
        var (outsider, outsiderClient) = await _scenario.OrganizationAsync("enterprise", "Qingdao Port Logistics");
        using var a = suspendedClient;
        using var b = memberClient;
        using var c = outsiderClient;
        var membershipId = Guid.CreateVersion7();
        await _scenario.ActivateAsync(consortiumId, member, "Weifang Vocational College", "vocationalCollege");
        await _scenario.PublishAsync(new MembershipActivated
        {
            MembershipId = membershipId, ConsortiumId = consortiumId, OrganizationId = suspended, OrganizationName = "Weifang Gear Works",
            OrganizationKind = "enterprise", OccurredAt = DateTimeOffset.UtcNow, Version = 1,
        });
        var ownEndpoint = await EndpointAsync(suspendedClient, "membership.suspended");
        var memberEndpoint = await EndpointAsync(memberClient, "*");
        var outsiderEndpoint = await EndpointAsync(outsiderClient, "*");

        await _scenario.PublishAsync(new MembershipSuspended
        {
            MembershipId = membershipId, ConsortiumId = consortiumId, OrganizationId = suspended, OrganizationName = "Weifang Gear Works",
            Reason = "Dues for 2025 unpaid", OccurredAt = DateTimeOffset.UtcNow, Version = 2,
        });

        var toItself = Assert.Single(await _scenario.QueuedAboutAsync(ownEndpoint, "membership.suspended", "organizationId", suspended)).GetProperty("data");
        Assert.Equal("Dues for 2025 unpaid", toItself.GetProperty("reason").GetString());
        Assert.Equal("suspended", toItself.GetProperty("status").GetString());
        Assert.Equal("Weifang Gear Works", toItself.GetProperty("organizationName").GetString());
        var toMember = Assert.Single(await _scenario.QueuedAboutAsync(memberEndpoint, "membership.suspended", "organizationId", suspended)).GetProperty("data");
        Assert.True(!toMember.TryGetProperty("reason", out var reason) || reason.ValueKind == JsonValueKind.Null, toMember.GetRawText());
        Assert.DoesNotContain("Dues", (await _scenario.QueuedAsync(memberEndpoint)).Select(m => m.Body.GetRawText()).Aggregate("", string.Concat), StringComparison.Ordinal);
        Assert.Empty(await _scenario.QueuedAsync(outsiderEndpoint));
    }

    [Fact]
    public async Task Consortium_news_reaches_current_members_suspended_ones_too_and_never_outsiders_or_former_members()
    {
        var consortiumId = Guid.CreateVersion7();
        var (active, activeClient) = await _scenario.OrganizationAsync("enterprise", "Yantai Shipyard");
        var (suspended, suspendedClient) = await _scenario.OrganizationAsync("university", "Ludong University");
        var (withdrawn, withdrawnClient) = await _scenario.OrganizationAsync("enterprise", "Jinan Steel");
        var (applicant, applicantClient) = await _scenario.OrganizationAsync("enterprise", "Zibo Ceramics");
        var (outsider, outsiderClient) = await _scenario.OrganizationAsync("enterprise", "Heze Foods");
        using var a = activeClient;
        using var b = suspendedClient;
        using var c = withdrawnClient;
        using var d = applicantClient;
        using var e = outsiderClient;
        await _scenario.ActivateAsync(consortiumId, active, "Yantai Shipyard", "enterprise");
        await _scenario.ActivateAsync(consortiumId, suspended, "Ludong University", "university");
        await _scenario.PublishAsync(new MembershipSuspended
        {
            MembershipId = Guid.CreateVersion7(), ConsortiumId = consortiumId, OrganizationId = suspended, OrganizationName = "Ludong University",
            OccurredAt = DateTimeOffset.UtcNow, Version = 2,
        });
        await _scenario.ActivateAsync(consortiumId, withdrawn, "Jinan Steel", "enterprise");
        await _scenario.PublishAsync(new MembershipWithdrawn
        {
            MembershipId = Guid.CreateVersion7(), ConsortiumId = consortiumId, OrganizationId = withdrawn, OrganizationName = "Jinan Steel",
            OccurredAt = DateTimeOffset.UtcNow, Version = 2,
        });
        await _scenario.PublishAsync(new MembershipApplied
        {
            MembershipId = Guid.CreateVersion7(), ConsortiumId = consortiumId, OrganizationId = applicant, OrganizationName = "Zibo Ceramics",
            OrganizationKind = "enterprise", OccurredAt = DateTimeOffset.UtcNow, Version = 1,
        });
        Guid[] hearing = [await EndpointAsync(activeClient, "event.scheduled", "event.cancelled", "agreement.signed"), await EndpointAsync(suspendedClient, "*")];
        Guid[] deaf = [await EndpointAsync(withdrawnClient, "*"), await EndpointAsync(applicantClient, "*"), await EndpointAsync(outsiderClient, "*")];

        var eventId = Guid.CreateVersion7();
        var now = DateTimeOffset.UtcNow;
        await _scenario.PublishAsync(new ConsortiumEventScheduled
        {
            EventId = eventId, ConsortiumId = consortiumId, Kind = "councilMeeting", Title = "Second council meeting", Venue = "Yantai",
            StartsAt = now.AddDays(30), EndsAt = now.AddDays(30).AddHours(3), OrganizerIds = [active], OccurredAt = now,
        });
        await _scenario.PublishAsync(new ConsortiumEventCancelled
        {
            EventId = eventId, ConsortiumId = consortiumId, Title = "Second council meeting", Reason = "Venue unavailable", RegistrantIds = [], OccurredAt = now,
        });
        await _scenario.PublishAsync(new AgreementSigned
        {
            AgreementId = Guid.CreateVersion7(), EventId = eventId, EventTitle = "Signing ceremony", ConsortiumId = consortiumId, Kind = "frameworkAgreement",
            Title = "Framework agreement", Parties = [new() { OrganizationId = active, OrganizationName = "Yantai Shipyard", OrganizationKind = "enterprise" }],
            SignedOn = new DateOnly(2026, 5, 1), OccurredAt = now,
        });

        foreach (var endpoint in hearing)
        {
            var types = (await _scenario.QueuedAsync(endpoint)).Where(m => m.Body.GetProperty("data").GetProperty("consortiumId").GetGuid() == consortiumId
                && m.Type is "event.scheduled" or "event.cancelled" or "agreement.signed").Select(m => m.Type);
            Assert.Equal(["event.scheduled", "event.cancelled", "agreement.signed"], types);
        }
        var scheduled = Assert.Single(await _scenario.QueuedAboutAsync(hearing[0], "event.scheduled", "eventId", eventId)).GetProperty("data");
        Assert.Equal("Yantai Shipyard", Assert.Single(scheduled.GetProperty("organizers").EnumerateArray()).GetProperty("name").GetString());
        foreach (var endpoint in deaf) Assert.Empty(await _scenario.QueuedAsync(endpoint));
    }

    [Fact]
    public async Task Program_news_reaches_its_parties_only()
    {
        var consortiumId = Guid.CreateVersion7();
        var programId = Guid.CreateVersion7();
        var (college, collegeClient) = await _scenario.OrganizationAsync("technicianCollege", "Dezhou Technician College");
        var (enterprise, enterpriseClient) = await _scenario.OrganizationAsync("enterprise", "Dezhou Solar");
        var (bystander, bystanderClient) = await _scenario.OrganizationAsync("enterprise", "Liaocheng Bearings");
        using var a = collegeClient;
        using var b = enterpriseClient;
        using var c = bystanderClient;
        foreach (var (id, name, kind) in new[] { (college, "Dezhou Technician College", "technicianCollege"), (enterprise, "Dezhou Solar", "enterprise"), (bystander, "Liaocheng Bearings", "enterprise") })
            await _scenario.ActivateAsync(consortiumId, id, name, kind);
        Guid[] parties = [await EndpointAsync(collegeClient, "*"), await EndpointAsync(enterpriseClient, "program.launched", "program.paused", "program.resumed", "program.cancelled")];
        var nonParty = await EndpointAsync(bystanderClient, "*");

        var now = DateTimeOffset.UtcNow;
        await _scenario.PublishAsync(new ProgramLaunched
        {
            ProgramId = programId, ConsortiumId = consortiumId, Kind = "orderClass", Title = "Photovoltaic order class 2026",
            Colleges = [new() { OrganizationId = college, Name = "Dezhou Technician College" }], Enterprises = [new() { OrganizationId = enterprise, Name = "Dezhou Solar" }],
            Seats = 40, OccurredAt = now,
        });
        await _scenario.PublishAsync(StatusChanged(programId, consortiumId, "active", "paused", [college, enterprise]));
        await _scenario.PublishAsync(StatusChanged(programId, consortiumId, "paused", "active", [college, enterprise]));
        await _scenario.PublishAsync(StatusChanged(programId, consortiumId, "active", "cancelled", [college, enterprise]));
        // From a producer older than PartyIds: nobody is told (guessing would tell non-parties).
        await _scenario.PublishAsync(StatusChanged(programId, consortiumId, "active", "completed", []));

        foreach (var endpoint in parties)
        {
            var told = (await _scenario.QueuedAsync(endpoint)).Where(m => m.Type.StartsWith("program.", StringComparison.Ordinal)).ToList();
            Assert.Equal(["program.launched", "program.paused", "program.resumed", "program.cancelled"], told.Select(m => m.Type));
            Assert.All(told, m => Assert.Equal(programId, m.Body.GetProperty("data").GetProperty("programId").GetGuid()));
            var launched = told[0].Body.GetProperty("data");
            Assert.Equal(["Dezhou Technician College", "Dezhou Solar"], launched.GetProperty("parties").EnumerateArray().Select(p => p.GetProperty("name").GetString()));
            Assert.Equal("Dezhou Solar", told[1].Body.GetProperty("data").GetProperty("parties")[1].GetProperty("name").GetString());
        }
        Assert.DoesNotContain(await _scenario.QueuedAsync(nonParty), m => m.Type.StartsWith("program.", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_organization_may_not_subscribe_to_what_it_may_never_see()
    {
        var (enterprise, enterpriseClient) = await _scenario.OrganizationAsync("enterprise", "Binzhou Textiles");
        var (_, unknown) = await webhooks.PartnerAsync();
        var (_, collegeClient) = await _scenario.OrganizationAsync("university", "Binzhou University");
        using var a = enterpriseClient;
        using var b = unknown;
        using var c = collegeClient;
        using var operatorClient = webhooks.Operator();

        // "*" is always allowed: it means everything the organization may see.
        var refused = await WebhooksService.RegisterAsync(enterpriseClient, new { url = Url, eventTypes = new[] { "*", "program.launched", "placement.flagged" } }, HttpStatusCode.BadRequest);
        Assert.NotEmpty(WebhooksService.Errors(refused, "eventTypes[2]"));
        Assert.Empty(WebhooksService.Errors(refused, "eventTypes[0]"));
        Assert.Empty(WebhooksService.Errors(refused, "eventTypes[1]"));
        // An organization whose kind the service does not know yet counts as not a college.
        var notKnown = await WebhooksService.RegisterAsync(unknown, new { url = Url, eventTypes = new[] { "placement.flagged" } }, HttpStatusCode.BadRequest);
        Assert.NotEmpty(WebhooksService.Errors(notKnown, "eventTypes[0]"));
        var byOperator = await WebhooksService.RegisterAsync(operatorClient, new { organizationId = enterprise, url = Url, eventTypes = new[] { "placement.flagged" } }, HttpStatusCode.BadRequest);
        Assert.NotEmpty(WebhooksService.Errors(byOperator, "eventTypes[0]"));

        var allowed = await EndpointAsync(enterpriseClient, "*");
        var changed = await WebhooksService.SendAsync(enterpriseClient, HttpMethod.Put, $"/api/v1/webhook-endpoints/{allowed}",
            new { url = Url, eventTypes = new[] { "agreement.signed", "placement.flagged" } }, HttpStatusCode.BadRequest);
        Assert.NotEmpty(WebhooksService.Errors(changed, "eventTypes[1]"));
        await EndpointAsync(collegeClient, "placement.flagged", "membership.activated");
    }

    private static PlacementRecorded Placement(Guid collegeId, Guid consortiumId, string eventId, bool flagged) => new()
    {
        EventId = eventId, CollegeId = collegeId, ProgramId = Guid.CreateVersion7(), ConsortiumId = consortiumId, ProgramTitle = "Welding order class",
        TraineeRef = "T-0042", Type = "employed", Stage = "employed", OccurredAt = DateTimeOffset.UtcNow, Flagged = flagged, AcceptedAt = DateTimeOffset.UtcNow,
    };

    private static ProgramStatusChanged StatusChanged(Guid programId, Guid consortiumId, string from, string to, Guid[] parties) => new()
    {
        ProgramId = programId, ConsortiumId = consortiumId, Title = "Photovoltaic order class 2026", From = from, To = to,
        Reason = to == "cancelled" ? "Too few trainees enrolled" : null, OccurredAt = DateTimeOffset.UtcNow, PartyIds = parties,
    };
}
