using System.Net;
using System.Net.Http.Json;
using Platform.Membership.Contracts;
using Platform.Membership.Domain;
using Platform.Membership.Features.Charters;
using Platform.Membership.Features.Consortia;
using Platform.Membership.Features.People;
using Platform.ServiceDefaults.Auth;
using Platform.ServiceDefaults.Http;

namespace Platform.Membership.Tests.Api;

/// <summary>Consortia, charters, representatives and corporate mentors.</summary>
public sealed class ConsortiumRecordsTests(MembershipService membership) : MembershipApiTest(membership)
{
    [Fact]
    public async Task Establishing_a_consortium_publishes_it_with_its_lead_organizations_and_time_zone()
    {
        var college = await RegisterAsync("Shandong Labor Vocational and Technical College", OrganizationKind.VocationalCollege);
        await using var established = await Service.WatchAsync<ConsortiumEstablished>();

        using var response = await Operator.PostAsJsonAsync("/api/v1/consortia", new
        {
            name = UniqueName("Jinan Economic Development Zone Industry-Education Consortium"), kind = "industryEducationConsortium",
            region = "Shandong, Jinan", sectors = new[] { "intelligent manufacturing", "Intelligent Manufacturing", "new energy" },
            leadOrganizationIds = new[] { college.Id }, establishedOn = "2023-06-16",
        }, PlatformJson.Options, Cancel);

        var consortium = await ReadAsync<ConsortiumResponse>(response, HttpStatusCode.Created);
        Assert.Equal(["intelligent manufacturing", "new energy"], consortium.Sectors);
        var evt = await established.NextAsync(e => e.ConsortiumId == consortium.Id);
        Assert.Equal(("Asia/Shanghai", college.Id, new DateOnly(2023, 6, 16)), (evt.TimeZone, evt.LeadOrganizationIds.Single(), evt.EstablishedOn!.Value));
    }

    [Fact]
    public async Task Unknown_lead_organizations_and_time_zones_are_refused()
    {
        var lead = await RegisterAsync("Tianjin Light Industry Vocational and Technical College", OrganizationKind.VocationalCollege);
        using var unknownLead = await Operator.PostAsJsonAsync("/api/v1/consortia", new
        {
            name = "X", kind = "vocationalEducationGroup", region = "Tianjin", leadOrganizationIds = new[] { lead.Id, Guid.CreateVersion7() },
        }, PlatformJson.Options, Cancel);
        var problem = await ProblemAsync(unknownLead, HttpStatusCode.BadRequest);
        Assert.Empty(FieldErrors(problem, "leadOrganizationIds[0]"));
        Assert.NotEmpty(FieldErrors(problem, "leadOrganizationIds[1]"));

        // The request's own rules are answered before anything is looked up.
        using var marsTime = await Operator.PostAsJsonAsync("/api/v1/consortia", new
        {
            name = "X", kind = "vocationalEducationGroup", region = "Tianjin", leadOrganizationIds = new[] { Guid.CreateVersion7() }, timeZone = "Mars/Olympus",
        }, PlatformJson.Options, Cancel);
        Assert.NotEmpty(FieldErrors(await ProblemAsync(marsTime, HttpStatusCode.BadRequest), "timeZone"));
    }

    [Fact]
    public async Task Charter_versions_count_up_and_need_text_or_a_link()
    {
        var consortium = await EstablishAsync();
        using (var session = await Operator.PostAsJsonAsync($"/api/v1/consortia/{consortium.Id}/council-sessions",
                   new { number = 1, startsOn = "2023-06-16", endsOn = "2028-06-15" }, PlatformJson.Options, Cancel))
            session.EnsureSuccessStatusCode();
        await using var approved = await Service.WatchAsync<CharterApproved>();

        var versions = await Task.WhenAll(Enumerable.Range(0, 3).Select(async i =>
        {
            using var response = await Operator.PostAsJsonAsync($"/api/v1/consortia/{consortium.Id}/charters",
                new { approvedOn = "2023-06-16", text = $"Charter draft {i}", approvedBySession = 1 }, PlatformJson.Options, Cancel);
            return (await ReadAsync<CharterResponse>(response, HttpStatusCode.Created)).Version;
        }));
        Assert.Equal([1, 2, 3], versions.Order());
        Assert.Equal(1, (await approved.NextAsync(e => e.ConsortiumId == consortium.Id)).ApprovedBySession);

        using var empty = await Operator.PostAsJsonAsync($"/api/v1/consortia/{consortium.Id}/charters", new { approvedOn = "2024-01-01" }, PlatformJson.Options, Cancel);
        Assert.NotEmpty(FieldErrors(await ProblemAsync(empty, HttpStatusCode.BadRequest), "text"));
        using var noSession = await Operator.PostAsJsonAsync($"/api/v1/consortia/{consortium.Id}/charters",
            new { approvedOn = "2024-01-01", link = "https://example.org/charter.pdf", approvedBySession = 9 }, PlatformJson.Options, Cancel);
        Assert.NotEmpty(FieldErrors(await ProblemAsync(noSession, HttpStatusCode.BadRequest), "approvedBySession"));
    }

    [Fact]
    public async Task An_organization_keeps_its_own_representatives_and_nobody_else_sees_their_emails()
    {
        var own = await RegisterAsync("Shandong Beichen");
        var other = await RegisterAsync("Jinan Heavy Industry");
        using var partner = await PartnerAsync(own.Id, Scopes.MembershipRead, Scopes.MembershipWrite);
        using var otherPartner = await PartnerAsync(other.Id, Scopes.MembershipRead, Scopes.MembershipWrite);

        using var add = await partner.PostAsJsonAsync($"/api/v1/organizations/{own.Id}/representatives",
            new { name = "Wang Li", title = "HR director", email = "wang.li@beichen.example" }, PlatformJson.Options, Cancel);
        var person = await ReadAsync<PersonResponse>(add, HttpStatusCode.Created);
        Assert.Equal("wang.li@beichen.example", person.Email);

        using var peek = await otherPartner.GetAsync($"/api/v1/organizations/{own.Id}/representatives", Cancel);
        await ProblemAsync(peek, HttpStatusCode.NotFound);
        using var plant = await otherPartner.PostAsJsonAsync($"/api/v1/organizations/{own.Id}/representatives", new { name = "Impostor" }, PlatformJson.Options, Cancel);
        await ProblemAsync(plant, HttpStatusCode.NotFound);
        using var badEmail = await partner.PostAsJsonAsync($"/api/v1/organizations/{own.Id}/representatives", new { name = "Li", email = "not-an-email" }, PlatformJson.Options, Cancel);
        Assert.NotEmpty(FieldErrors(await ProblemAsync(badEmail, HttpStatusCode.BadRequest), "email"));

        using var remove = await partner.DeleteAsync($"/api/v1/organizations/{own.Id}/representatives/{person.Id}", Cancel);
        Assert.Equal(HttpStatusCode.NoContent, remove.StatusCode);
        using var list = await Operator.GetAsync($"/api/v1/organizations/{own.Id}/representatives", Cancel);
        Assert.Empty((await ReadAsync<Page<PersonResponse>>(list, HttpStatusCode.OK)).Items);
    }

    [Fact]
    public async Task Corporate_mentors_are_enterprise_staff_of_active_members_and_their_emails_stay_with_their_employer()
    {
        var consortium = await EstablishAsync();
        var enterprise = await ActiveMemberAsync(consortium.Id, "Shandong Beichen");
        var college = await ActiveMemberAsync(consortium.Id, "Shandong Labor Vocational and Technical College", OrganizationKind.VocationalCollege);

        using var appoint = await Operator.PostAsJsonAsync($"/api/v1/consortia/{consortium.Id}/mentors",
            new { organizationId = enterprise.OrganizationId, name = "Zhang Wei", title = "Senior welding technician", email = "zhang.wei@beichen.example" }, PlatformJson.Options, Cancel);
        await ReadAsync<PersonResponse>(appoint, HttpStatusCode.Created);
        using var notEnterprise = await Operator.PostAsJsonAsync($"/api/v1/consortia/{consortium.Id}/mentors",
            new { organizationId = college.OrganizationId, name = "Teacher Liu" }, PlatformJson.Options, Cancel);
        Assert.Contains("not an enterprise", FieldErrors(await ProblemAsync(notEnterprise, HttpStatusCode.BadRequest), "organizationId")[0], StringComparison.Ordinal);

        using var collegeKey = await PartnerAsync(college.OrganizationId, Scopes.MembershipRead);
        using var seenByCollege = await collegeKey.GetAsync($"/api/v1/consortia/{consortium.Id}/mentors", Cancel);
        var mentor = Assert.Single((await ReadAsync<Page<PersonResponse>>(seenByCollege, HttpStatusCode.OK)).Items);
        Assert.Equal(("Zhang Wei", PersonRole.CorporateMentor, (string?)null), (mentor.Name, mentor.Role, mentor.Email));
        using var enterpriseKey = await PartnerAsync(enterprise.OrganizationId, Scopes.MembershipRead);
        using var seenByEmployer = await enterpriseKey.GetAsync($"/api/v1/consortia/{consortium.Id}/mentors", Cancel);
        Assert.Equal("zhang.wei@beichen.example", Assert.Single((await ReadAsync<Page<PersonResponse>>(seenByEmployer, HttpStatusCode.OK)).Items).Email);
    }
}
