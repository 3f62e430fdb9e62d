using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Platform.ServiceDefaults.Http;
using Platform.ServiceDefaults.Tests.TestApp;
using Platform.Testing;
using static Platform.ServiceDefaults.Tests.TestApp.ProblemAssert;

namespace Platform.ServiceDefaults.Tests.Http;

/// <summary>The input rules every request body, query string and URL gets from ServiceDefaults (issue 11, "Bad input").</summary>
public sealed class InputRulesTests(SharedApp shared, ThrowawayPostgres postgres) : IClassFixture<SharedApp>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private async Task<HttpResponseMessage> PostAsync(string json, string contentType = "application/json")
    {
        using var client = shared.App.Operator();
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(json));
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        return await client.PostAsync(new Uri("/api/v1/things", UriKind.Relative), content, Cancel);
    }

    private static string Thing(string extra) => $$"""{ "name": "Welding order class", "kind": "orderClass", "seats": 3{{extra}} }""";

    private Task<int> CountAsync(string name) => shared.App.WithDbAsync(db => db.Items.CountAsync(i => i.Name.StartsWith(name), Cancel));

    [Theory]
    [InlineData("\\u0000", "U+0000")]
    [InlineData("\\u0007", "U+0007")]
    [InlineData("\\n", "U+000A")]
    [InlineData("\\u007f", "U+007F")]
    [InlineData("\\u0085", "U+0085")]
    [InlineData("\\uffff", "U+FFFF")]
    [InlineData("\\ufffe", "U+FFFE")]
    [InlineData("\\ufdd0", "U+FDD0")]
    public async Task Control_characters_and_noncharacters_in_a_one_line_field_are_a_400_naming_it_and_nothing_is_written(string escaped, string shown)
    {
        var name = "Ctl" + Guid.NewGuid().ToString("N")[..8];
        using var response = await PostAsync($$"""{ "name": "{{name}}{{escaped}}x", "kind": "orderClass", "seats": 3 }""");
        var problem = await IsProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains(shown, Assert.Single(Errors(problem, "name")), StringComparison.Ordinal);
        Assert.Equal(0, await CountAsync(name));
    }

    [Fact]
    public async Task A_multi_line_field_takes_tabs_and_line_breaks_but_no_other_control_character()
    {
        using (var ok = await PostAsync(Thing(""", "notes": "line one\r\nline two\tindented" """)))
            Assert.Equal(HttpStatusCode.Created, ok.StatusCode);
        using var bad = await PostAsync(Thing(""", "notes": "line one\u0000" """));
        var problem = await IsProblemAsync(bad, HttpStatusCode.BadRequest);
        Assert.Contains("U+0000", Assert.Single(Errors(problem, "notes")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Escaped_lone_surrogates_and_invalid_UTF8_are_a_400_naming_the_field()
    {
        using (var lone = await PostAsync(Thing(""", "notes": "half \ud800 a pair" """)))
            Assert.NotEmpty(Errors(await IsProblemAsync(lone, HttpStatusCode.BadRequest), "notes"));

        using var client = shared.App.Operator();
        var bytes = Encoding.UTF8.GetBytes(Thing(""", "notes": "XX" """));
        var at = Array.IndexOf(bytes, (byte)'X');
        bytes[at] = 0xC3; // a lead byte followed by an ASCII byte: not UTF-8
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var invalid = await client.PostAsync(new Uri("/api/v1/things", UriKind.Relative), content, Cancel);
        Assert.NotEmpty(Errors(await IsProblemAsync(invalid, HttpStatusCode.BadRequest), "notes"));
    }

    [Fact]
    public async Task Text_and_arrays_are_capped_per_field_and_by_default()
    {
        using (var notes = await PostAsync(Thing($$""", "notes": "{{new string('a', 51)}}" """)))
            Assert.Equal(["At most 50 characters."], Errors(await IsProblemAsync(notes, HttpStatusCode.BadRequest), "notes"));
        using (var name = await PostAsync($$"""{ "name": "{{new string('a', InputLimits.Text + 1)}}", "kind": "orderClass", "seats": 3 }"""))
            Assert.Equal([$"At most {InputLimits.Text} characters."], Errors(await IsProblemAsync(name, HttpStatusCode.BadRequest), "name"));
        using (var tags = await PostAsync(Thing(""", "tags": ["a", "b", "c", "d"] """)))
            Assert.Equal(["At most 3 elements."], Errors(await IsProblemAsync(tags, HttpStatusCode.BadRequest), "tags"));
        var parts = string.Join(",", Enumerable.Repeat("""{ "label": "p", "kind": "orderClass" }""", InputLimits.Items + 1));
        using (var many = await PostAsync(Thing($$""", "parts": [{{parts}}] """)))
            Assert.Equal([$"At most {InputLimits.Items} elements."], Errors(await IsProblemAsync(many, HttpStatusCode.BadRequest), "parts"));
    }

    [Fact]
    public async Task A_null_array_element_is_a_400_naming_its_index()
    {
        using (var parts = await PostAsync(Thing(""", "parts": [{ "label": "p", "kind": "orderClass" }, null] """)))
            Assert.Equal(["Must not be null."], Errors(await IsProblemAsync(parts, HttpStatusCode.BadRequest), "parts[1]"));
        using (var tags = await PostAsync(Thing(""", "tags": [null] """)))
            Assert.Equal(["Must not be null."], Errors(await IsProblemAsync(tags, HttpStatusCode.BadRequest), "tags[0]"));
        using (var nested = await PostAsync(Thing(""", "parts": [{ "label": "p\u0001", "kind": "orderClass" }] """)))
            Assert.NotEmpty(Errors(await IsProblemAsync(nested, HttpStatusCode.BadRequest), "parts[0].label"));
    }

    [Fact]
    public async Task An_integer_outside_its_declared_range_is_a_400()
    {
        using var response = await PostAsync(Thing(""", "rows": 2147483647 """));
        Assert.Equal(["Expected 1 to 500."], Errors(await IsProblemAsync(response, HttpStatusCode.BadRequest), "rows"));
    }

    [Theory]
    [InlineData("OrderClass")]
    [InlineData("ORDERCLASS")]
    [InlineData("orderClass ")]
    [InlineData(" orderClass")]
    [InlineData("orderClass,apprenticeship")]
    [InlineData("orderClass, apprenticeship")]
    [InlineData("0")]
    [InlineData("")]
    public async Task Enums_take_only_the_exact_API_spelling(string kind)
    {
        using var response = await PostAsync($$"""{ "name": "a", "kind": "{{kind}}", "seats": 1 }""");
        Assert.Equal(["Expected one of 'orderClass', 'apprenticeship', 'internshipBase'."], Errors(await IsProblemAsync(response, HttpStatusCode.BadRequest), "kind"));
        using var nested = await PostAsync(Thing($$""", "parts": [{ "label": "p", "kind": "{{kind}}" }] """));
        Assert.NotEmpty(Errors(await IsProblemAsync(nested, HttpStatusCode.BadRequest), "parts[0].kind"));
    }

    [Theory]
    [InlineData("startsAt", "0001-01-01T00:00:00")]
    [InlineData("startsAt", "0001-01-01T00:00:00+08:00")]
    [InlineData("startsAt", "9999-12-31T23:59:59")]
    [InlineData("startsAt", "9999-12-31T23:59:59Z")]
    [InlineData("startsAt", "1899-12-31T23:00:00Z")]
    [InlineData("opensOn", "0001-01-01")]
    [InlineData("opensOn", "9999-12-31")]
    public async Task Dates_outside_the_plausible_range_are_a_400(string field, string value)
    {
        using var response = await PostAsync(Thing($$""", "{{field}}": "{{value}}" """));
        // Out of range, or (for year 1 with +08:00) not even a representable instant.
        Assert.Contains("date", Assert.Single(Errors(await IsProblemAsync(response, HttpStatusCode.BadRequest), field)), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("application/json; charset=klingon", HttpStatusCode.UnsupportedMediaType)]
    [InlineData("application/json; charset=iso-8859-1", HttpStatusCode.UnsupportedMediaType)]
    [InlineData("application/json; charset=\"utf-16\"", HttpStatusCode.UnsupportedMediaType)]
    [InlineData("application/json; charset=UTF-8", HttpStatusCode.Created)]
    [InlineData("application/json; charset=utf8", HttpStatusCode.UnsupportedMediaType)]
    [InlineData("application/json", HttpStatusCode.Created)]
    public async Task Bodies_are_UTF8_only(string contentType, HttpStatusCode expected)
    {
        using var response = await PostAsync(Thing(""), contentType);
        if (expected == HttpStatusCode.Created) Assert.Equal(expected, response.StatusCode);
        else Assert.Contains("UTF-8", (await IsProblemAsync(response, expected)).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/api/v1/things?cursor=%00", "cursor")]
    [InlineData("/api/v1/things?limit=1%01", "limit")]
    [InlineData("/api/v1/things?cursor=%EF%BF%BF", "cursor")]
    [InlineData("/api/v1/things/by-time?from=%1B", "from")]
    public async Task Control_characters_in_the_query_string_are_a_400_naming_the_parameter(string url, string parameter)
    {
        using var client = shared.App.Operator();
        using var response = await client.GetAsync(new Uri(url, UriKind.Relative), Cancel);
        Assert.NotEmpty(Errors(await IsProblemAsync(response, HttpStatusCode.BadRequest), parameter));
    }

    [Fact]
    public async Task Control_characters_in_the_path_are_a_400()
    {
        using var client = shared.App.Operator();
        using var response = await client.GetAsync(new Uri("/api/v1/things/%07", UriKind.Relative), Cancel);
        Assert.NotEmpty(Errors(await IsProblemAsync(response, HttpStatusCode.BadRequest), "path"));
    }

    [Fact]
    public async Task Kestrel_size_limits_answer_with_problem_documents()
    {
        await using var app = await TestApp.TestApp.StartAsync(postgres, kestrel: true);
        using var client = app.Operator();

        using (var longUrl = await client.GetAsync(new Uri("/api/v1/things?cursor=" + new string('a', 20_000), UriKind.Relative), Cancel))
            await IsProblemAsync(longUrl, HttpStatusCode.RequestUriTooLong);

        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/api/v1/things", UriKind.Relative));
        request.Headers.Add("X-Padding", new string('b', 40_000));
        using (var bigHeaders = await client.SendAsync(request, Cancel))
            await IsProblemAsync(bigHeaders, HttpStatusCode.RequestHeaderFieldsTooLarge);

    }

    [Fact]
    public void The_person_reference_check_refuses_national_ID_numbers()
    {
        Assert.NotEmpty(PersonReference.Check("110101199003077777", "traineeRef"));
        Assert.NotEmpty(PersonReference.Check("11010119900307777X", "traineeRef"));
        Assert.NotEmpty(PersonReference.Check("trainee-110101900307777", "traineeRef"));
        Assert.NotEmpty(PersonReference.Check("t\u0000", "traineeRef"));
        Assert.NotEmpty(PersonReference.Check("", "traineeRef"));
        Assert.Empty(PersonReference.Check("JN-2025-0042", "traineeRef"));
        var json = JsonSerializer.Serialize(PersonReference.Check("110101199003077777", "entrants[0].traineeRef").Select(e => e.Field));
        Assert.Equal("""["entrants[0].traineeRef"]""", json);
    }
}
