using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;

namespace Platform.Dashboard.Tests;

/// <summary>
/// Nothing on the dashboard without the operator: pages redirect to the login form, the JSON API answers 401, a script
/// uses X-Api-Key, a browser the login cookie (HttpOnly, SameSite=Strict; changes need X-Requested-With); foreign host
/// names are refused. Against a dashboard on a real port with the real broker.
/// </summary>
[Collection(DashboardPlatform.Collection)]
public sealed class OperatorAccessTests(DashboardPlatform platform)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static readonly string[] ApiReads = ["/api/links", "/api/resources", "/api/messaging", "/api/messaging/audit", "/api/kpis",
        "/api/messaging/errors?vhost=%2F&queue=membership_error&limit=5", "/api/webhooks/endpoints",
        $"/api/webhooks/endpoints/{WebhooksStub.EndpointId}/deliveries", $"/api/webhooks/endpoints/{WebhooksStub.EndpointId}/deliveries/{WebhooksStub.FailedDeliveryId}"];

    private static readonly string[] Pages = ["/", "/index.html", "/app.js", "/app.css", "/charts.js"];

    private static HttpClient Client(string url, CookieContainer? cookies = null) =>
        new(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false, CookieContainer = cookies ?? new CookieContainer(), UseCookies = cookies is not null })
        {
            BaseAddress = new Uri(url),
        };

    private static async Task AssertUnauthorizedProblemAsync(HttpResponseMessage response, string what)
    {
        Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{what}: {(int)response.StatusCode}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Cancel);
        Assert.Equal(401, problem.GetProperty("status").GetInt32());
        Assert.Contains("X-Api-Key", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_the_operator_every_api_read_is_401_every_page_goes_to_the_login_form_and_only_the_health_probes_answer()
    {
        using var http = Client(platform.Dashboard.Url);
        foreach (var path in ApiReads)
        {
            using var response = await http.GetAsync(path, Cancel);
            await AssertUnauthorizedProblemAsync(response, path);
        }
        foreach (var path in new[] { "/api/messaging/errors/replay", "/api/messaging/errors/discard", $"/api/webhooks/endpoints/{WebhooksStub.EndpointId}/deliveries/{WebhooksStub.FailedDeliveryId}/redeliver" })
        {
            using var response = await http.PostAsJsonAsync(path, new { virtualHost = "/", queue = "membership_error", messageId = "m" }, Cancel);
            await AssertUnauthorizedProblemAsync(response, path);
        }
        foreach (var path in Pages)
        {
            using var response = await http.GetAsync(path, Cancel);
            Assert.True(response.StatusCode == HttpStatusCode.Found, $"{path}: {(int)response.StatusCode}");
            Assert.Equal($"/login?returnUrl={Uri.EscapeDataString(path)}", response.Headers.Location!.PathAndQuery);
            Assert.DoesNotContain("app.js", await response.Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);
        }

        // The probes stay open for the AppHost and answer as the services' do (ServiceDefaults' health document).
        foreach (var probe in new[] { "/health/live", "/health/ready" })
        {
            using var response = await http.GetAsync(probe, Cancel);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("healthy", (await response.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("status").GetString());
        }
        using var login = await http.GetAsync("/login", Cancel);
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        Assert.Contains("name=\"key\"", await login.Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_script_reads_with_the_operator_key_in_X_Api_Key_and_a_wrong_key_is_401_everywhere()
    {
        using var wrong = Client(platform.Dashboard.Url);
        wrong.DefaultRequestHeaders.Add("X-Api-Key", DashboardPlatform.OperatorKey + "x");
        foreach (var path in ApiReads.Concat(Pages))
        {
            using var response = await wrong.GetAsync(path, Cancel);
            await AssertUnauthorizedProblemAsync(response, path);
        }
        using (var empty = new HttpRequestMessage(HttpMethod.Get, "/api/links") { Headers = { { "X-Api-Key", "" } } })
        using (var response = await wrong.SendAsync(empty, Cancel))
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);

        using var script = DashboardPlatform.Operator(platform.Dashboard.Url);
        foreach (var path in new[] { "/api/links", "/api/resources", "/api/messaging", "/api/messaging/audit", "/" })
        {
            using var response = await script.GetAsync(path, Cancel);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode}");
        }
        // A change with the key needs no other header: a script has no ambient credential to forge.
        using var discard = await script.PostAsJsonAsync("/api/messaging/errors/discard", new { virtualHost = "/", queue = "membership", messageId = "m" }, Cancel);
        Assert.Equal(HttpStatusCode.BadRequest, discard.StatusCode);
    }

    [Fact]
    public async Task The_login_cookie_is_httponly_samesite_strict_opens_everything_needs_X_Requested_With_for_changes_and_ends_at_logout()
    {
        var cookies = new CookieContainer();
        using var browser = Client(platform.Dashboard.Url, cookies);

        using (var refused = await browser.PostAsync("/login", Form(("key", "guess"), ("returnUrl", "/#messages")), Cancel))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
            Assert.Contains("That is not the operator key.", await refused.Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);
            Assert.False(refused.Headers.Contains("Set-Cookie"));
        }

        using (var loggedIn = await browser.PostAsync("/login", Form(("key", DashboardPlatform.OperatorKey), ("returnUrl", "/#messages")), Cancel))
        {
            Assert.Equal(HttpStatusCode.SeeOther, loggedIn.StatusCode);
            Assert.Equal("/#messages", loggedIn.Headers.Location!.OriginalString);
            var cookie = Assert.Single(loggedIn.Headers.GetValues("Set-Cookie"), c => c.StartsWith("platform-operator=", StringComparison.Ordinal));
            Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
            // Plain http on loopback: a Secure cookie would never come back (it is Secure when the dashboard is served over https).
            Assert.DoesNotContain("secure", cookie.Split(';').Skip(1).Select(a => a.Trim().ToLowerInvariant()));
        }

        foreach (var path in ApiReads.Take(4).Append("/"))
        {
            using var response = await browser.GetAsync(path, Cancel);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode}");
        }

        // A change with the cookie alone (what a forged cross-site form would send) is refused; with the page's header it is decided on its merits.
        var body = new { virtualHost = "/", queue = "membership", messageId = "m" };
        using (var forged = await browser.PostAsJsonAsync("/api/messaging/errors/discard", body, Cancel))
        {
            Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode);
            Assert.Contains("X-Requested-With", await forged.Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);
        }
        using (var fromPage = new HttpRequestMessage(HttpMethod.Post, "/api/messaging/errors/discard") { Content = JsonContent.Create(body), Headers = { { "X-Requested-With", "dashboard" } } })
        using (var response = await browser.SendAsync(fromPage, Cancel))
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);

        using (var logout = new HttpRequestMessage(HttpMethod.Post, "/logout") { Headers = { { "X-Requested-With", "dashboard" } } })
        using (var response = await browser.SendAsync(logout, Cancel))
            Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        using (var after = await browser.GetAsync("/api/links", Cancel))
            Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
    }

    [Theory]
    [InlineData("//evil.example/")]
    [InlineData("/\\evil.example/")]
    [InlineData("https://evil.example/")]
    [InlineData("")]
    public async Task The_login_returns_only_to_a_page_of_the_dashboard(string returnUrl)
    {
        using var browser = Client(platform.Dashboard.Url, new CookieContainer());
        using var response = await browser.PostAsync("/login", Form(("key", DashboardPlatform.OperatorKey), ("returnUrl", returnUrl)), Cancel);
        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.Equal("/", response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task A_foreign_host_name_is_refused_with_400_loopback_names_and_configured_hosts_are_served()
    {
        var port = new Uri(platform.Dashboard.Url).Port;
        async Task<HttpStatusCode> WithHostAsync(string url, string host)
        {
            using var http = DashboardPlatform.Operator(url);
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/links");
            request.Headers.Host = host;
            using var response = await http.SendAsync(request, Cancel);
            return response.StatusCode;
        }

        // DNS rebinding: attacker.example resolves to 127.0.0.1, the browser sends Host: attacker.example.
        Assert.Equal(HttpStatusCode.BadRequest, await WithHostAsync(platform.Dashboard.Url, $"attacker.example:{port}"));
        Assert.Equal(HttpStatusCode.BadRequest, await WithHostAsync(platform.Dashboard.Url, "operator.consortium.example"));
        foreach (var host in new[] { $"127.0.0.1:{port}", $"localhost:{port}", $"[::1]:{port}" })
            Assert.Equal(HttpStatusCode.OK, await WithHostAsync(platform.Dashboard.Url, host));
        // Health probes too: the host check comes before everything.
        using (var http = Client(platform.Dashboard.Url))
        using (var request = new HttpRequestMessage(HttpMethod.Get, "/health/live") { Headers = { Host = "attacker.example" } })
        using (var response = await http.SendAsync(request, Cancel))
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);

        await using var behindProxy = platform.StartDashboard(new Dictionary<string, string?> { ["Dashboard:AllowedHosts"] = "operator.consortium.example" });
        Assert.Equal(HttpStatusCode.OK, await WithHostAsync(behindProxy.Url, "operator.consortium.example"));
        Assert.Equal(HttpStatusCode.BadRequest, await WithHostAsync(behindProxy.Url, "attacker.example"));
    }

    [Fact]
    public async Task In_the_browser_a_wrong_key_is_refused_on_the_form_the_right_one_opens_the_view_asked_for_and_log_out_ends_the_session()
    {
        var page = await platform.NewPageAsync();
        await page.GotoAsync($"{platform.Dashboard.Url}/#messages");
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/login\\?returnUrl=%2F#messages$"));
        await DashboardPlatform.LogInAsync(page, "not-the-key");
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("That is not the operator key.");
        await DashboardPlatform.ScreenshotAsync(page, "login-refused");

        await DashboardPlatform.LogInAsync(page, DashboardPlatform.OperatorKey);
        await Assertions.Expect(page).ToHaveURLAsync($"{platform.Dashboard.Url}/#messages");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Message flow", Exact = true })).ToBeVisibleAsync();
        var cookie = Assert.Single(await page.Context.CookiesAsync(), c => c.Name == "platform-operator");
        Assert.True(cookie.HttpOnly);
        Assert.Equal(SameSiteAttribute.Strict, cookie.SameSite);
        // The page's script cannot read it.
        Assert.Equal("", await page.EvaluateAsync<string>("() => document.cookie"));

        await page.GetByRole(AriaRole.Button, new() { Name = "Log out" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/login$"));
        await page.GotoAsync($"{platform.Dashboard.Url}/#resources");
        await Assertions.Expect(page.GetByLabel("Operator key")).ToBeVisibleAsync();
        await page.Context.CloseAsync();
    }

    private static FormUrlEncodedContent Form(params (string Name, string Value)[] fields) =>
        new(fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value)));
}
