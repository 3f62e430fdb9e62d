extern alias dashboard;
using System.Net;
using System.Text;
using Platform.Testing;

namespace Platform.Dashboard.Tests;

/// <summary>
/// Garbage against every endpoint of the dashboard (bounded and seeded, so a failure repeats): odd query values,
/// bodies that are not JSON, <c>null</c>, wrong types, NULs, lone surrogates, odd charsets, oversized bodies, broken
/// forms. Every answer is below 500, and every error is a problem document. Real broker; of the services only a stubbed
/// webhooks service (and membership's organization names, from the same stub), so the webhooks routes reach it.
/// </summary>
public sealed class DashboardFuzzTests(ThrowawayRabbitMq rabbit)
{
    private const int Seed = 20261129;
    private const int RequestsPerEndpoint = 40;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static readonly string[] Texts =
    [
        "", " ", "/", "%2F", "membership_error", "_error", "x_error", "not-a-guid", "00000000-0000-0000-0000-000000000000",
        "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b", "{0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b}", "ORDERCLASS", "orderClass,other", "Active ",
        "-1", "0", "2147483648", "99999999999999999999", "1e309", "NaN", "true", "null", "[null]", "a\u0000b_error", "\u0000",
        "\ud800_error", "\uffff", "\u202e_error", "%00", "%ZZ", "'; DROP TABLE x; --", "<script>alert(1)</script>",
        new string('q', 300) + "_error", new string('v', 5000), "ü_error", "😀",
    ];

    private static readonly string[] ContentTypes =
    [
        "application/json", "application/json; charset=utf-8", "application/json; charset=klingon", "application/json; charset=utf-16",
        "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=", "multipart/form-data", "application/xml", "",
    ];

    [Fact]
    public async Task Garbage_to_every_endpoint_answers_a_4xx_problem_document_never_a_5xx()
    {
        var broker = await rabbit.CreateVirtualHostAsync("dashboard-fuzz");
        await using var webhooks = await WebhooksStub.StartAsync();
        await using var app = RealPortApp<dashboard::Program>.Start(new Dictionary<string, string?>
        {
            ["services:webhooks:http:0"] = webhooks.Url,
            ["services:membership:http:0"] = webhooks.Url,
            ["ConnectionStrings:messaging"] = broker.ToString(),
            ["Dashboard:RabbitMq:ManagementUrl"] = rabbit.Server.ManagementUri.ToString(),
            ["Platform:OperatorKey"] = DashboardPlatform.OperatorKey,
        });
        using var http = DashboardPlatform.Operator(app.Url);
        http.Timeout = TimeSpan.FromSeconds(30);
        var random = new Random(Seed);
        string Pick(string[] values) => values[random.Next(values.Length)];

        var failures = new List<string>();
        var answered = new Dictionary<int, int>();
        async Task SendAsync(HttpRequestMessage request, string what, bool htmlForm = false)
        {
            using (request)
            {
                // A new connection each: Kestrel closes one whose body it refused unread (413, 415), and a request
                // sent on it after would fail in the client, not in the dashboard.
                request.Headers.ConnectionClose = true;
                HttpResponseMessage response;
                try
                {
                    response = await http.SendAsync(request, Cancel);
                }
                catch (HttpRequestException e)
                {
                    failures.Add($"{what}: no answer ({e.Message})");
                    return;
                }
                using (response)
                {
                    var status = (int)response.StatusCode;
                    answered[status] = answered.GetValueOrDefault(status) + 1;
                    var body = await response.Content.ReadAsStringAsync(Cancel);
                    if (status >= 500)
                        failures.Add($"{what}: {status} {body[..Math.Min(300, body.Length)]}");
                    // The login form answers a wrong key with itself (HTML, 401) for the browser that posted it.
                    else if (htmlForm && status == 401 && response.Content.Headers.ContentType?.MediaType == "text/html" && body.Contains("That is not the operator key.", StringComparison.Ordinal))
                        return;
                    else if (status >= 400 && response.Content.Headers.ContentType?.MediaType != "application/problem+json")
                        failures.Add($"{what}: {status} without a problem document ({response.Content.Headers.ContentType}): {body[..Math.Min(200, body.Length)]}");
                }
            }
        }

        string Query(params string[] names) =>
            string.Join('&', names.Where(_ => random.Next(4) > 0).Select(n => random.Next(6) == 0
                ? $"{n}={Pick(["%00", "%ZZ", "%ED%A0%80", "%FF%FE", "%C0%AF", "a%00b_error"])}" // escaped bytes that are not UTF-8 text
                : $"{n}={Uri.EscapeDataString(Pick(Texts))}"));

        foreach (var path in new[] { "/api/links", "/api/resources", "/api/messaging", "/api/messaging/audit" })
        {
            for (var i = 0; i < 5; i++)
                await SendAsync(new HttpRequestMessage(HttpMethod.Get, $"{path}?{Query("limit", "consortiumId", "vhost")}"), $"GET {path}");
        }
        for (var i = 0; i < RequestsPerEndpoint; i++)
        {
            var query = Query("vhost", "queue", "limit");
            await SendAsync(new HttpRequestMessage(HttpMethod.Get, $"/api/messaging/errors?{query}"), $"GET /api/messaging/errors?{query}");
        }
        for (var i = 0; i < RequestsPerEndpoint; i++)
        {
            var query = Query("consortiumId");
            await SendAsync(new HttpRequestMessage(HttpMethod.Get, $"/api/kpis?{query}"), $"GET /api/kpis?{query}");
        }
        // The annual report: garbage ids, years, formats and languages, and Accept headers of every kind. Its own seeded
        // sequence, so the other endpoints get the same garbage as before it was added.
        var reportRandom = new Random(Seed + 1);
        for (var i = 0; i < RequestsPerEndpoint; i++)
        {
            var query = string.Join('&', new[] { "consortiumId", "year", "format", "lang" }.Where(_ => reportRandom.Next(4) > 0)
                .Select(n => $"{n}={Uri.EscapeDataString(Texts[reportRandom.Next(Texts.Length)])}"));
            var request = new HttpRequestMessage(HttpMethod.Get, $"/api/reports/annual?{query}");
            string[] accepts = ["application/pdf", "text/html", "application/json;q=0", "*/*", "x/y;q=abc", "", "text/html;q=0.5, application/pdf"];
            request.Headers.TryAddWithoutValidation("Accept", accepts[reportRandom.Next(accepts.Length)]);
            await SendAsync(request, $"GET /api/reports/annual?{query}");
        }

        // The webhooks routes: garbage in the query and in the path's ids, and the real ids now and then. Ids short enough
        // for one request line and without NUL: Kestrel answers those itself (a bare 400) before the dashboard runs.
        var idTexts = Texts.Where(t => t.Length <= 300 && !t.Contains('\0', StringComparison.Ordinal)).ToArray();
        string Id(string real) => random.Next(4) == 0 ? real : Uri.EscapeDataString(Pick(idTexts));
        for (var i = 0; i < RequestsPerEndpoint; i++)
        {
            var endpoint = Id(WebhooksStub.EndpointId);
            var delivery = Id(WebhooksStub.FailedDeliveryId);
            foreach (var path in new[]
            {
                $"/api/webhooks/endpoints?{Query("status", "organizationId", "cursor", "limit")}",
                $"/api/webhooks/endpoints/{endpoint}/deliveries?{Query("status", "eventType", "cursor")}",
                $"/api/webhooks/endpoints/{endpoint}/deliveries/{delivery}",
            })
                await SendAsync(new HttpRequestMessage(HttpMethod.Get, path), $"GET {path}");
            var (body, shown) = Body(random, Pick);
            var redeliver = new HttpRequestMessage(HttpMethod.Post, $"/api/webhooks/endpoints/{endpoint}/deliveries/{delivery}/redeliver") { Content = new ByteArrayContent(body) };
            var contentType = Pick(ContentTypes);
            if (contentType.Length > 0) redeliver.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
            await SendAsync(redeliver, $"POST redeliver {endpoint}/{delivery} [{contentType}] {shown}");
        }

        foreach (var action in new[] { "replay", "discard" })
        {
            for (var i = 0; i < RequestsPerEndpoint; i++)
            {
                var (body, shown) = Body(random, Pick);
                var contentType = Pick(ContentTypes);
                var request = new HttpRequestMessage(HttpMethod.Post, $"/api/messaging/errors/{action}") { Content = new ByteArrayContent(body) };
                if (contentType.Length > 0) request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
                await SendAsync(request, $"POST {action} [{contentType}] {shown}");
            }
        }

        // The login form: anonymous, so it takes garbage from anyone.
        for (var i = 0; i < RequestsPerEndpoint; i++)
        {
            var (body, shown) = random.Next(2) == 0
                ? (Encoding.UTF8.GetBytes($"key={Uri.EscapeDataString(Pick(Texts))}&returnUrl={Uri.EscapeDataString(Pick(Texts))}"), "form")
                : Body(random, Pick);
            var contentType = Pick(ContentTypes);
            using var anonymous = new HttpRequestMessage(HttpMethod.Post, "/login") { Content = new ByteArrayContent(body) };
            if (contentType.Length > 0) anonymous.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
            anonymous.Headers.Add("X-Api-Key", Pick(Texts.Where(t => !t.Any(char.IsControl) && t.All(c => c < 128)).ToArray()));
            await SendAsync(anonymous, $"POST /login [{contentType}] {shown}", htmlForm: true);
        }
        var login = await GetLoginPageAsync(http, Pick);
        Assert.Empty(login);

        // The language switch and the page's texts (after the login checks, so their random draws stay as they were).
        for (var i = 0; i < RequestsPerEndpoint; i++)
        {
            var (body, shown) = Body(random, Pick);
            var contentType = Pick(ContentTypes);
            var request = new HttpRequestMessage(HttpMethod.Post, "/api/language") { Content = new ByteArrayContent(body) };
            if (contentType.Length > 0) request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
            await SendAsync(request, $"POST /api/language [{contentType}] {shown}");
            var textQuery = Query("lang");
            var text = new HttpRequestMessage(HttpMethod.Get, $"/api/text?{textQuery}");
            text.Headers.TryAddWithoutValidation("Accept-Language", Pick(Texts.Where(t => t.All(c => c is >= ' ' and < (char)127)).ToArray()));
            await SendAsync(text, $"GET /api/text?{textQuery}");
        }

        Assert.True(failures.Count == 0, $"{failures.Count} bad answers ({string.Join(", ", answered.OrderBy(a => a.Key).Select(a => $"{a.Key}×{a.Value}"))}):\n{string.Join('\n', failures.Take(30))}");
        Assert.DoesNotContain(answered.Keys, status => status >= 500);
        // The garbage was mostly refused, not served: at least some 400s and 415s.
        Assert.Contains(400, answered.Keys);
        Assert.Contains(415, answered.Keys);
    }

    /// <summary>GET /login with odd return URLs: always the form (200), never a 5xx.</summary>
    private static async Task<List<string>> GetLoginPageAsync(HttpClient http, Func<string[], string> pick)
    {
        var failures = new List<string>();
        for (var i = 0; i < 10; i++)
        {
            var returnUrl = pick(Texts);
            using var response = await http.GetAsync($"/login?returnUrl={Uri.EscapeDataString(returnUrl)}", Cancel);
            if (response.StatusCode != HttpStatusCode.OK) failures.Add($"GET /login?returnUrl={returnUrl}: {(int)response.StatusCode}");
        }
        return failures;
    }

    private static (byte[] Body, string Shown) Body(Random random, Func<string[], string> pick)
    {
        string Json(string text) => System.Text.Json.JsonSerializer.Serialize(text);
        var text = pick(Texts);
        switch (random.Next(12))
        {
            case 0: return ([], "empty");
            case 1: return ("null"u8.ToArray(), "null");
            case 2: return ("[null]"u8.ToArray(), "[null]");
            case 3: return (Encoding.UTF8.GetBytes(text), "raw text");
            case 4: return (Encoding.UTF8.GetBytes($$"""{"virtualHost":{{Json(text)}},"queue":{{Json(pick(Texts))}},"messageId":{{Json(pick(Texts))}}}"""), "strings");
            case 5: return ("""{"virtualHost":1,"queue":[],"messageId":{}}"""u8.ToArray(), "wrong types");
            case 6: return ("""{"virtualHost":"/","queue":"x_error","messageId":"\ud800"}"""u8.ToArray(), "escaped lone surrogate");
            case 7: return ([0x7B, 0x22, 0xFF, 0xFE, 0x22, 0x3A, 0x31, 0x7D], "invalid UTF-8");
            case 8: return (Encoding.UTF8.GetBytes("{\"queue\":\"" + new string('x', 200_000) + "_error\"}"), "200 kB");
            case 9: return (Encoding.UTF8.GetBytes(new string('[', 5000) + new string(']', 5000)), "deep nesting");
            case 10: return ("""{"virtualHost":"/","queue":"a_error","messageId":"m","virtualHost":null}"""u8.ToArray(), "duplicate property");
            default: return ("""{"virtualHost":"/\u0000","queue":"q\u0000_error","messageId":"\u0000"}"""u8.ToArray(), "NULs");
        }
    }
}
