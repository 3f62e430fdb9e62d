using System.Net;
using System.Text;
using System.Text.Json;

namespace Platform.Membership.Tests.Api;

/// <summary>The classes of bad input the fuzzer found in membership (issue 11): a 400/415 naming the field, nothing written.</summary>
public sealed class BadInputTests(MembershipService membership) : MembershipApiTest(membership)
{
    private Task<HttpResponseMessage> SendRawAsync(HttpMethod method, string path, string json, string contentType = "application/json")
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(json));
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        return Operator.SendAsync(new HttpRequestMessage(method, new Uri(path, UriKind.Relative)) { Content = content }, Cancel);
    }

    private static async Task<JsonElement> ErrorsAsync(HttpResponseMessage response, HttpStatusCode status = HttpStatusCode.BadRequest)
    {
        var body = await response.Content.ReadAsStringAsync(Cancel);
        Assert.True(response.StatusCode == status, $"Expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(body).RootElement;
        return problem.TryGetProperty("errors", out var errors) ? errors : problem;
    }

    [Theory]
    [InlineData("\\u0000")]
    [InlineData("\\u0008")]
    [InlineData("\\ufffe")]
    [InlineData("\\udc00")]
    public async Task Control_characters_in_an_organization_name_are_refused(string escaped)
    {
        using var response = await SendRawAsync(HttpMethod.Post, "/api/v1/organizations",
            $$"""{ "name": "Jinan {{escaped}} Works", "kind": "enterprise", "region": "Jinan" }""");
        Assert.True((await ErrorsAsync(response)).TryGetProperty("name", out _));
    }

    [Theory]
    [InlineData("Enterprise")]
    [InlineData("ENTERPRISE")]
    [InlineData("enterprise ")]
    [InlineData("enterprise,vocationalCollege")]
    public async Task Organization_kinds_take_only_their_exact_spelling(string kind)
    {
        using var response = await SendRawAsync(HttpMethod.Post, "/api/v1/organizations", $$"""{ "name": "Jinan Works", "kind": "{{kind}}", "region": "Jinan" }""");
        Assert.True((await ErrorsAsync(response)).TryGetProperty("kind", out _));
    }

    [Fact]
    public async Task A_null_role_designation_and_an_absurd_session_number_are_refused()
    {
        var consortium = await EstablishAsync();
        using (var opened = await SendRawAsync(HttpMethod.Post, $"/api/v1/consortia/{consortium.Id}/council-sessions",
                   """{ "number": 2147483647, "startsOn": "2024-01-01", "endsOn": "2029-01-01" }"""))
            Assert.True((await ErrorsAsync(opened)).TryGetProperty("number", out _));
        using (var first = await SendRawAsync(HttpMethod.Post, $"/api/v1/consortia/{consortium.Id}/council-sessions",
                   """{ "number": 1, "startsOn": "2024-01-01", "endsOn": "2029-01-01" }"""))
            Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        using (var roles = await SendRawAsync(HttpMethod.Put, $"/api/v1/consortia/{consortium.Id}/council-sessions/1/roles", "[null]"))
            Assert.True((await ErrorsAsync(roles)).TryGetProperty("[0]", out _));
        using (var role = await SendRawAsync(HttpMethod.Put, $"/api/v1/consortia/{consortium.Id}/council-sessions/1/roles",
                   $$"""[{ "organizationId": "{{Guid.CreateVersion7()}}", "role": "Chair" }]"""))
            Assert.True((await ErrorsAsync(role)).TryGetProperty("[0].role", out _));
    }

    [Theory]
    [InlineData("0001-01-01")]
    [InlineData("9999-12-31")]
    public async Task Dates_outside_a_plausible_range_are_refused(string date)
    {
        var consortium = await EstablishAsync();
        using (var charter = await SendRawAsync(HttpMethod.Post, $"/api/v1/consortia/{consortium.Id}/charters", $$"""{ "approvedOn": "{{date}}", "text": "Article 1." }"""))
            Assert.True((await ErrorsAsync(charter)).TryGetProperty("approvedOn", out _));
        using (var session = await SendRawAsync(HttpMethod.Post, $"/api/v1/consortia/{consortium.Id}/council-sessions",
                   $$"""{ "number": 1, "startsOn": "{{date}}", "endsOn": "2029-01-01" }"""))
            Assert.True((await ErrorsAsync(session)).TryGetProperty("startsOn", out _));
        using (var established = await SendRawAsync(HttpMethod.Post, "/api/v1/consortia",
                   $$"""{ "name": "Dated consortium {{Guid.NewGuid():N}}", "kind": "industryEducationConsortium", "region": "Jinan", "establishedOn": "{{date}}" }"""))
            Assert.True((await ErrorsAsync(established)).TryGetProperty("establishedOn", out _));
    }

    [Fact]
    public async Task Reasons_are_capped_and_may_span_lines()
    {
        var consortium = await EstablishAsync();
        var organization = await RegisterAsync("Jinan Reason Works");
        using (var tooLong = await ApplyAsync(consortium.Id, organization.Id, new string('r', 1001)))
            Assert.True((await ErrorsAsync(tooLong)).TryGetProperty("reason", out _));
        using var multiLine = await ApplyAsync(consortium.Id, organization.Id, "Letter of 2024-03-02.\nSigned by the dean.");
        Assert.Equal(HttpStatusCode.Created, multiLine.StatusCode);
    }

    [Fact]
    public async Task A_body_in_another_charset_is_a_415_problem_and_a_NUL_in_the_query_a_400()
    {
        using (var charset = await SendRawAsync(HttpMethod.Post, "/api/v1/organizations", """{ "name": "Jinan Works", "kind": "enterprise", "region": "Jinan" }""",
                   "application/json; charset=klingon"))
            await ErrorsAsync(charset, HttpStatusCode.UnsupportedMediaType);
        using var query = await Operator.GetAsync(new Uri("/api/v1/organizations?kind=%00", UriKind.Relative), Cancel);
        Assert.True((await ErrorsAsync(query)).TryGetProperty("kind", out _));
    }
}
