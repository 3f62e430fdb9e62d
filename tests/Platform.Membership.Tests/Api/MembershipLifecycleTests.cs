using System.Net;
using System.Net.Http.Json;
using Platform.Membership.Contracts;
using Platform.Membership.Domain;
using Platform.Membership.Features.Memberships;
using Platform.ServiceDefaults.Auth;
using Platform.ServiceDefaults.Http;

namespace Platform.Membership.Tests.Api;

public sealed class MembershipLifecycleTests(MembershipService membership) : MembershipApiTest(membership)
{
    [Fact]
    public async Task Every_transition_publishes_its_event_and_is_kept_in_the_history_with_actor_time_and_reason()
    {
        var consortium = await EstablishAsync();
        var organization = await RegisterAsync("Shandong Beichen");
        await using var appliedEvents = await Service.WatchAsync<MembershipApplied>();
        await using var activated = await Service.WatchAsync<MembershipActivated>();
        await using var suspended = await Service.WatchAsync<MembershipSuspended>();
        await using var reinstated = await Service.WatchAsync<MembershipReinstated>();
        await using var withdrawn = await Service.WatchAsync<MembershipWithdrawn>();

        using var apply = await ApplyAsync(consortium.Id, organization.Id, "application letter");
        var membership = await ReadAsync<MembershipResponse>(apply, HttpStatusCode.Created);
        Assert.Equal(MembershipStatus.Applied, membership.Status);
        Assert.Equal([MembershipAction.Approve, MembershipAction.Reject], membership.AllowedActions);
        foreach (var (action, reason) in new[] { ("approve", "council vote"), ("suspend", "dues unpaid"), ("reinstate", "dues paid"), ("withdraw", "moved away") })
        {
            using var response = await ActAsync(membership, action, reason);
            membership = await ReadAsync<MembershipResponse>(response, HttpStatusCode.OK);
        }
        Assert.Equal(MembershipStatus.Withdrawn, membership.Status);
        Assert.Empty(membership.AllowedActions);

        bool Mine(Guid id) => id == membership.Id;
        var applied = await appliedEvents.NextAsync(e => Mine(e.MembershipId));
        Assert.Equal((organization.Name, "enterprise", consortium.Id), (applied.OrganizationName, applied.OrganizationKind, applied.ConsortiumId));
        Assert.Equal("council vote", (await activated.NextAsync(e => Mine(e.MembershipId))).Reason);
        Assert.Equal("dues unpaid", (await suspended.NextAsync(e => Mine(e.MembershipId))).Reason);
        Assert.Equal("enterprise", (await reinstated.NextAsync(e => Mine(e.MembershipId))).OrganizationKind);
        Assert.Equal("moved away", (await withdrawn.NextAsync(e => Mine(e.MembershipId))).Reason);

        using var historyResponse = await Operator.GetAsync($"/api/v1/consortia/{consortium.Id}/memberships/{membership.Id}/history", Cancel);
        var history = await ReadAsync<MembershipHistoryResponse>(historyResponse, HttpStatusCode.OK);
        Assert.Equal(
            [(null, MembershipStatus.Applied, "application letter"), (MembershipAction.Approve, MembershipStatus.Active, "council vote"),
             (MembershipAction.Suspend, MembershipStatus.Suspended, "dues unpaid"), (MembershipAction.Reinstate, MembershipStatus.Active, "dues paid"),
             (MembershipAction.Withdraw, MembershipStatus.Withdrawn, "moved away")],
            history.Transitions.Select(t => (t.Action, t.To, t.Reason)));
        Assert.All(history.Transitions, t => Assert.Equal("operator", t.Actor.Kind));
        Assert.True(history.Transitions.Zip(history.Transitions.Skip(1)).All(p => p.First.At <= p.Second.At));
    }

    [Fact]
    public async Task A_rejected_application_publishes_MembershipRejected_and_is_final()
    {
        var consortium = await EstablishAsync();
        var organization = await RegisterAsync("Late applicant");
        await using var rejected = await Service.WatchAsync<MembershipRejected>();
        using var apply = await ApplyAsync(consortium.Id, organization.Id);
        var membership = await ReadAsync<MembershipResponse>(apply, HttpStatusCode.Created);

        using var reject = await ActAsync(membership, "reject", "not in the consortium's region");

        Assert.Equal(MembershipStatus.Rejected, (await ReadAsync<MembershipResponse>(reject, HttpStatusCode.OK)).Status);
        var evt = await rejected.NextAsync(e => e.MembershipId == membership.Id);
        Assert.Equal(("not in the consortium's region", organization.Name), (evt.Reason, evt.OrganizationName));
        using var reinstate = await ActAsync(membership, "reinstate");
        await ProblemAsync(reinstate, HttpStatusCode.Conflict);
        using var reapply = await ApplyAsync(consortium.Id, organization.Id, "second try");
        await ReadAsync<MembershipResponse>(reapply, HttpStatusCode.Created);
    }

    [Fact]
    public async Task An_illegal_transition_is_409_with_the_current_state_and_changes_nothing()
    {
        var consortium = await EstablishAsync();
        await using var activated = await Service.WatchAsync<MembershipActivated>();
        var member = await ActiveMemberAsync(consortium.Id, "Jinan Heavy Industry");
        await activated.NextAsync(e => e.MembershipId == member.Id);

        using var response = await ActAsync(member, "approve");

        var problem = await ProblemAsync(response, HttpStatusCode.Conflict);
        Assert.Equal("active", problem.GetProperty("currentState").GetProperty("status").GetString());
        Assert.Equal(["suspend", "withdraw"], problem.GetProperty("currentState").GetProperty("allowedActions").EnumerateArray().Select(a => a.GetString()));
        using var historyResponse = await Operator.GetAsync($"/api/v1/consortia/{consortium.Id}/memberships/{member.Id}/history", Cancel);
        Assert.Equal(2, (await ReadAsync<MembershipHistoryResponse>(historyResponse, HttpStatusCode.OK)).Transitions.Count);
        // The service is shared with other test classes: only this consortium's events count.
        Assert.DoesNotContain(await activated.DrainAfterAsync(TimeSpan.FromSeconds(1)), e => e.ConsortiumId == consortium.Id);
    }

    [Fact]
    public async Task Each_action_has_its_own_route_and_one_the_status_forbids_is_409_with_the_current_status()
    {
        var consortium = await EstablishAsync();
        var organization = await RegisterAsync("Jinan Heavy Industry");
        using var apply = await ApplyAsync(consortium.Id, organization.Id);
        var applied = await ReadAsync<MembershipResponse>(apply, HttpStatusCode.Created);
        var active = await ActiveMemberAsync(consortium.Id, "Shandong Beichen");

        foreach (var (membership, action) in new[] { (applied, "suspend"), (applied, "reinstate"), (applied, "withdraw"), (active, "approve"), (active, "reject"), (active, "reinstate") })
        {
            using var response = await ActAsync(membership, action, "by mistake");
            var problem = await ProblemAsync(response, HttpStatusCode.Conflict);
            Assert.Equal(ApiEnum.Name(membership.Status), problem.GetProperty("currentState").GetProperty("status").GetString());
            Assert.Contains($"'{ApiEnum.Name(membership.Status)}'", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }

        using (var reject = await ActAsync(applied, "reject", "outside the region"))
            Assert.Equal(MembershipStatus.Rejected, (await ReadAsync<MembershipResponse>(reject, HttpStatusCode.OK)).Status);
        using (var suspend = await ActAsync(active, "suspend", "dues unpaid"))
            Assert.Equal(MembershipStatus.Suspended, (await ReadAsync<MembershipResponse>(suspend, HttpStatusCode.OK)).Status);
        // Without a body too: the reason is optional.
        using (var reinstate = await Operator.PostAsync($"/api/v1/consortia/{consortium.Id}/memberships/{active.Id}/reinstate", null, Cancel))
            Assert.Equal(MembershipStatus.Active, (await ReadAsync<MembershipResponse>(reinstate, HttpStatusCode.OK)).Status);
        using (var withdraw = await ActAsync(active, "withdraw", "moved away"))
            Assert.Equal(MembershipStatus.Withdrawn, (await ReadAsync<MembershipResponse>(withdraw, HttpStatusCode.OK)).Status);

        // The free-text action route is gone: an action that is not one of the five is no route at all.
        using var expel = await ActAsync(active, "expel");
        await ProblemAsync(expel, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task The_OpenAPI_document_names_each_membership_action_route()
    {
        using var anonymous = Service.CreateClient();
        using var document = System.Text.Json.JsonDocument.Parse(await anonymous.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative), Cancel));
        var paths = document.RootElement.GetProperty("paths");
        foreach (var action in new[] { "approve", "reject", "suspend", "reinstate", "withdraw" })
        {
            var operation = paths.GetProperty($"/api/v1/consortia/{{consortiumId}}/memberships/{{membershipId}}/{action}").GetProperty("post");
            Assert.Equal($"{action}Membership", operation.GetProperty("operationId").GetString());
            Assert.Equal("#/components/schemas/ConflictProblem",
                operation.GetProperty("responses").GetProperty("409").GetProperty("content").GetProperty("application/problem+json").GetProperty("schema").GetProperty("$ref").GetString());
        }
        Assert.DoesNotContain(paths.EnumerateObject(), p => p.Name.Contains("{action}", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_unknown_filter_value_or_a_malformed_id_in_the_member_list_query_is_400_naming_the_parameter()
    {
        var consortium = await EstablishAsync();
        var member = await ActiveMemberAsync(consortium.Id, "Shandong Beichen");
        await ActiveMemberAsync(consortium.Id, "Jinan Heavy Industry");
        var path = $"/api/v1/consortia/{consortium.Id}/memberships";

        using var chairman = await Operator.GetAsync($"{path}?role=chairman", Cancel);
        var role = Assert.Single(FieldErrors(await ProblemAsync(chairman, HttpStatusCode.BadRequest), "role"));
        Assert.All(new[] { "chair", "viceChair", "secretaryGeneral", "councilMember" }, name => Assert.Contains(name, role, StringComparison.Ordinal));

        using var malformed = await Operator.GetAsync($"{path}?organizationId=not-a-guid", Cancel);
        Assert.NotEmpty(FieldErrors(await ProblemAsync(malformed, HttpStatusCode.BadRequest), "organizationId"));

        // The organizationId filter: one organization's membership of the consortium.
        using var one = await Operator.GetAsync($"{path}?organizationId={member.OrganizationId}", Cancel);
        Assert.Equal(member.Id, Assert.Single((await ReadAsync<Page<MembershipResponse>>(one, HttpStatusCode.OK)).Items).Id);
    }

    [Fact]
    public async Task Concurrent_transitions_on_one_membership_have_exactly_one_winner()
    {
        var consortium = await EstablishAsync();
        var organization = await RegisterAsync("Shandong Labor Vocational and Technical College", OrganizationKind.VocationalCollege);
        using var apply = await ApplyAsync(consortium.Id, organization.Id);
        var membership = await ReadAsync<MembershipResponse>(apply, HttpStatusCode.Created);

        // Half approve, half reject, all at once: the first to commit decides, every other one sees the decision.
        var responses = await Task.WhenAll(Enumerable.Range(0, 16).Select(i => ActAsync(membership, i % 2 == 0 ? "approve" : "reject", $"clerk {i}")));

        Assert.Equal(1, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
        Assert.Equal(15, responses.Count(r => r.StatusCode == HttpStatusCode.Conflict));
        using var historyResponse = await Operator.GetAsync($"/api/v1/consortia/{consortium.Id}/memberships/{membership.Id}/history", Cancel);
        var history = await ReadAsync<MembershipHistoryResponse>(historyResponse, HttpStatusCode.OK);
        Assert.Equal(2, history.Transitions.Count);
        var winner = await ReadAsync<MembershipResponse>(responses.Single(r => r.StatusCode == HttpStatusCode.OK), HttpStatusCode.OK);
        Assert.Equal(winner.Status, history.Status);
        foreach (var response in responses) response.Dispose();
    }

    [Fact]
    public async Task An_organization_is_a_member_once_at_a_time_and_may_rejoin_after_withdrawing()
    {
        var consortium = await EstablishAsync();
        var other = await EstablishAsync("Jining Technician Education Group");
        var member = await ActiveMemberAsync(consortium.Id, "China Coal Group (Shandong Lvbei)");

        using var again = await ApplyAsync(consortium.Id, member.OrganizationId);
        var problem = await ProblemAsync(again, HttpStatusCode.Conflict);
        Assert.Equal(member.Id, problem.GetProperty("currentState").GetProperty("membershipId").GetGuid());

        using var elsewhere = await ApplyAsync(other.Id, member.OrganizationId);
        await ReadAsync<MembershipResponse>(elsewhere, HttpStatusCode.Created);

        using var withdraw = await ActAsync(member, "withdraw");
        await ReadAsync<MembershipResponse>(withdraw, HttpStatusCode.OK);
        using var rejoin = await ApplyAsync(consortium.Id, member.OrganizationId, "back again");
        Assert.NotEqual(member.Id, (await ReadAsync<MembershipResponse>(rejoin, HttpStatusCode.Created)).Id);
    }

    [Fact]
    public async Task Concurrent_applications_of_one_organization_create_one_membership()
    {
        var consortium = await EstablishAsync();
        var organization = await RegisterAsync("Eager applicant");

        var responses = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => ApplyAsync(consortium.Id, organization.Id)));

        Assert.Equal(1, responses.Count(r => r.StatusCode == HttpStatusCode.Created));
        Assert.Equal(9, responses.Count(r => r.StatusCode == HttpStatusCode.Conflict));
        foreach (var response in responses) response.Dispose();
    }

    [Fact]
    public async Task Applying_with_an_unknown_organization_or_consortium_is_refused()
    {
        var consortium = await EstablishAsync();
        var organization = await RegisterAsync("Real organization");

        using var unknownOrganization = await ApplyAsync(consortium.Id, Guid.CreateVersion7());
        Assert.NotEmpty(FieldErrors(await ProblemAsync(unknownOrganization, HttpStatusCode.BadRequest), "organizationId"));
        using var unknownConsortium = await ApplyAsync(Guid.CreateVersion7(), organization.Id);
        await ProblemAsync(unknownConsortium, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task The_member_list_filters_by_status_and_kind_and_pages_newest_first()
    {
        var consortium = await EstablishAsync();
        var members = new List<MembershipResponse>();
        for (var i = 0; i < 5; i++)
            members.Add(await ActiveMemberAsync(consortium.Id, $"Member {i}", i % 2 == 0 ? OrganizationKind.Enterprise : OrganizationKind.TechnicianCollege));
        using var suspend = await ActAsync(members[4], "suspend");
        suspend.EnsureSuccessStatusCode();
        var applicant = await RegisterAsync("Applicant");
        (await ApplyAsync(consortium.Id, applicant.Id)).Dispose();

        async Task<Page<MembershipResponse>> ListAsync(string query)
        {
            using var response = await Operator.GetAsync($"/api/v1/consortia/{consortium.Id}/memberships{query}", Cancel);
            return await ReadAsync<Page<MembershipResponse>>(response, HttpStatusCode.OK);
        }

        Assert.Equal(6, (await ListAsync("")).Items.Count);
        Assert.Equal([members[3].Id, members[2].Id, members[1].Id, members[0].Id], (await ListAsync("?status=active")).Items.Select(m => m.Id));
        Assert.Equal([members[2].Id, members[0].Id], (await ListAsync("?status=active&kind=enterprise")).Items.Select(m => m.Id));
        var first = await ListAsync("?limit=4");
        var second = await ListAsync($"?limit=4&cursor={first.NextCursor}");
        Assert.Equal(6, first.Items.Concat(second.Items).Select(m => m.Id).Distinct().Count());
        Assert.Null(second.NextCursor);
        Assert.Equal("Member 3", (await ListAsync("?status=active")).Items[0].OrganizationName[..8]);
    }

    [Fact]
    public async Task A_partner_reads_its_own_consortiums_member_list_and_its_own_history_only()
    {
        var consortium = await EstablishAsync();
        var otherConsortium = await EstablishAsync("Tianjin Advanced Manufacturing Vocational Education Group");
        var member = await ActiveMemberAsync(consortium.Id, "Shandong Beichen");
        var neighbour = await ActiveMemberAsync(consortium.Id, "Jinan Heavy Industry");
        await ActiveMemberAsync(otherConsortium.Id, "Tianjin member");
        using var partner = await PartnerAsync(member.OrganizationId, Scopes.MembershipRead);

        using var own = await partner.GetAsync($"/api/v1/consortia/{consortium.Id}/memberships", Cancel);
        Assert.Equal(2, (await ReadAsync<Page<MembershipResponse>>(own, HttpStatusCode.OK)).Items.Count);
        using var foreign = await partner.GetAsync($"/api/v1/consortia/{otherConsortium.Id}/memberships", Cancel);
        await ProblemAsync(foreign, HttpStatusCode.NotFound);
        using var ownHistory = await partner.GetAsync($"/api/v1/consortia/{consortium.Id}/memberships/{member.Id}/history", Cancel);
        await ReadAsync<MembershipHistoryResponse>(ownHistory, HttpStatusCode.OK);
        using var neighbourHistory = await partner.GetAsync($"/api/v1/consortia/{consortium.Id}/memberships/{neighbour.Id}/history", Cancel);
        await ProblemAsync(neighbourHistory, HttpStatusCode.NotFound);
        using var approve = await ActAsync(neighbour, "suspend", client: partner);
        await ProblemAsync(approve, HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task The_member_list_answers_304_while_unchanged_and_shows_every_change_at_once()
    {
        var consortium = await EstablishAsync();
        var member = await ActiveMemberAsync(consortium.Id, "Shandong Beichen");
        var path = $"/api/v1/consortia/{consortium.Id}/memberships";

        using var first = await Operator.GetAsync(path, Cancel);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var etag = first.Headers.ETag!;
        using (var conditional = new HttpRequestMessage(HttpMethod.Get, path))
        {
            conditional.Headers.IfNoneMatch.Add(etag);
            using var unchanged = await Operator.SendAsync(conditional, Cancel);
            Assert.Equal(HttpStatusCode.NotModified, unchanged.StatusCode);
        }

        // A profile change of a member organization shows in the list (its name is on every line).
        using (var rename = await Operator.PutAsJsonAsync($"/api/v1/organizations/{member.OrganizationId}",
                   new { name = "Shandong Beichen Mechanical and Electrical", region = "Shandong, Jinan" }, PlatformJson.Options, Cancel))
            rename.EnsureSuccessStatusCode();
        using var renamed = await Operator.GetAsync(path, Cancel);
        Assert.NotEqual(etag, renamed.Headers.ETag);
        Assert.Equal("Shandong Beichen Mechanical and Electrical", Assert.Single((await ReadAsync<Page<MembershipResponse>>(renamed, HttpStatusCode.OK)).Items).OrganizationName);

        using (var suspend = await ActAsync(member, "suspend"))
            suspend.EnsureSuccessStatusCode();
        using var afterSuspension = await Operator.GetAsync(path, Cancel);
        Assert.Equal(MembershipStatus.Suspended, Assert.Single((await ReadAsync<Page<MembershipResponse>>(afterSuspension, HttpStatusCode.OK)).Items).Status);
    }
}
