using System.Net;
using System.Text.Json;
using Platform.ServiceDefaults.Tests.TestApp;

namespace Platform.ServiceDefaults.Tests.Http;

public sealed class OpenApiTests(SharedApp shared) : IClassFixture<SharedApp>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private async Task<JsonElement> DocumentAsync()
    {
        using var client = shared.App.Client(); // no key: partners read the contract before they have one
        return JsonDocument.Parse(await client.GetStringAsync("/openapi/v1.json", Cancel)).RootElement;
    }

    private static string[] Keys(JsonElement element) => [.. element.EnumerateObject().Select(p => p.Name)];

    [Fact]
    public async Task The_document_lists_the_endpoints_but_not_the_probes()
    {
        var paths = (await DocumentAsync()).GetProperty("paths");
        Assert.Contains("/api/v1/things", Keys(paths));
        Assert.Contains("/api/v1/things/{thingId}", Keys(paths));
        Assert.Equal(["post", "get"], Keys(paths.GetProperty("/api/v1/things")));
        Assert.DoesNotContain(Keys(paths), p => p.StartsWith("/health", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_api_key_scheme_is_declared_and_required_except_on_anonymous_endpoints()
    {
        var document = await DocumentAsync();
        var scheme = document.GetProperty("components").GetProperty("securitySchemes").GetProperty("ApiKey");
        Assert.Equal("apiKey", scheme.GetProperty("type").GetString());
        Assert.Equal("header", scheme.GetProperty("in").GetString());
        Assert.Equal("X-Api-Key", scheme.GetProperty("name").GetString());

        var paths = document.GetProperty("paths");
        var create = paths.GetProperty("/api/v1/things").GetProperty("post");
        Assert.Equal("ApiKey", Keys(Assert.Single(create.GetProperty("security").EnumerateArray())).Single());
        Assert.Contains("`pipeline:write`", create.GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.False(paths.GetProperty("/api/v1/public").GetProperty("get").TryGetProperty("security", out _));
    }

    [Fact]
    public async Task Operations_declare_problem_responses_idempotency_and_paging()
    {
        var paths = (await DocumentAsync()).GetProperty("paths");
        var create = paths.GetProperty("/api/v1/things").GetProperty("post");
        var responses = create.GetProperty("responses");
        foreach (var status in new[] { "400", "401", "403", "409", "413", "415", "422", "429", "500" })
            Assert.True(responses.GetProperty(status).GetProperty("content").TryGetProperty("application/problem+json", out _), status);
        Assert.Contains(create.GetProperty("parameters").EnumerateArray(), p => p.GetProperty("name").GetString() == "Idempotency-Key" && p.GetProperty("in").GetString() == "header");

        var list = paths.GetProperty("/api/v1/things").GetProperty("get");
        Assert.Equal(["organizationId", "kind", "limit", "cursor"], list.GetProperty("parameters").EnumerateArray().Select(p => p.GetProperty("name").GetString()));
        Assert.False(list.GetProperty("responses").TryGetProperty("422", out _));
    }

    [Fact]
    public async Task Schemas_show_camelCase_members_string_enums_and_the_problem_shape()
    {
        var schemas = (await DocumentAsync()).GetProperty("components").GetProperty("schemas");
        Assert.Equal(["orderClass", "apprenticeship", "internshipBase"], schemas.GetProperty("ThingKind").GetProperty("enum").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["name", "kind", "seats"], schemas.GetProperty("CreateThing").GetProperty("required").EnumerateArray().Select(e => e.GetString()));
        // The input rules show in the schema: caps, ranges, date formats.
        var members = schemas.GetProperty("CreateThing").GetProperty("properties");
        Assert.Equal(50, members.GetProperty("notes").GetProperty("maxLength").GetInt32());
        Assert.Equal(3, members.GetProperty("tags").GetProperty("maxItems").GetInt32());
        Assert.Equal("date-time", members.GetProperty("startsAt").GetProperty("format").GetString());
        Assert.Equal("date", members.GetProperty("opensOn").GetProperty("format").GetString());
        Assert.Contains("traceId", Keys(schemas.GetProperty("Problem").GetProperty("properties")));
        Assert.Contains("errors", Keys(schemas.GetProperty("ValidationProblem").GetProperty("properties")));
    }

    [Fact]
    public async Task Id_routes_declare_404_state_changes_declare_409_with_currentState_and_detail_is_the_error_message()
    {
        var document = await DocumentAsync();
        var paths = document.GetProperty("paths");
        string Schema(JsonElement operation, string status) =>
            operation.GetProperty("responses").GetProperty(status).GetProperty("content").GetProperty("application/problem+json").GetProperty("schema").GetProperty("$ref").GetString()!;

        var get = paths.GetProperty("/api/v1/things/{thingId}").GetProperty("get");
        Assert.Equal("getThing", get.GetProperty("operationId").GetString());
        Assert.Equal("#/components/schemas/Problem", Schema(get, "404"));
        Assert.False(get.GetProperty("responses").TryGetProperty("409", out _));
        var archive = paths.GetProperty("/api/v1/things/{thingId}/archive").GetProperty("post");
        Assert.Equal("#/components/schemas/ConflictProblem", Schema(archive, "409"));
        Assert.Equal("#/components/schemas/ValidationProblem", Schema(archive, "400"));
        Assert.False(paths.GetProperty("/api/v1/things").GetProperty("get").GetProperty("responses").TryGetProperty("404", out _));

        var schemas = document.GetProperty("components").GetProperty("schemas");
        Assert.True(schemas.GetProperty("Problem").GetProperty("properties").GetProperty("detail").GetProperty("x-ms-primary-error-message").GetBoolean());
        Assert.Contains("status", Keys(schemas.GetProperty("ConflictProblem").GetProperty("properties").GetProperty("currentState").GetProperty("properties")));
        Assert.DoesNotContain("ProblemDetails", Keys(schemas));
        Assert.DoesNotContain("HttpValidationProblemDetails", Keys(schemas));
    }

    [Fact]
    public async Task A_query_enum_is_a_string_enum_and_the_server_is_not_the_request_host()
    {
        var document = await DocumentAsync();
        var list = document.GetProperty("paths").GetProperty("/api/v1/things").GetProperty("get");
        var kind = list.GetProperty("parameters").EnumerateArray().Single(p => p.GetProperty("name").GetString() == "kind");
        Assert.Equal("#/components/schemas/ThingKind", kind.GetProperty("schema").GetProperty("$ref").GetString());
        var thingKind = document.GetProperty("components").GetProperty("schemas").GetProperty("ThingKind");
        Assert.Equal("string", thingKind.GetProperty("type").GetString());
        Assert.DoesNotContain(thingKind.GetProperty("enum").EnumerateArray(), v => v.ValueKind == JsonValueKind.Null);

        Assert.Equal("/", Assert.Single(document.GetProperty("servers").EnumerateArray()).GetProperty("url").GetString());
        Assert.Equal("MIT", document.GetProperty("info").GetProperty("license").GetProperty("identifier").GetString());
        Assert.Contains(document.GetProperty("tags").EnumerateArray(), t => t.GetProperty("name").GetString() == "Caller" && t.TryGetProperty("description", out _));
    }

    [Fact]
    public async Task The_docs_page_is_served_locally_without_a_key()
    {
        using var client = shared.App.Client();
        using var page = await client.GetAsync("/docs/index.html", Cancel);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        var html = await page.Content.ReadAsStringAsync(Cancel);
        Assert.Contains("swagger-ui", html, StringComparison.Ordinal);
        Assert.DoesNotContain("https://", html, StringComparison.Ordinal); // no CDN

        using var script = await client.GetAsync("/docs/swagger-ui-bundle.js", Cancel);
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
        using var config = await client.GetAsync("/docs/index.js", Cancel);
        Assert.Contains("/openapi/v1.json", await config.Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);
    }
}
