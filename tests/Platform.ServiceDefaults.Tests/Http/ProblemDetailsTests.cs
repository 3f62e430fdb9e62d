using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Platform.ServiceDefaults.Http;
using Platform.ServiceDefaults.Tests.TestApp;
using Platform.Testing;
using static Platform.ServiceDefaults.Tests.TestApp.ProblemAssert;

namespace Platform.ServiceDefaults.Tests.Http;

public sealed class ProblemDetailsTests(SharedApp shared, ThrowawayPostgres postgres) : IClassFixture<SharedApp>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private async Task<HttpResponseMessage> PostJsonAsync(string json, string path = "/api/v1/things")
    {
        using var client = shared.App.Operator();
        return await client.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"), Cancel);
    }

    [Fact]
    public async Task Malformed_JSON_is_a_400_on_the_body_with_its_position()
    {
        using var response = await PostJsonAsync("""{ "name": "a", "kind" "orderClass" }""");
        var problem = await IsProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("not valid JSON (line 1", Assert.Single(Errors(problem, "$")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_JSON_type_names_the_field_and_the_expected_type()
    {
        using var response = await PostJsonAsync("""{ "name": "a", "kind": "orderClass", "seats": true }""");
        var problem = await IsProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal(["Expected an integer."], Errors(problem, "seats"));
    }

    [Fact]
    public async Task Numbers_in_strings_are_refused()
    {
        using var response = await PostJsonAsync("""{ "name": "a", "kind": "orderClass", "seats": "12" }""");
        var problem = await IsProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal(["Expected an integer."], Errors(problem, "seats"));
    }

    [Theory]
    [InlineData("kind=viceChair", "kind", "'viceChair' is not one of orderClass, apprenticeship, internshipBase.")]
    [InlineData("kind=OrderClass", "kind", "'OrderClass' is not one of orderClass, apprenticeship, internshipBase.")]
    [InlineData("kind=1", "kind", "'1' is not one of orderClass, apprenticeship, internshipBase.")]
    [InlineData("organizationId=abc", "organizationId", "'abc' is not an id (a GUID such as 0193a4c2-7b1e-7c3d-9f10-2a4b5c6d7e8f).")]
    public async Task A_bad_query_value_is_a_400_naming_the_parameter_and_what_it_accepts(string query, string field, string message)
    {
        using var client = shared.App.Operator();
        using var response = await client.GetAsync($"/api/v1/things?{query}", Cancel);
        var problem = await IsProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal([message], Errors(problem, field));
    }

    [Fact]
    public async Task A_query_enum_in_its_API_spelling_is_accepted()
    {
        using var client = shared.App.Operator();
        using var response = await client.GetAsync("/api/v1/things?kind=internshipBase", Cancel);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Cross_field_rules_of_the_request_answer_every_failing_field_before_the_handler_runs()
    {
        var name = "cross-field " + Guid.NewGuid();
        using var response = await PostJsonAsync($$"""{ "name": "{{name}}", "kind": "orderClass", "seats": 1, "startsAt": "2026-05-09T09:30:00+08:00", "opensOn": "2026-06-01", "rows": 3 }""");
        var problem = await IsProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal(["Must not be after startsAt."], Errors(problem, "opensOn"));
        Assert.Equal(["Required when rows is given."], Errors(problem, "parts"));
        Assert.Equal(0, shared.App.Calls.CountOf(name));
    }

    [Fact]
    public async Task Null_for_an_optional_value_member_means_not_given_but_stays_an_error_for_a_required_one()
    {
        // NSwag-generated clients send every optional member, null when the partner did not set it.
        using (var optional = await PostJsonAsync($$"""{ "name": "urgent {{Guid.NewGuid()}}", "kind": "orderClass", "seats": 1, "urgent": null }"""))
            Assert.Equal(HttpStatusCode.Created, optional.StatusCode);
        using var required = await PostJsonAsync("""{ "name": "a", "kind": "orderClass", "seats": null }""");
        var problem = await IsProblemAsync(required, HttpStatusCode.BadRequest);
        Assert.Contains("seats", problem.GetProperty("errors").EnumerateObject().Select(e => e.Name));
    }

    [Fact]
    public async Task An_unknown_enum_value_lists_the_allowed_camelCase_values()
    {
        using var response = await PostJsonAsync("""{ "name": "a", "kind": "viceChair", "seats": 1 }""");
        var problem = await IsProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal(["Expected one of 'orderClass', 'apprenticeship', 'internshipBase'."], Errors(problem, "kind"));
    }

    [Fact]
    public async Task An_integer_for_an_enum_is_refused()
    {
        using var response = await PostJsonAsync("""{ "name": "a", "kind": 1, "seats": 1 }""");
        var problem = await IsProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.StartsWith("Expected one of", Assert.Single(Errors(problem, "kind")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Errors_inside_arrays_carry_the_full_path()
    {
        using var response = await PostJsonAsync("""
            { "name": "a", "kind": "orderClass", "seats": 1,
              "parts": [ { "label": "x", "kind": "apprenticeship" }, { "label": "y", "kind": "nope" } ] }
            """);
        var problem = await IsProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.StartsWith("Expected one of", Assert.Single(Errors(problem, "parts[1].kind")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_required_members_are_each_named()
    {
        using var response = await PostJsonAsync("""{ "kind": "orderClass" }""");
        var problem = await IsProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal(["This field is required."], Errors(problem, "name"));
        Assert.Equal(["This field is required."], Errors(problem, "seats"));
    }

    [Fact]
    public async Task Null_for_a_non_nullable_member_is_refused()
    {
        using var response = await PostJsonAsync("""{ "name": null, "kind": "orderClass", "seats": 1 }""");
        var problem = await IsProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal(["This field must not be null."], Errors(problem, "name"));
    }

    [Fact]
    public async Task A_handler_validation_problem_has_the_same_shape()
    {
        using var response = await PostJsonAsync("""{ "name": "  ", "kind": "orderClass", "seats": 1 }""");
        var problem = await IsProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal(["Must not be blank."], Errors(problem, "name"));
    }

    [Fact]
    public async Task A_conflict_carries_the_current_state()
    {
        using var response = await PostJsonAsync("{}", $"/api/v1/things/{Guid.CreateVersion7()}/archive");
        var problem = await IsProblemAsync(response, HttpStatusCode.Conflict, ProblemCode.InvalidState);
        Assert.Equal("archived", problem.GetProperty("currentState").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Another_content_type_is_a_415_problem()
    {
        using var client = shared.App.Operator();
        using var response = await client.PostAsync("/api/v1/things", new StringContent("name=a", Encoding.UTF8, "text/plain"), Cancel);
        await IsProblemAsync(response, HttpStatusCode.UnsupportedMediaType);
    }

    [Fact]
    public async Task A_body_over_10_MB_is_a_413_problem()
    {
        var json = $$"""{ "name": "{{new string('x', 10 * 1024 * 1024)}}", "kind": "orderClass", "seats": 1 }""";
        using var response = await PostJsonAsync(json);
        var problem = await IsProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
        Assert.Contains("10485760 bytes", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task On_Kestrel_a_streamed_body_over_the_configured_limit_is_a_413_problem()
    {
        await using var app = await TestApp.TestApp.StartAsync(postgres, kestrel: true,
            settings: new Dictionary<string, string?> { ["Platform:Http:MaxRequestBodyBytes"] = "1024" });
        using var client = app.Operator();
        var json = $$"""{ "name": "{{new string('x', 4096)}}", "kind": "orderClass", "seats": 1 }""";

        // Declared length: refused before the body is read.
        using (var declared = await client.PostAsync("/api/v1/things", new StringContent(json, Encoding.UTF8, "application/json"), Cancel))
            await IsProblemAsync(declared, HttpStatusCode.RequestEntityTooLarge);

        // Chunked, no length: Kestrel stops reading at the limit, and the exception becomes the same problem.
        // Kestrel then closes the connection with request bytes unread; on a loaded machine the client can see
        // that close before the response (an HTTP/1.1 race, not our answer), so a transport error is retried.
        using var response = await SendWithRetryOnTransportErrorAsync(() =>
        {
            var streamed = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(json)));
            streamed.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/things") { Content = streamed };
            request.Headers.TransferEncodingChunked = true;
            request.Headers.ConnectionClose = true;
            return client.SendAsync(request, Cancel);
        });
        var problem = await IsProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
        Assert.Contains("1024 bytes", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_route_is_a_404_problem_even_when_the_client_accepts_only_html()
    {
        using var client = shared.App.Operator();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/nothing-here");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/html"));
        using var response = await client.SendAsync(request, Cancel);
        await IsProblemAsync(response, HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData(400, false, "badRequest")]
    [InlineData(400, true, "validationFailed")]
    [InlineData(401, false, "unauthenticated")]
    [InlineData(409, false, "invalidState")]
    [InlineData(503, false, "unavailable")]
    [InlineData(418, false, "error")]
    public void Every_status_has_a_code_that_never_changes(int status, bool hasFieldErrors, string code)
    {
        // Clients branch on these strings: renaming one breaks them.
        Assert.Equal(code, ProblemCode.ForStatus(status, hasFieldErrors));
        Assert.Contains(code, ProblemCode.All);
        Assert.Equal(ProblemCode.All.Count, ProblemCode.All.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public async Task A_wrong_method_is_a_405_problem()
    {
        using var client = shared.App.Operator();
        using var response = await client.DeleteAsync("/api/v1/things", Cancel);
        await IsProblemAsync(response, HttpStatusCode.MethodNotAllowed);
    }

    [Fact]
    public async Task An_unhandled_exception_is_a_500_problem_without_internals_and_is_logged()
    {
        using var client = shared.App.Operator();
        using var response = await client.GetAsync("/api/v1/boom", Cancel);
        var problem = await IsProblemAsync(response, HttpStatusCode.InternalServerError);
        var body = problem.GetRawText();
        Assert.DoesNotContain("secret-internal-detail", body, StringComparison.Ordinal);
        Assert.DoesNotContain("InvalidOperationException", body, StringComparison.Ordinal);
        Assert.DoesNotContain(" at ", body, StringComparison.Ordinal);
        Assert.Contains(shared.App.Logs.Lines, line => line.StartsWith("Error", StringComparison.Ordinal) && line.Contains("secret-internal-detail", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Responses_use_camelCase_and_enum_names()
    {
        using var client = shared.App.Operator();
        var json = await client.GetStringAsync("/api/v1/whoami", Cancel);
        Assert.Contains("\"kind\":\"operator\"", json, StringComparison.Ordinal);
        Assert.Contains("\"apiClientId\":null", json, StringComparison.Ordinal);
        var created = await client.PostAsJsonAsync("/api/v1/things", new { name = "time", kind = "orderClass", seats = 1 }, Cancel);
        var body = await created.Content.ReadAsStringAsync(Cancel);
        Assert.Matches("\"createdAt\":\"\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?\\+00:00\"", body);
    }

    private static async Task<HttpResponseMessage> SendWithRetryOnTransportErrorAsync(Func<Task<HttpResponseMessage>> send)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await send();
            }
            catch (HttpRequestException) when (attempt < 3)
            {
            }
        }
    }
}
