using System.Net;
using System.Net.Http.Json;
using Platform.Events.Contracts;
using Platform.Membership.Contracts;
using Platform.Membership.Domain;
using Platform.Membership.Features.Council;
using Platform.Membership.Features.Memberships;
using Platform.ServiceDefaults.Http;

namespace Platform.Membership.Tests.Api;

public sealed class CouncilTests(MembershipService membership) : MembershipApiTest(membership)
{
    private async Task<CouncilSessionResponse> OpenSessionAsync(Guid consortiumId, int number)
    {
        using var response = await Operator.PostAsJsonAsync($"/api/v1/consortia/{consortiumId}/council-sessions",
            new { number, startsOn = new DateOnly(2019 + 5 * number, 1, 1), endsOn = new DateOnly(2024 + 5 * number, 1, 1) }, PlatformJson.Options, Cancel);
        return await ReadAsync<CouncilSessionResponse>(response, HttpStatusCode.Created);
    }

    private Task<HttpResponseMessage> DesignateAsync(Guid consortiumId, int number, IEnumerable<(Guid OrganizationId, string Role)> roles) =>
        Operator.PutAsJsonAsync($"/api/v1/consortia/{consortiumId}/council-sessions/{number}/roles",
            roles.Select(r => new { organizationId = r.OrganizationId, role = r.Role }), PlatformJson.Options, Cancel);

    private async Task<List<MembershipResponse>> MembersAsync(Guid consortiumId, string query = "")
    {
        var all = new List<MembershipResponse>();
        string? cursor = null;
        do
        {
            using var response = await Operator.GetAsync($"/api/v1/consortia/{consortiumId}/memberships?limit=200{query}{(cursor is null ? "" : "&cursor=" + cursor)}", Cancel);
            var page = await ReadAsync<Page<MembershipResponse>>(response, HttpStatusCode.OK);
            all.AddRange(page.Items);
            cursor = page.NextCursor;
        }
        while (cursor is not null);
        return all;
    }

    [Fact]
    public async Task The_first_council_session_designates_3_chairs_19_vice_chairs_1_secretary_general_and_6_council_members()
    {
        var consortium = await EstablishAsync();
        var members = new List<MembershipResponse>();
        for (var i = 0; i < 29; i++) members.Add(await ActiveMemberAsync(consortium.Id, $"Jinan member unit {i:00}"));
        await OpenSessionAsync(consortium.Id, 1);
        string RoleOf(int i) => i < 3 ? "chair" : i < 22 ? "viceChair" : i == 22 ? "secretaryGeneral" : "councilMember";
        await using var assigned = await Service.WatchAsync<CouncilRoleAssigned>();

        using var response = await DesignateAsync(consortium.Id, 1, members.Select((m, i) => (m.OrganizationId, RoleOf(i))));

        var session = await ReadAsync<CouncilSessionResponse>(response, HttpStatusCode.OK);
        Assert.Equal([3, 19, 1, 6], session.Designations.GroupBy(d => d.Role).OrderBy(g => g.Key).Select(g => g.Count()));
        Assert.Equal(CouncilRole.Chair, session.Designations[0].Role);
        var listed = await MembersAsync(consortium.Id, "&role=viceChair");
        Assert.Equal(19, listed.Count);
        var events = await assigned.TakeAsync(29, e => e.ConsortiumId == consortium.Id);
        Assert.Equal("secretaryGeneral", events.Single(e => e.OrganizationId == members[22].OrganizationId).Role);
        Assert.Equal(members[22].OrganizationName, events.Single(e => e.OrganizationId == members[22].OrganizationId).OrganizationName);
    }

    [Fact]
    public async Task A_designation_with_any_problem_is_refused_as_a_whole_with_every_reason()
    {
        var consortium = await EstablishAsync();
        var chair = await ActiveMemberAsync(consortium.Id, "Chair unit");
        var first = await ActiveMemberAsync(consortium.Id, "Secretariat A");
        var second = await ActiveMemberAsync(consortium.Id, "Secretariat B");
        var applicant = await RegisterAsync("Not yet a member");
        (await ApplyAsync(consortium.Id, applicant.Id)).Dispose();
        await OpenSessionAsync(consortium.Id, 1);
        using var before = await DesignateAsync(consortium.Id, 1, [(chair.OrganizationId, "chair")]);
        before.EnsureSuccessStatusCode();

        using var response = await DesignateAsync(consortium.Id, 1,
            [(chair.OrganizationId, "viceChair"), (first.OrganizationId, "secretaryGeneral"), (second.OrganizationId, "secretaryGeneral"), (applicant.Id, "councilMember")]);

        var problem = await ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("at most one secretary-general", Assert.Single(FieldErrors(problem, "[2].organizationId")), StringComparison.Ordinal);
        Assert.Contains("not an active member", Assert.Single(FieldErrors(problem, "[3].organizationId")), StringComparison.Ordinal);
        var members = await MembersAsync(consortium.Id);
        Assert.Equal(CouncilRole.Chair, members.Single(m => m.Id == chair.Id).CouncilRole);
        Assert.All(members.Where(m => m.Id != chair.Id), m => Assert.Null(m.CouncilRole));
    }

    [Fact]
    public async Task A_suspended_member_loses_its_role_and_a_new_designation_revokes_those_left_out()
    {
        var consortium = await EstablishAsync();
        var viceChair = await ActiveMemberAsync(consortium.Id, "China Coal Group (Shandong Lvbei)");
        var councilMember = await ActiveMemberAsync(consortium.Id, "Council member unit");
        await OpenSessionAsync(consortium.Id, 1);
        using (var designate = await DesignateAsync(consortium.Id, 1, [(viceChair.OrganizationId, "viceChair"), (councilMember.OrganizationId, "councilMember")]))
            designate.EnsureSuccessStatusCode();
        await using var revoked = await Service.WatchAsync<CouncilRoleRevoked>();

        using var suspend = await ActAsync(viceChair, "suspend", "did not attend");
        Assert.Null((await ReadAsync<MembershipResponse>(suspend, HttpStatusCode.OK)).CouncilRole);
        var lost = await revoked.NextAsync(e => e.OrganizationId == viceChair.OrganizationId);
        Assert.Equal(("viceChair", "suspended", 1), (lost.Role, lost.Cause, lost.SessionNumber));
        using var sessionResponse = await Operator.GetAsync($"/api/v1/consortia/{consortium.Id}/council-sessions/1", Cancel);
        Assert.Equal([councilMember.OrganizationId], (await ReadAsync<CouncilSessionResponse>(sessionResponse, HttpStatusCode.OK)).Designations.Select(d => d.OrganizationId));

        using var reinstate = await ActAsync(viceChair, "reinstate");
        Assert.Null((await ReadAsync<MembershipResponse>(reinstate, HttpStatusCode.OK)).CouncilRole);
        using (var redesignate = await DesignateAsync(consortium.Id, 1, [(viceChair.OrganizationId, "viceChair")]))
            redesignate.EnsureSuccessStatusCode();
        var leftOut = await revoked.NextAsync(e => e.OrganizationId == councilMember.OrganizationId);
        Assert.Equal("redesignated", leftOut.Cause);
        var members = await MembersAsync(consortium.Id);
        Assert.Equal(CouncilRole.ViceChair, members.Single(m => m.Id == viceChair.Id).CouncilRole);
        Assert.Null(members.Single(m => m.Id == councilMember.Id).CouncilRole);
    }

    [Fact]
    public async Task Opening_the_next_session_ends_the_previous_terms_roles_and_freezes_its_designations()
    {
        var consortium = await EstablishAsync();
        var chair = await ActiveMemberAsync(consortium.Id, "Chair unit");
        await using var opened = await Service.WatchAsync<CouncilSessionOpened>();
        await OpenSessionAsync(consortium.Id, 1);
        using (var designate = await DesignateAsync(consortium.Id, 1, [(chair.OrganizationId, "chair")]))
            designate.EnsureSuccessStatusCode();

        var second = await OpenSessionAsync(consortium.Id, 2);

        Assert.True(second.IsCurrent);
        Assert.Equal(2, (await opened.NextAsync(e => e.ConsortiumId == consortium.Id && e.SessionNumber == 2)).SessionNumber);
        Assert.Null((await MembersAsync(consortium.Id)).Single().CouncilRole);
        using var late = await DesignateAsync(consortium.Id, 1, [(chair.OrganizationId, "chair")]);
        Assert.Equal(2, (await ProblemAsync(late, HttpStatusCode.Conflict)).GetProperty("currentState").GetProperty("currentSession").GetInt32());
        using var duplicate = await Operator.PostAsJsonAsync($"/api/v1/consortia/{consortium.Id}/council-sessions",
            new { number = 2, startsOn = new DateOnly(2030, 1, 1), endsOn = new DateOnly(2035, 1, 1) }, PlatformJson.Options, Cancel);
        await ProblemAsync(duplicate, HttpStatusCode.Conflict);
        using var badTerm = await Operator.PostAsJsonAsync($"/api/v1/consortia/{consortium.Id}/council-sessions",
            new { number = 3, startsOn = new DateOnly(2030, 1, 1), endsOn = new DateOnly(2029, 1, 1) }, PlatformJson.Options, Cancel);
        Assert.NotEmpty(FieldErrors(await ProblemAsync(badTerm, HttpStatusCode.BadRequest), "endsOn"));
    }

    [Fact]
    public async Task Designations_recorded_at_a_council_meeting_are_applied_and_acknowledged()
    {
        var consortium = await EstablishAsync("Jining Technician Education Group");
        var coal = await ActiveMemberAsync(consortium.Id, "China Coal Group (Shandong Lvbei)");
        var college = await ActiveMemberAsync(consortium.Id, "Jining Technician College", OrganizationKind.TechnicianCollege);
        await OpenSessionAsync(consortium.Id, 1);
        await using var applied = await Service.WatchAsync<CouncilDesignationsApplied>();
        var recordingId = Guid.CreateVersion7();

        await Service.PublishAsync(new CouncilDesignationsRecorded
        {
            RecordingId = recordingId, EventId = Guid.CreateVersion7(), ConsortiumId = consortium.Id, SessionNumber = 1, OccurredAt = DateTimeOffset.UtcNow,
            Designations = [new() { OrganizationId = college.OrganizationId, Role = "chair" }, new() { OrganizationId = coal.OrganizationId, Role = "viceChair" }],
            RecordedBy = ByOperator,
        });

        Assert.Equal(2, (await applied.NextAsync(e => e.RecordingId == recordingId)).Designated);
        var members = await MembersAsync(consortium.Id);
        Assert.Equal(CouncilRole.ViceChair, members.Single(m => m.Id == coal.Id).CouncilRole);
        Assert.Equal(CouncilRole.Chair, members.Single(m => m.Id == college.Id).CouncilRole);
    }

    [Fact]
    public async Task Recorded_designations_that_break_a_rule_are_rejected_visibly_and_change_nothing()
    {
        var consortium = await EstablishAsync();
        var member = await ActiveMemberAsync(consortium.Id, "Member unit");
        var outsider = await RegisterAsync("Outsider");
        await OpenSessionAsync(consortium.Id, 1);
        await using var rejected = await Service.WatchAsync<CouncilDesignationsRejected>();
        var recordingId = Guid.CreateVersion7();
        var noSessionId = Guid.CreateVersion7();

        await Service.PublishAsync(new CouncilDesignationsRecorded
        {
            RecordingId = recordingId, EventId = Guid.CreateVersion7(), ConsortiumId = consortium.Id, SessionNumber = 1, OccurredAt = DateTimeOffset.UtcNow,
            Designations = [new() { OrganizationId = member.OrganizationId, Role = "chair" }, new() { OrganizationId = outsider.Id, Role = "viceChair" }],
            RecordedBy = ByOperator,
        });
        await Service.PublishAsync(new CouncilDesignationsRecorded
        {
            RecordingId = noSessionId, EventId = Guid.CreateVersion7(), ConsortiumId = consortium.Id, SessionNumber = 7, OccurredAt = DateTimeOffset.UtcNow,
            Designations = [new() { OrganizationId = member.OrganizationId, Role = "president" }],
            RecordedBy = ByOperator,
        });

        var refusal = await rejected.NextAsync(e => e.RecordingId == recordingId);
        Assert.Contains("not an active member", Assert.Single(refusal.Reasons["designations[1].organizationId"]), StringComparison.Ordinal);
        var unknownRole = await rejected.NextAsync(e => e.RecordingId == noSessionId);
        Assert.Contains("'president' is not a council role", unknownRole.Reasons["designations[0].role"][0], StringComparison.Ordinal);
        Assert.Null((await MembersAsync(consortium.Id)).Single().CouncilRole);
    }

    private static readonly OutcomeRecorder ByOperator = new() { Kind = OutcomeRecorder.OperatorKind };

    [Fact]
    public async Task Designations_a_partner_recorded_at_its_own_meeting_are_refused_and_change_no_role()
    {
        // The attack: a member college organizes a "council meeting", holds it and records itself as chair, everyone else out.
        var consortium = await EstablishAsync();
        var chair = await ActiveMemberAsync(consortium.Id, "Chair unit");
        var college = await ActiveMemberAsync(consortium.Id, "Ambitious college", OrganizationKind.VocationalCollege);
        await OpenSessionAsync(consortium.Id, 1);
        using (var designate = await DesignateAsync(consortium.Id, 1, [(chair.OrganizationId, "chair")]))
            designate.EnsureSuccessStatusCode();
        await using var rejected = await Service.WatchAsync<CouncilDesignationsRejected>();
        var byPartner = Guid.CreateVersion7();
        var anonymous = Guid.CreateVersion7();

        await Service.PublishAsync(new CouncilDesignationsRecorded
        {
            RecordingId = byPartner, EventId = Guid.CreateVersion7(), ConsortiumId = consortium.Id, SessionNumber = 1, OccurredAt = DateTimeOffset.UtcNow,
            Designations = [new() { OrganizationId = college.OrganizationId, Role = "chair" }],
            RecordedBy = new OutcomeRecorder { Kind = OutcomeRecorder.PartnerKind, OrganizationId = college.OrganizationId },
        });
        // A message from before recorders were carried: who recorded it is unknown, so it is refused too.
        await Service.PublishAsync(new CouncilDesignationsRecorded
        {
            RecordingId = anonymous, EventId = Guid.CreateVersion7(), ConsortiumId = consortium.Id, SessionNumber = 1, OccurredAt = DateTimeOffset.UtcNow,
            Designations = [new() { OrganizationId = college.OrganizationId, Role = "chair" }],
        });

        var refusal = await rejected.NextAsync(e => e.RecordingId == byPartner);
        Assert.Contains("only when the consortium's operator records them", Assert.Single(refusal.Reasons["recordedBy"]), StringComparison.Ordinal);
        Assert.Contains("does not say who recorded it", Assert.Single((await rejected.NextAsync(e => e.RecordingId == anonymous)).Reasons["recordedBy"]), StringComparison.Ordinal);
        var members = await MembersAsync(consortium.Id);
        Assert.Equal(CouncilRole.Chair, members.Single(m => m.Id == chair.Id).CouncilRole);
        Assert.Null(members.Single(m => m.Id == college.Id).CouncilRole);
    }

    [Fact]
    public async Task Opening_the_next_session_while_roles_are_designated_never_leaves_the_previous_sessions_roles_standing()
    {
        var consortium = await EstablishAsync();
        var members = new List<MembershipResponse>();
        for (var i = 0; i < 6; i++) members.Add(await ActiveMemberAsync(consortium.Id, $"Council unit {i}"));
        await OpenSessionAsync(consortium.Id, 1);
        var outcomes = new Dictionary<string, int>(StringComparer.Ordinal);

        // Each round: designate session N and open N+1 at the same moment. Whichever wins, once N+1 is open nobody may hold a role of N.
        for (var n = 1; n <= 12; n++)
        {
            var roles = members.Select((m, i) => (m.OrganizationId, i == 0 ? "chair" : "councilMember")).ToList();
            using var start = new SemaphoreSlim(0, 2);
            var designate = Task.Run(async () => { await start.WaitAsync(Cancel); return await DesignateAsync(consortium.Id, n, roles); }, Cancel);
            var number = n + 1;
            var open = Task.Run(async () =>
            {
                await start.WaitAsync(Cancel);
                return await Operator.PostAsJsonAsync($"/api/v1/consortia/{consortium.Id}/council-sessions",
                    new { number, startsOn = new DateOnly(2020 + number, 1, 1), endsOn = new DateOnly(2021 + number, 1, 1) }, PlatformJson.Options, Cancel);
            }, Cancel);
            start.Release(2);
            using var designated = await designate;
            using var opened = await open;

            Assert.Equal(HttpStatusCode.Created, opened.StatusCode);
            Assert.True(designated.StatusCode is HttpStatusCode.OK or HttpStatusCode.Conflict, $"designation answered {(int)designated.StatusCode}");
            var key = designated.StatusCode.ToString();
            outcomes[key] = outcomes.GetValueOrDefault(key) + 1;
            Assert.All(await MembersAsync(consortium.Id), m => Assert.Null(m.CouncilRole));
            using var current = await Operator.GetAsync($"/api/v1/consortia/{consortium.Id}/council-sessions/{number}", Cancel);
            var session = await ReadAsync<CouncilSessionResponse>(current, HttpStatusCode.OK);
            Assert.True(session.IsCurrent);
            Assert.Empty(session.Designations);
        }
        TestContext.Current.TestOutputHelper?.WriteLine($"designation answers over 12 rounds: {string.Join(", ", outcomes.Select(o => $"{o.Key} {o.Value}"))}");
    }
}
