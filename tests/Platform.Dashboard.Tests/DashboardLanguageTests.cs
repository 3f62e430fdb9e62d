using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Microsoft.Playwright;

namespace Platform.Dashboard.Tests;

/// <summary>The dashboard in English and Simplified Chinese: the switch, its cookie, Accept-Language, and the page's words.</summary>
[Collection(DashboardPlatform.Collection)]
public sealed partial class DashboardLanguageTests(DashboardPlatform platform)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Switching_to_Chinese_turns_the_header_and_the_KPI_cards_Chinese_and_a_reload_keeps_it()
    {
        var page = await platform.OpenAsync("#consortium");
        await Assertions.Expect(page.Locator("header h1")).ToHaveTextAsync("Consortium Platform");
        await Assertions.Expect(page.GetByTestId("kpi-card").Filter(new() { HasText = "Active members by kind" })).ToHaveCountAsync(1, new() { Timeout = 30_000 });
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "en");

        await page.GetByTestId("language-zh").ClickAsync();

        await Assertions.Expect(page.Locator("header h1")).ToHaveTextAsync("产教联盟平台");
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "zh-CN");
        await Assertions.Expect(page.Locator("#nav a")).ToHaveTextAsync(["资源状态", "消息流", "联盟概览", "Webhook 推送"]);
        await Assertions.Expect(page.Locator("main h2").First).ToHaveTextAsync("联盟关键指标");
        await Assertions.Expect(page.GetByTestId("kpi-card").Locator(".card-title").Filter(new() { HasText = "在册成员（按类型）" })).ToHaveCountAsync(1, new() { Timeout = 30_000 });
        await Assertions.Expect(page.GetByTestId("language-zh")).ToHaveAttributeAsync("aria-pressed", "true");
        // ASP.NET Core's culture cookie: the UI culture only (formatting stays invariant on the server).
        var cookie = (await page.Context.CookiesAsync()).Single(c => c.Name == ".AspNetCore.Culture");
        Assert.Equal("c=|uic=zh-CN", Uri.UnescapeDataString(cookie.Value));
        Assert.True(cookie.Expires > DateTimeOffset.UtcNow.AddDays(300).ToUnixTimeSeconds(), "the choice is remembered across visits");

        await page.ReloadAsync();
        await Assertions.Expect(page.Locator("header h1")).ToHaveTextAsync("产教联盟平台");
        await Assertions.Expect(page.GetByTestId("kpi-card").Locator(".card-title").Filter(new() { HasText = "培养就业漏斗" })).ToHaveCountAsync(1, new() { Timeout = 30_000 });
        await DashboardPlatform.ScreenshotAsync(page, "consortium-zh-CN");

        // And back: the switch wins over the browser's language either way.
        await page.GetByTestId("language-en").ClickAsync();
        await Assertions.Expect(page.Locator("header h1")).ToHaveTextAsync("Consortium Platform");
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "en");
    }

    [Fact]
    public async Task A_browser_that_prefers_Chinese_starts_in_Chinese_without_touching_the_switch()
    {
        await using var context = await platform.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            Locale = "zh-CN", ViewportSize = new ViewportSize { Width = 1280, Height = 800 },
        });
        var page = await context.NewPageAsync();
        await page.GotoAsync($"{platform.Dashboard.Url}/#consortium");
        await DashboardPlatform.LogInAsync(page, DashboardPlatform.OperatorKey);

        await Assertions.Expect(page.Locator("header h1")).ToHaveTextAsync("产教联盟平台");
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "zh-CN");
        await Assertions.Expect(page.GetByTestId("kpi-card").Locator(".card-title").Filter(new() { HasText = "近期活动" })).ToHaveCountAsync(1, new() { Timeout = 30_000 });
        await Assertions.Expect(page.Locator("#live")).ToHaveTextAsync("● 实时");
    }

    [Fact]
    public async Task The_page_text_is_served_per_language_and_the_switch_checks_its_input_and_sets_the_cookie()
    {
        using var http = DashboardPlatform.Operator(platform.Dashboard.Url);

        var english = await TextAsync(http, null);
        var chinese = await TextAsync(http, "zh-Hans;q=0.9,en;q=0.5");
        Assert.Equal("en", english.Body.GetProperty("language").GetString());
        Assert.Equal("Consortium", english.Body.GetProperty("text").GetProperty("nav.consortium").GetString());
        Assert.Equal("zh-CN", chinese.Body.GetProperty("language").GetString());
        Assert.Equal("联盟概览", chinese.Body.GetProperty("text").GetProperty("nav.consortium").GetString());
        Assert.NotEqual(english.ETag, chinese.ETag);
        Assert.Contains("Accept-Language", chinese.Vary);
        // Cacheable per language: the reader's own copy is still good, the other language's is not.
        using (var same = new HttpRequestMessage(HttpMethod.Get, "/api/text"))
        {
            same.Headers.AcceptLanguage.ParseAdd("zh-CN");
            same.Headers.IfNoneMatch.Add(chinese.ETag);
            using var response = await http.SendAsync(same, Cancel);
            Assert.Equal(HttpStatusCode.NotModified, response.StatusCode);
        }
        using (var other = new HttpRequestMessage(HttpMethod.Get, "/api/text"))
        {
            other.Headers.AcceptLanguage.ParseAdd("zh-CN");
            other.Headers.IfNoneMatch.Add(english.ETag);
            using var response = await http.SendAsync(other, Cancel);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        using (var unknown = await http.PostAsJsonAsync("/api/language", new { language = "fr" }, Cancel))
        {
            Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
            Assert.Contains("language", await unknown.Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);
        }
        using var chosen = await http.PostAsJsonAsync("/api/language", new { language = "zh-CN" }, Cancel);
        Assert.Equal(HttpStatusCode.NoContent, chosen.StatusCode);
        var setCookie = Assert.Single(chosen.Headers.GetValues("Set-Cookie"), c => c.StartsWith(".AspNetCore.Culture=", StringComparison.Ordinal));
        Assert.StartsWith(".AspNetCore.Culture=c=|uic=zh-CN;", Uri.UnescapeDataString(setCookie), StringComparison.Ordinal);
        Assert.Contains("samesite=lax", setCookie, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Every_key_the_page_asks_for_is_in_the_resource_file()
    {
        var root = DashboardPlatform.RepositoryRoot();
        var wwwroot = Path.Combine(root, "services", "Dashboard", "Platform.Dashboard", "wwwroot");
        var keys = XDocument.Load(Path.Combine(root, "services", "Dashboard", "Platform.Dashboard", "Features", "Language", "DashboardText.resx"))
            .Root!.Elements("data").Select(d => (string)d.Attribute("name")!).ToHashSet(StringComparer.Ordinal);
        var html = File.ReadAllText(Path.Combine(wwwroot, "index.html"));
        var script = File.ReadAllText(Path.Combine(wwwroot, "app.js"));
        var asked = HtmlKey().Matches(html).Select(m => m.Groups[1].Value)
            .Concat(ScriptKey().Matches(script).Select(m => m.Groups[1].Value))
            .Distinct().ToList();
        Assert.True(asked.Count > 100, $"only {asked.Count} keys found: is the pattern still right?");
        var missing = asked.Where(k => !keys.Contains(k)).ToList();
        Assert.True(missing.Count == 0, "not in DashboardText.resx: " + string.Join(", ", missing));
    }

    private static async Task<(JsonElement Body, EntityTagHeaderValue ETag, HttpHeaderValueCollection<string> Vary)> TextAsync(HttpClient http, string? acceptLanguage)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/text");
        if (acceptLanguage is not null) request.Headers.TryAddWithoutValidation("Accept-Language", acceptLanguage);
        using var response = await http.SendAsync(request, Cancel);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>(Cancel), response.Headers.ETag!, response.Headers.Vary);
    }

    [GeneratedRegex("""data-i18n(?:-title|-aria-label)?="([^"]+)"[^>]*>""")]
    private static partial Regex HtmlKey();

    // t("key"…) with a literal key; keys built at run time (word(), kpiKey) fall back to the value sent.
    [GeneratedRegex(@"\bt\(""([A-Za-z0-9.]+)""")]
    private static partial Regex ScriptKey();
}
