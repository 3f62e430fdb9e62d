using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using Platform.ServiceDefaults.Auth;
using Platform.Membership.Features.ApiClients;
using Platform.ServiceDefaults.Http;
using Platform.Testing;

namespace Platform.Membership.Tests.Api;

public sealed class ApiClientTests(MembershipService membership) : MembershipApiTest(membership)
{
    [Fact]
    public async Task An_issued_key_is_shown_once_published_as_a_hash_honoured_within_seconds_and_refused_after_revocation()
    {
        var organization = await RegisterAsync("Shandong Labor Vocational and Technical College");
        await using var issuedEvents = await Service.WatchAsync<ApiClientIssued>();
        await using var revokedEvents = await Service.WatchAsync<ApiClientRevoked>();

        using var issue = await Operator.PostAsJsonAsync($"/api/v1/organizations/{organization.Id}/api-clients",
            new { name = "college placement system", scopes = new[] { "pipeline:write", "membership:read" } }, PlatformJson.Options, Cancel);
        var body = await issue.Content.ReadAsStringAsync(Cancel);
        var client = await ReadAsync<ApiClientResponse>(issue, HttpStatusCode.Created);

        Assert.StartsWith("cpk_", client.Key, StringComparison.Ordinal);
        Assert.Equal([ApiScope.MembershipRead, ApiScope.PipelineWrite], client.Scopes);
        // On the wire, the scopes are the strings every service checks.
        Assert.Equal(["membership:read", "pipeline:write"],
            System.Text.Json.JsonDocument.Parse(body).RootElement.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));
        var issued = await issuedEvents.NextAsync(e => e.ApiClientId == client.Id);
        Assert.Equal(["membership:read", "pipeline:write"], issued.Scopes);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(client.Key!))), issued.KeyHash);
        Assert.DoesNotContain(client.Key!, System.Text.Json.JsonSerializer.Serialize(issued), StringComparison.Ordinal);

        using var partner = Service.ClientWithKey(client.Key);
        await ServiceUnderTest<Program>.EventuallyAsync(async () =>
        {
            using var me = await partner.GetAsync("/api/v1/me", Cancel);
            return me.StatusCode == HttpStatusCode.OK;
        }, "the new key is honoured");
        using var listed = await Operator.GetAsync($"/api/v1/organizations/{organization.Id}/api-clients", Cancel);
        var page = await ReadAsync<Page<ApiClientResponse>>(listed, HttpStatusCode.OK);
        Assert.Null(Assert.Single(page.Items).Key);
        Assert.Equal(client.Key![..10], page.Items[0].KeyPrefix);

        using var revoke = await Operator.DeleteAsync($"/api/v1/api-clients/{client.Id}", Cancel);
        Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        using var revokeAgain = await Operator.DeleteAsync($"/api/v1/api-clients/{client.Id}", Cancel);
        Assert.Equal(HttpStatusCode.NoContent, revokeAgain.StatusCode);
        await revokedEvents.NextAsync(e => e.ApiClientId == client.Id);
        await ServiceUnderTest<Program>.EventuallyAsync(async () =>
        {
            using var me = await partner.GetAsync("/api/v1/me", Cancel);
            return me.StatusCode == HttpStatusCode.Unauthorized;
        }, "the revoked key is refused");
        // The service is shared with other test classes: only this client's events count.
        Assert.DoesNotContain(await revokedEvents.DrainAfterAsync(TimeSpan.FromSeconds(1)), e => e.ApiClientId == client.Id);
    }

    [Fact]
    public async Task Unknown_scopes_are_refused_and_only_the_operator_issues_keys()
    {
        var organization = await RegisterAsync("Shandong Beichen");

        using var unknown = await Operator.PostAsJsonAsync($"/api/v1/organizations/{organization.Id}/api-clients",
            new { name = "x", scopes = new[] { "pipeline:write", "admin" } }, PlatformJson.Options, Cancel);
        Assert.Contains("'events:write'", Assert.Single(FieldErrors(await ProblemAsync(unknown, HttpStatusCode.BadRequest), "scopes[1]")), StringComparison.Ordinal);
        using var none = await Operator.PostAsJsonAsync($"/api/v1/organizations/{organization.Id}/api-clients",
            new { name = "x", scopes = Array.Empty<string>() }, PlatformJson.Options, Cancel);
        Assert.NotEmpty(FieldErrors(await ProblemAsync(none, HttpStatusCode.BadRequest), "scopes"));

        using var partner = await PartnerAsync(organization.Id, "membership:read");
        using var selfIssued = await partner.PostAsJsonAsync($"/api/v1/organizations/{organization.Id}/api-clients",
            new { name = "more power", scopes = new[] { "pipeline:write" } }, PlatformJson.Options, Cancel);
        Assert.Contains("operator", (await ProblemAsync(selfIssued, HttpStatusCode.Forbidden)).GetProperty("detail").GetString(), StringComparison.Ordinal);
        using var unknownOrganization = await Operator.PostAsJsonAsync($"/api/v1/organizations/{Guid.CreateVersion7()}/api-clients",
            new { name = "x", scopes = new[] { "pipeline:write" } }, PlatformJson.Options, Cancel);
        await ProblemAsync(unknownOrganization, HttpStatusCode.NotFound);
        using var foreignList = await partner.GetAsync($"/api/v1/organizations/{(await RegisterAsync("Other")).Id}/api-clients", Cancel);
        await ProblemAsync(foreignList, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task The_OpenAPI_document_types_scopes_as_the_scope_strings_every_service_checks()
    {
        using var anonymous = Service.CreateClient();
        using var document = System.Text.Json.JsonDocument.Parse(await anonymous.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative), Cancel));
        var schemas = document.RootElement.GetProperty("components").GetProperty("schemas");

        Assert.Equal(Platform.ServiceDefaults.Auth.Scopes.All.Order(StringComparer.Ordinal),
            schemas.GetProperty("ApiScope").GetProperty("enum").EnumerateArray().Select(v => v.GetString()!).Order(StringComparer.Ordinal));
        foreach (var schema in new[] { "IssueApiClientRequest", "ApiClientResponse" })
            Assert.Equal("#/components/schemas/ApiScope",
                schemas.GetProperty(schema).GetProperty("properties").GetProperty("scopes").GetProperty("items").GetProperty("$ref").GetString());
    }
}
