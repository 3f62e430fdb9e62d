using System.Net;
using System.Net.Http.Json;
using Platform.Membership.Contracts;
using Platform.Membership.Domain;
using Platform.Membership.Features.Organizations;
using Platform.ServiceDefaults.Auth;
using Platform.ServiceDefaults.Http;

namespace Platform.Membership.Tests.Api;

public sealed class OrganizationTests(MembershipService membership) : MembershipApiTest(membership)
{
    [Fact]
    public async Task Registering_an_organization_publishes_OrganizationRegistered_with_its_profile()
    {
        await using var registered = await Service.WatchAsync<OrganizationRegistered>();
        var code = NewCreditCode();

        var organization = await RegisterAsync("Shandong Labor Vocational and Technical College", OrganizationKind.VocationalCollege, creditCode: code);

        Assert.Equal(OrganizationKind.VocationalCollege, organization.Kind);
        Assert.Equal(code, organization.UnifiedSocialCreditCode);
        var evt = await registered.NextAsync(e => e.OrganizationId == organization.Id);
        Assert.Equal((organization.Name, "vocationalCollege", "Shandong, Jinan", code), (evt.Name, evt.Kind, evt.Region, evt.UnifiedSocialCreditCode));
        using var read = await Operator.GetAsync($"/api/v1/organizations/{organization.Id}", Cancel);
        var stored = await ReadAsync<OrganizationResponse>(read, HttpStatusCode.OK);
        Assert.Equal((organization.Id, organization.Name, organization.Kind, organization.UnifiedSocialCreditCode), (stored.Id, stored.Name, stored.Kind, stored.UnifiedSocialCreditCode));
    }

    [Fact]
    public async Task A_credit_code_with_a_wrong_check_character_is_refused_with_the_reason()
    {
        var code = NewCreditCode();
        var wrong = code[..17] + (code[17] == '0' ? '1' : '0');

        using var response = await Operator.PostAsJsonAsync("/api/v1/organizations",
            new { name = "Mistyped Co.", kind = "enterprise", region = "Shandong", unifiedSocialCreditCode = wrong }, PlatformJson.Options, Cancel);

        var problem = await ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("mistyped", Assert.Single(FieldErrors(problem, "unifiedSocialCreditCode")), StringComparison.Ordinal);
        using var search = await Operator.GetAsync("/api/v1/organizations?name=Mistyped", Cancel);
        Assert.Empty((await ReadAsync<Page<OrganizationResponse>>(search, HttpStatusCode.OK)).Items);
    }

    [Fact]
    public async Task A_second_registration_of_a_credit_code_is_a_conflict_naming_the_existing_organization()
    {
        var code = NewCreditCode();
        var first = await RegisterAsync("China Coal Group (Shandong Lvbei)", creditCode: code);

        using var second = await Operator.PostAsJsonAsync("/api/v1/organizations",
            new { name = "Another name", kind = "enterprise", region = "Shandong", unifiedSocialCreditCode = code.ToLowerInvariant() }, PlatformJson.Options, Cancel);

        var problem = await ProblemAsync(second, HttpStatusCode.Conflict);
        Assert.Contains(first.Name, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(first.Id, problem.GetProperty("currentState").GetProperty("organizationId").GetGuid());
    }

    [Fact]
    public async Task Concurrent_registrations_of_one_credit_code_create_exactly_one_organization()
    {
        var code = NewCreditCode();
        var responses = await Task.WhenAll(Enumerable.Range(0, 12).Select(i => Operator.PostAsJsonAsync("/api/v1/organizations",
            new { name = $"Racing registrar {i}", kind = "enterprise", region = "Shandong", unifiedSocialCreditCode = code }, PlatformJson.Options, Cancel)));

        Assert.Equal(1, responses.Count(r => r.StatusCode == HttpStatusCode.Created));
        Assert.Equal(11, responses.Count(r => r.StatusCode == HttpStatusCode.Conflict));
        foreach (var response in responses) response.Dispose();
    }

    [Fact]
    public async Task Search_finds_organizations_by_name_fragment_kind_and_region()
    {
        var marker = Guid.NewGuid().ToString("N")[..6];
        var college = await RegisterAsync($"Jining Technician College {marker}", OrganizationKind.TechnicianCollege, "Shandong, Jining");
        await RegisterAsync($"Jining Coal Machinery {marker}", OrganizationKind.Enterprise, "Shandong, Jining");
        await RegisterAsync($"Tianjin Technician College {marker}", OrganizationKind.TechnicianCollege, "Tianjin");

        using var response = await Operator.GetAsync($"/api/v1/organizations?name={marker}&kind=technicianCollege&region=jining", Cancel);

        var page = await ReadAsync<Page<OrganizationResponse>>(response, HttpStatusCode.OK);
        Assert.Equal([college.Id], page.Items.Select(o => o.Id));
    }

    [Fact]
    public async Task Search_treats_percent_and_underscore_in_the_name_literally()
    {
        var marker = Guid.NewGuid().ToString("N")[..6];
        await RegisterAsync($"Plain Works {marker}");

        using var response = await Operator.GetAsync($"/api/v1/organizations?name={marker[..2]}%25{marker[3..]}", Cancel);

        Assert.Empty((await ReadAsync<Page<OrganizationResponse>>(response, HttpStatusCode.OK)).Items);
    }

    [Fact]
    public async Task Missing_fields_and_unknown_kinds_are_400_with_the_field_named()
    {
        using var missing = await Operator.PostAsJsonAsync("/api/v1/organizations", new { kind = "enterprise", region = "Shandong" }, PlatformJson.Options, Cancel);
        Assert.NotEmpty(FieldErrors(await ProblemAsync(missing, HttpStatusCode.BadRequest), "name"));

        using var unknown = await Operator.PostAsJsonAsync("/api/v1/organizations", new { name = "X", kind = "bank", region = "Shandong" }, PlatformJson.Options, Cancel);
        Assert.NotEmpty(FieldErrors(await ProblemAsync(unknown, HttpStatusCode.BadRequest), "kind"));

        using var blank = await Operator.PostAsJsonAsync("/api/v1/organizations", new { name = "  ", kind = "enterprise", region = "" }, PlatformJson.Options, Cancel);
        var problem = await ProblemAsync(blank, HttpStatusCode.BadRequest);
        Assert.NotEmpty(FieldErrors(problem, "name"));
        Assert.NotEmpty(FieldErrors(problem, "region"));
    }

    [Fact]
    public async Task A_repeated_POST_with_the_same_idempotency_key_registers_once()
    {
        var name = UniqueName("Shandong Beichen");
        var body = new { name, kind = "enterprise", region = "Shandong, Jinan" };
        var key = Guid.NewGuid().ToString();

        OrganizationResponse? first = null;
        for (var i = 0; i < 2; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/organizations") { Content = JsonContent.Create(body, options: PlatformJson.Options) };
            request.Headers.Add("Idempotency-Key", key);
            using var response = await Operator.SendAsync(request, Cancel);
            var organization = await ReadAsync<OrganizationResponse>(response, HttpStatusCode.Created);
            Assert.Equal(first?.Id ?? organization.Id, organization.Id);
            first = organization;
        }
        using var search = await Operator.GetAsync($"/api/v1/organizations?name={Uri.EscapeDataString(name)}", Cancel);
        Assert.Single((await ReadAsync<Page<OrganizationResponse>>(search, HttpStatusCode.OK)).Items);
    }

    [Fact]
    public async Task A_partner_edits_only_its_own_profile_and_cannot_register_organizations()
    {
        var own = await RegisterAsync("Shandong Beichen Mechanical and Electrical Equipment");
        var other = await RegisterAsync("Shandong Labor Vocational and Technical College", OrganizationKind.VocationalCollege);
        using var partner = await PartnerAsync(own.Id, Scopes.MembershipWrite);
        await using var updated = await Service.WatchAsync<OrganizationUpdated>();

        using var edit = await partner.PutAsJsonAsync($"/api/v1/organizations/{own.Id}", new { name = own.Name + " Co., Ltd.", region = "Shandong, Jinan" }, PlatformJson.Options, Cancel);
        Assert.Equal(own.Name + " Co., Ltd.", (await ReadAsync<OrganizationResponse>(edit, HttpStatusCode.OK)).Name);
        Assert.Equal(own.Name + " Co., Ltd.", (await updated.NextAsync(e => e.OrganizationId == own.Id)).Name);

        using var foreign = await partner.PutAsJsonAsync($"/api/v1/organizations/{other.Id}", new { name = "Hijacked", region = "Nowhere" }, PlatformJson.Options, Cancel);
        await ProblemAsync(foreign, HttpStatusCode.NotFound);
        using var register = await partner.PostAsJsonAsync("/api/v1/organizations", new { name = "Self-made", kind = "enterprise", region = "Shandong" }, PlatformJson.Options, Cancel);
        await ProblemAsync(register, HttpStatusCode.Forbidden);
        using var read = await Operator.GetAsync($"/api/v1/organizations/{other.Id}", Cancel);
        Assert.Equal(other.Name, (await ReadAsync<OrganizationResponse>(read, HttpStatusCode.OK)).Name);
    }

    [Fact]
    public async Task Without_a_key_401_and_without_the_membership_read_scope_403()
    {
        using var anonymous = Service.CreateClient();
        using var noKey = await anonymous.GetAsync("/api/v1/organizations", Cancel);
        await ProblemAsync(noKey, HttpStatusCode.Unauthorized);

        var organization = await RegisterAsync("Pipeline-only partner");
        using var partner = await PartnerAsync(organization.Id, Scopes.PipelineWrite);
        using var noScope = await partner.GetAsync("/api/v1/organizations", Cancel);
        var problem = await ProblemAsync(noScope, HttpStatusCode.Forbidden);
        Assert.Contains("membership:read", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }
}
