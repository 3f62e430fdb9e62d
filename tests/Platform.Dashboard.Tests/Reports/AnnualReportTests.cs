using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using Platform.Testing;

namespace Platform.Dashboard.Tests.Reports;

/// <summary>
/// <c>GET /api/reports/annual</c> against the real services: its figures reconcile with the services' own answers,
/// the page speaks English and Chinese, the PDF prints, the charts render in Chromium, bad input is a 4xx.
/// </summary>
public sealed class AnnualReportTests(AnnualReportPlatform data) : IClassFixture<AnnualReportPlatform>
{
    private const int Year = AnnualReportPlatform.Year;
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;
    private DashboardPlatform Platform => data.Platform;
    private string Report(string? format = null, int year = Year) =>
        $"/api/reports/annual?consortiumId={data.ConsortiumId}&year={year}{(format is null ? "" : "&format=" + format)}";

    private static List<JsonElement> Items(JsonElement page) => [.. page.GetProperty("items").EnumerateArray()];

    private static bool InYear(string? day) => day is not null && day.StartsWith($"{Year}-", StringComparison.Ordinal);

    [Fact]
    public async Task The_figures_equal_the_services_own_answers_and_leave_out_what_is_outside_the_year()
    {
        using var dashboard = DashboardPlatform.Operator(Platform.Dashboard.Url);
        using var membership = DashboardPlatform.Operator(Platform.Membership.Url);
        using var pipeline = DashboardPlatform.Operator(Platform.TalentPipeline.Url);
        using var events = DashboardPlatform.Operator(Platform.Events.Url);
        var id = data.ConsortiumId;

        // The funnel is maintained from the placement events asynchronously: wait until the year's figure is there.
        JsonElement funnel = default;
        await ServiceUnderTest<object>.EventuallyAsync(async () =>
        {
            funnel = await pipeline.GetFromJsonAsync<JsonElement>($"/api/v1/kpis/funnel?consortiumId={id}&from={Year}-01-01&to={Year}-12-31", Cancel);
            return funnel.GetProperty("counts").GetProperty("enrolled").GetInt32() == 4;
        }, "the year's funnel is counted", TimeSpan.FromSeconds(30));
        var report = await dashboard.GetFromJsonAsync<JsonElement>(Report(), Cancel);

        Assert.Equal(id, report.GetProperty("consortium").GetProperty("id").GetString());
        Assert.Equal(data.ConsortiumName, report.GetProperty("consortium").GetProperty("name").GetString());
        Assert.Equal("Asia/Shanghai", report.GetProperty("timeZone").GetString());
        Assert.Empty(report.GetProperty("unavailable").EnumerateArray());

        // Members by kind and council role = membership's list of the active memberships.
        var memberships = Items(await membership.GetFromJsonAsync<JsonElement>($"/api/v1/consortia/{id}/memberships?limit=200", Cancel));
        var active = memberships.Where(m => m.GetProperty("status").GetString() == "active").ToList();
        Assert.Equal(active.Count, report.GetProperty("members").GetProperty("active").GetInt32());
        Assert.Equal(5, active.Count);
        Assert.Equal(Counted(active.Select(m => m.GetProperty("organizationKind").GetString()!)), Counted(report.GetProperty("members").GetProperty("byKind")));
        Assert.Equal(Counted(active.Where(m => m.GetProperty("councilRole").ValueKind == JsonValueKind.String).Select(m => m.GetProperty("councilRole").GetString()!)),
            Counted(report.GetProperty("members").GetProperty("byCouncilRole")));
        Assert.Equal(new Dictionary<string, int> { ["chair"] = 1, ["viceChair"] = 1, ["councilMember"] = 1 }, Counted(report.GetProperty("members").GetProperty("byCouncilRole")));

        // The funnel = talent-pipeline's for the year, and not its all-time figure (placements of 2024 and 2026 are left out).
        var stages = report.GetProperty("funnel").GetProperty("stages").EnumerateArray().ToDictionary(s => s.GetProperty("kind").GetString()!, s => s.GetProperty("count").GetInt32());
        foreach (var (stage, count) in stages) Assert.Equal(funnel.GetProperty("counts").GetProperty(stage).GetInt32(), count);
        Assert.Equal((4, 2, 2), (stages["enrolled"], stages["internshipStarted"], stages["employed"]));
        var allTime = await pipeline.GetFromJsonAsync<JsonElement>($"/api/v1/kpis/funnel?consortiumId={id}", Cancel);
        Assert.Equal(6, allTime.GetProperty("counts").GetProperty("enrolled").GetInt32());
        foreach (var rate in new[] { "placementRate", "internshipToEmploymentConversion", "retention6Months", "retention12Months" })
            Assert.Equal(funnel.GetProperty(rate).ToString(), report.GetProperty("funnel").GetProperty(rate).ToString());
        Assert.Equal(0.5, report.GetProperty("funnel").GetProperty("placementRate").GetDouble());

        // Agreements = events' list signed in the year; the one of 31 December 2024 is not counted.
        var agreements = Items(await events.GetFromJsonAsync<JsonElement>($"/api/v1/agreements?consortiumId={id}&limit=200", Cancel));
        Assert.Equal(2, agreements.Count);
        Assert.Equal(agreements.Where(a => InYear(a.GetProperty("signedOn").GetString())).Select(a => a.GetProperty("id").GetString()).Order(),
            report.GetProperty("agreements").EnumerateArray().Select(a => a.GetProperty("id").GetString()).Order());
        Assert.Equal("orderClass", Assert.Single(report.GetProperty("agreements").EnumerateArray()).GetProperty("kind").GetString());

        // Meetings held: the construction meeting and the competition at 01:00 on 1 January in Jinan; not the meeting of 31 December 2024.
        Assert.Equal(new[] { data.Events["competition"], data.Events["construction"] }, report.GetProperty("meetings").EnumerateArray().Select(m => m.GetProperty("eventId").GetString()));
        Assert.Equal("2025-01-01", report.GetProperty("meetings")[0].GetProperty("on").GetString());
        var unveiled = Assert.Single(report.GetProperty("basesUnveiled").EnumerateArray());
        Assert.Equal("trainingBase", unveiled.GetProperty("kind").GetString());
        var competition = Assert.Single(report.GetProperty("competitions").EnumerateArray());
        Assert.Equal("First prize", competition.GetProperty("entrants")[0].GetProperty("award").GetString());

        // Programs launched by kind = talent-pipeline's programs past draft that started in the year: the order class, not the 2024 apprenticeship.
        var programs = Items(await pipeline.GetFromJsonAsync<JsonElement>($"/api/v1/programs?consortiumId={id}&limit=200", Cancel));
        var launched = programs.Where(p => p.GetProperty("status").GetString() is "active" or "paused" or "completed")
            .Where(p => InYear(p.GetProperty("startsOn").ValueKind == JsonValueKind.String ? p.GetProperty("startsOn").GetString()
                : TimeZoneInfo.ConvertTimeBySystemTimeZoneId(p.GetProperty("createdAt").GetDateTimeOffset(), "Asia/Shanghai").ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)));
        Assert.Equal(Counted(launched.Select(p => p.GetProperty("kind").GetString()!)), Counted(report.GetProperty("programsByKind")));
        Assert.Equal(1, Counted(report.GetProperty("programsByKind")).GetValueOrDefault("orderClass"));
        Assert.False(Counted(report.GetProperty("programsByKind")).ContainsKey("apprenticeship"));

        // Data quality per college = talent-pipeline's answer for each member college.
        foreach (var college in report.GetProperty("dataQuality").EnumerateArray())
        {
            var own = await pipeline.GetFromJsonAsync<JsonElement>($"/api/v1/data-quality?collegeId={college.GetProperty("collegeId").GetString()}", Cancel);
            Assert.Equal(own.GetProperty("issues").GetInt32(), college.GetProperty("issues").GetInt32());
        }
        Assert.Equal(2, report.GetProperty("dataQuality").GetArrayLength());

        // The timeline = the feed's entries published in the year (Jinan's calendar).
        var feed = Items(await events.GetFromJsonAsync<JsonElement>($"/api/v1/feed?consortiumId={id}&limit=200", Cancel));
        var inYear = feed.Where(f => TimeZoneInfo.ConvertTimeBySystemTimeZoneId(f.GetProperty("published").GetDateTimeOffset(), "Asia/Shanghai").Year == Year).ToList();
        Assert.Equal(inYear.Count, report.GetProperty("timeline").GetArrayLength());
    }

    private static Dictionary<string, int> Counted(IEnumerable<string> kinds) => kinds.GroupBy(k => k).ToDictionary(g => g.Key, g => g.Count());

    private static Dictionary<string, int> Counted(JsonElement counts) =>
        counts.EnumerateArray().ToDictionary(c => c.GetProperty("kind").GetString()!, c => c.GetProperty("count").GetInt32());

    [Fact]
    public async Task The_page_speaks_english_by_default_and_chinese_to_a_chinese_reader()
    {
        using var dashboard = DashboardPlatform.Operator(Platform.Dashboard.Url);
        using var request = new HttpRequestMessage(HttpMethod.Get, Report());
        request.Headers.Accept.ParseAdd("text/html");
        using var english = await dashboard.SendAsync(request, Cancel);
        Assert.Equal(HttpStatusCode.OK, english.StatusCode);
        Assert.Equal("text/html", english.Content.Headers.ContentType?.MediaType);
        var page = await english.Content.ReadAsStringAsync(Cancel);
        Assert.Contains("<html lang=\"en\">", page, StringComparison.Ordinal);
        Assert.Contains(data.ConsortiumName, page, StringComparison.Ordinal);
        Assert.Contains("Placement funnel", page, StringComparison.Ordinal);
        Assert.Contains("14 November 2025", page, StringComparison.Ordinal);

        using var chineseRequest = new HttpRequestMessage(HttpMethod.Get, Report("html"));
        chineseRequest.Headers.AcceptLanguage.ParseAdd("zh-CN");
        using var chinese = await dashboard.SendAsync(chineseRequest, Cancel);
        var chinesePage = await chinese.Content.ReadAsStringAsync(Cancel);
        Assert.Contains("<html lang=\"zh-CN\">", chinesePage, StringComparison.Ordinal);
        Assert.Contains("培养就业漏斗", chinesePage, StringComparison.Ordinal);
        Assert.Contains("成员构成与理事会", chinesePage, StringComparison.Ordinal);
        Assert.Contains("2025年11月14日", chinesePage, StringComparison.Ordinal);
        Assert.DoesNotContain("Placement funnel", chinesePage, StringComparison.Ordinal);

        // ?lang= picks the language for a link.
        var byQuery = await dashboard.GetStringAsync(Report("html") + "&lang=zh-CN", Cancel);
        Assert.Contains("<html lang=\"zh-CN\">", byQuery, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_pdf_is_printed_by_chromium_with_the_consortium_and_its_sections()
    {
        var text = await PdfTextAsync(language: null);
        Assert.Contains(data.ConsortiumName, text, StringComparison.Ordinal);
        Assert.Contains("Members by kind and council role", text, StringComparison.Ordinal);
        Assert.Contains("Placement funnel", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_chinese_pdf_prints_chinese_text_not_empty_boxes()
    {
        // Chromium needs a Chinese font on the machine (install-os-packages.sh --with-browser); without one the
        // headings print as boxes that pdftotext cannot read back.
        var text = await PdfTextAsync(language: "zh-CN");
        Assert.Contains("成员构成与理事会", text, StringComparison.Ordinal);
        Assert.Contains(data.ConsortiumName, text, StringComparison.Ordinal);
    }

    private async Task<string> PdfTextAsync(string? language)
    {
        using var dashboard = DashboardPlatform.Operator(Platform.Dashboard.Url);
        dashboard.Timeout = TimeSpan.FromSeconds(120);
        using var request = new HttpRequestMessage(HttpMethod.Get, Report());
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/pdf"));
        if (language is not null) request.Headers.AcceptLanguage.Add(new StringWithQualityHeaderValue(language));
        using var response = await dashboard.SendAsync(request, Cancel);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/pdf", response.Content.Headers.ContentType?.MediaType);
        var pdf = await response.Content.ReadAsByteArrayAsync(Cancel);
        Assert.Equal("%PDF"u8.ToArray(), pdf[..4]);

        var file = Path.Combine(Path.GetTempPath(), $"annual-report-{Guid.NewGuid():N}.pdf");
        try
        {
            await File.WriteAllBytesAsync(file, pdf, Cancel);
            using var pdftotext = Process.Start(new ProcessStartInfo("pdftotext", ["-layout", "-enc", "UTF-8", file, "-"]) { RedirectStandardOutput = true })!;
            var text = await pdftotext.StandardOutput.ReadToEndAsync(Cancel);
            await pdftotext.WaitForExitAsync(Cancel);
            return text;
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Without_chromium_the_pdf_is_a_503_problem_saying_so()
    {
        await using var dashboard = Platform.StartDashboard(new Dictionary<string, string?>
        {
            ["services:membership:http:0"] = Platform.Membership.Url,
            ["services:talent-pipeline:http:0"] = Platform.TalentPipeline.Url,
            ["services:events:http:0"] = Platform.Events.Url,
            ["Dashboard:Chromium:Path"] = "/nonexistent/chromium",
        });
        using var http = DashboardPlatform.Operator(dashboard.Url);
        using var response = await http.GetAsync(Report("pdf"), Cancel);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Chromium is not installed", await response.Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);
        // The HTML needs no Chromium.
        using var html = await http.GetAsync(Report("html"), Cancel);
        Assert.Equal(HttpStatusCode.OK, html.StatusCode);
    }

    [Theory]
    [InlineData("", "2025", "consortiumId")]
    [InlineData("not-a-guid", "2025", "consortiumId")]
    [InlineData("{0}", "", "year")]
    [InlineData("{0}", "twenty", "year")]
    [InlineData("{0}", "1999", "year")]
    [InlineData("{0}", "+2025", "year")]
    [InlineData("{0}", "NEXT+2", "year")]
    [InlineData("{0}", "2025&format=xml", "format")]
    public async Task Bad_input_is_a_400_naming_the_field(string consortiumId, string year, string field)
    {
        using var dashboard = DashboardPlatform.Operator(Platform.Dashboard.Url);
        year = year.Replace("NEXT+2", (DateTime.UtcNow.Year + 2).ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
        using var response = await dashboard.GetAsync($"/api/reports/annual?consortiumId={string.Format(CultureInfo.InvariantCulture, consortiumId, data.ConsortiumId)}&year={year}", Cancel);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Cancel);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }

    [Fact]
    public async Task An_unknown_consortium_is_a_404_and_the_report_needs_the_operator()
    {
        using var dashboard = DashboardPlatform.Operator(Platform.Dashboard.Url);
        using var unknown = await dashboard.GetAsync($"/api/reports/annual?consortiumId={Guid.NewGuid()}&year={Year}", Cancel);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("application/problem+json", unknown.Content.Headers.ContentType?.MediaType);

        using var anonymous = new HttpClient { BaseAddress = new Uri(Platform.Dashboard.Url) };
        using var refused = await anonymous.GetAsync(Report("json"), Cancel);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    [Fact]
    public async Task In_the_browser_the_charts_render_with_a_bar_per_figure_and_the_print_stylesheet_applies()
    {
        using var dashboard = DashboardPlatform.Operator(Platform.Dashboard.Url);
        var figures = await dashboard.GetFromJsonAsync<JsonElement>(Report(), Cancel);

        // From the Consortium view: the annual report's links for the chosen consortium and year.
        var page = await Platform.OpenAsync("#consortium");
        await page.Locator("select").First.SelectOptionAsync(data.ConsortiumId);
        var panel = page.GetByTestId("annual-report");
        await panel.GetByTestId("report-year").SelectOptionAsync(Year.ToString(CultureInfo.InvariantCulture));
        await Assertions.Expect(panel.GetByTestId("report-html")).ToHaveAttributeAsync("href", Report("html"));
        await Assertions.Expect(panel.GetByTestId("report-pdf")).ToHaveAttributeAsync("href", Report("pdf"));

        await page.GotoAsync(Platform.Dashboard.Url + Report("html"));
        await Assertions.Expect(page.GetByTestId("report-consortium")).ToHaveTextAsync(data.ConsortiumName);
        var expected = new Dictionary<string, int>
        {
            ["members-by-kind"] = figures.GetProperty("members").GetProperty("byKind").GetArrayLength(),
            ["programs-by-kind"] = figures.GetProperty("programsByKind").GetArrayLength(),
            ["funnel"] = figures.GetProperty("funnel").GetProperty("stages").GetArrayLength(),
            ["data-quality"] = figures.GetProperty("dataQuality").GetArrayLength(),
        };
        foreach (var (chart, count) in expected)
        {
            Assert.True(count > 0, chart);
            var svg = page.Locator($"figure[data-chart={chart}] svg");
            await Assertions.Expect(svg).ToHaveAttributeAsync("role", "img");
            Assert.False(string.IsNullOrWhiteSpace(await svg.Locator("title").TextContentAsync()));
            var bars = svg.Locator("rect.bar");
            await Assertions.Expect(bars).ToHaveCountAsync(count);
            for (var i = 0; i < count; i++)
            {
                var box = await bars.Nth(i).BoundingBoxAsync();
                Assert.True(box is { Width: > 0, Height: > 0 }, $"{chart} bar {i}: {box?.Width}×{box?.Height}");
            }
        }
        var funnelBar = page.Locator("figure[data-chart=funnel] rect.bar[data-label=enrolled]");
        await Assertions.Expect(funnelBar).ToHaveAttributeAsync("data-value", "4");
        await DashboardPlatform.ScreenshotAsync(page, "annual-report");

        Assert.Equal("auto", await page.EvalOnSelectorAsync<string>("section#meetings", "s => getComputedStyle(s).breakBefore"));
        await page.EmulateMediaAsync(new PageEmulateMediaOptions { Media = Media.Print });
        Assert.Equal("page", await page.EvalOnSelectorAsync<string>("section#meetings", "s => getComputedStyle(s).breakBefore"));
        await page.Context.CloseAsync();
    }
}
