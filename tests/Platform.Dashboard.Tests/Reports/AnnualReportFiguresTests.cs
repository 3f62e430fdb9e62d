extern alias dashboard;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using dashboard::Platform.Dashboard.Features.Reports;

namespace Platform.Dashboard.Tests.Reports;

/// <summary>The annual report's figures from canned API answers: no HTTP, the year's boundaries in the consortium's time zone.</summary>
public sealed class AnnualReportFiguresTests
{
    private static readonly DateTimeOffset GeneratedAt = new(2026, 3, 1, 8, 0, 0, TimeSpan.Zero);

    private static JsonElement J(string json) => JsonDocument.Parse(json).RootElement.Clone();

    private static List<JsonElement> Items(string json) => [.. J(json).EnumerateArray()];

    private static AnnualReportAnswers Answers(string? timeZone = null) => new()
    {
        Consortium = J($$"""{ "id": "c1", "name": "Jinan Consortium", "nameZh": "济南产教联合体", "region": "Shandong, Jinan"{{(timeZone is null ? "" : $", \"timeZone\": \"{timeZone}\"")}} }"""),
        Memberships = Items("""
            [
              { "organizationId": "o1", "organizationName": "Shandong Labor College", "organizationNameZh": "山东劳动职业技术学院", "organizationKind": "vocationalCollege", "status": "active", "councilRole": "chair" },
              { "organizationId": "o2", "organizationName": "Beichen", "organizationKind": "enterprise", "status": "active", "councilRole": "viceChair" },
              { "organizationId": "o3", "organizationName": "Guoshun", "organizationKind": "enterprise", "status": "active", "councilRole": null },
              { "organizationId": "o4", "organizationName": "Qilu Institute", "organizationKind": "researchInstitute", "status": "applied" },
              { "organizationId": "o5", "organizationName": "Old Member", "organizationKind": "enterprise", "status": "withdrawn", "councilRole": "councilMember" }
            ]
            """),
        Events = Items("""
            [
              { "id": "e1", "kind": "foundingMeeting", "title": "New Year founding", "venue": "Jinan", "startsAt": "2024-12-31T17:00:00Z", "status": "held",
                "outcomes": { "agreements": [], "unveilings": [ { "id": "u1", "name": "Welding base", "kind": "trainingBase", "hostOrganizationName": "Beichen", "unveiledOn": "2025-01-01", "state": "applied" } ], "councilDesignations": [], "competitionResults": null } },
              { "id": "e2", "kind": "signingCeremony", "title": "Year-end signing", "venue": "Jinan", "startsAt": "2025-12-31T16:30:00Z", "status": "held",
                "outcomes": { "agreements": [], "unveilings": [ { "id": "u2", "name": "Late base", "kind": "internshipBase", "hostOrganizationName": "Beichen", "unveiledOn": "2026-01-01", "state": "recorded" },
                  { "id": "u3", "name": "Refused base", "kind": "other", "hostOrganizationName": "Beichen", "unveiledOn": "2025-06-01", "state": "rejected" } ], "councilDesignations": [], "competitionResults": null } },
              { "id": "e3", "kind": "symposium", "title": "Planned symposium", "startsAt": "2025-06-01T02:00:00Z", "status": "scheduled" },
              { "id": "e4", "kind": "jobFair", "title": "Job fair", "startsAt": "2025-05-01T02:00:00Z", "status": "held" },
              { "id": "e5", "kind": "skillsCompetition", "title": "E-commerce skills competition", "venue": "Jining", "startsAt": "2025-08-20T01:00:00Z", "status": "held",
                "outcomes": { "agreements": [], "unveilings": [], "councilDesignations": [], "competitionResults": { "id": "r1", "entrants": [
                  { "traineeRef": "T-2", "collegeName": "Shandong Labor College", "rank": 2, "award": "Second prize" },
                  { "traineeRef": "T-1", "collegeName": "Shandong Labor College", "rank": 1, "award": "First prize" } ] } } }
            ]
            """),
        Agreements = Items("""
            [
              { "id": "a1", "kind": "orderClass", "title": "Welding order class", "signedOn": "2025-11-14", "parties": [ { "name": "Shandong Labor College" }, { "name": "Beichen" } ], "eventTitle": "Construction meeting" },
              { "id": "a2", "kind": "strategicCooperation", "title": "Old agreement", "signedOn": "2024-12-31", "parties": [] }
            ]
            """),
        Programs = Items("""
            [
              { "id": "p1", "kind": "orderClass", "title": "Welding class", "status": "active", "startsOn": "2025-09-01", "createdAt": "2025-08-01T00:00:00Z" },
              { "id": "p2", "kind": "apprenticeship", "title": "Apprentices", "status": "completed", "startsOn": null, "createdAt": "2024-12-31T18:00:00Z" },
              { "id": "p3", "kind": "orderClass", "title": "Draft class", "status": "draft", "startsOn": "2025-09-01" },
              { "id": "p4", "kind": "trainingBase", "title": "Cancelled base", "status": "cancelled", "startsOn": "2025-03-01" },
              { "id": "p5", "kind": "orderClass", "title": "Last year's class", "status": "active", "startsOn": "2024-09-01" }
            ]
            """),
        Funnel = J("""
            { "counts": { "enrolled": 10, "internshipStarted": 8, "internshipCompleted": 7, "offerMade": 6, "offerAccepted": 5, "employed": 5, "retained6Months": 4, "retained12Months": 2, "withdrawn": 1, "employedAfterInternship": 4 },
              "placementRate": 0.5, "internshipToEmploymentConversion": 0.5, "retention6Months": 0.8, "retention12Months": 0.4, "byMonth": [] }
            """),
        DataQuality = [("o1", J("""{ "collegeId": "o1", "issues": 3, "byFlag": { "afterWithdrawn": 1, "employedBeforeEnrolled": 2 }, "recent": [] }"""))],
        Feed = Items("""
            [
              { "kind": "consortiumEstablished", "title": "Established at midnight in Jinan", "published": "2024-12-31T16:00:00Z" },
              { "kind": "memberJoined", "title": "A second before the year in Jinan", "published": "2024-12-31T15:59:59Z" },
              { "kind": "agreementSigned", "title": "Signed", "published": "2025-11-14T02:00:00Z" }
            ]
            """),
        CouncilSessions = Items("""[ { "number": 1, "startsOn": "2025-11-14", "endsOn": "2030-11-13", "designations": [ {}, {} ] }, { "number": 0, "startsOn": "2019-01-01", "endsOn": "2024-12-31", "designations": [] } ]"""),
        Charters = Items("""[ { "version": 1, "approvedOn": "2025-11-14", "approvedBySession": 1 } ]"""),
    };

    [Fact]
    public void The_year_runs_from_midnight_to_midnight_in_Asia_Shanghai_when_the_consortium_names_no_time_zone()
    {
        var report = AnnualReportFigures.Compute(Answers(), 2025, GeneratedAt);

        Assert.Equal("Asia/Shanghai", report.TimeZone);
        Assert.Equal(new DateOnly(2025, 1, 1), report.From);
        Assert.Equal(new DateOnly(2025, 12, 31), report.To);
        // 17:00 UTC on 31 December is 01:00 on 1 January in Shanghai: this year's. 16:30 UTC on 31 December 2025 is next year's.
        Assert.Equal(["e1", "e5"], report.Meetings.Select(m => m.EventId));
        Assert.Equal(new DateOnly(2025, 1, 1), report.Meetings[0].On);
        Assert.Equal([new KindCount("foundingMeeting", 1), new KindCount("skillsCompetition", 1)], report.MeetingsByKind);
        Assert.Equal(["Established at midnight in Jinan", "Signed"], report.Timeline.Select(t => t.Title));
        // Programs launched by their start date, else the local day they were created; drafts and cancelled ones left out.
        Assert.Equal(["p2", "p1"], report.ProgramsLaunched.Select(p => p.Id));
        Assert.Equal([new KindCount("apprenticeship", 1), new KindCount("orderClass", 1)], report.ProgramsByKind);
        Assert.Equal(["a1"], report.Agreements.Select(a => a.Id));
        Assert.Equal(["Shandong Labor College", "Beichen"], report.Agreements[0].Parties);
        Assert.Equal(["u1"], report.BasesUnveiled.Select(u => u.Id));
        Assert.Equal([1], report.CouncilSessions.Select(s => s.Number));
        Assert.Equal(2, report.CouncilSessions[0].Designations);
        Assert.Equal([1], report.Charters.Select(c => c.Version));
    }

    [Fact]
    public void The_consortiums_own_time_zone_moves_the_boundaries()
    {
        var report = AnnualReportFigures.Compute(Answers("UTC"), 2025, GeneratedAt);

        Assert.Equal("UTC", report.TimeZone);
        Assert.Equal(["e2", "e5"], report.Meetings.Select(m => m.EventId).Order());
        Assert.Equal(["Signed"], report.Timeline.Select(t => t.Title));
        Assert.Equal(["p1"], report.ProgramsLaunched.Select(p => p.Id));
        // A zone this machine does not know: Asia/Shanghai, as when none is named.
        Assert.Equal("Asia/Shanghai", AnnualReportFigures.Compute(Answers("Mars/Olympus_Mons"), 2025, GeneratedAt).TimeZone);
    }

    [Fact]
    public void Members_count_the_active_ones_by_kind_and_council_role_and_the_funnel_keeps_the_pipelines_rates()
    {
        var report = AnnualReportFigures.Compute(Answers(), 2025, GeneratedAt);

        Assert.Equal(3, report.Members.Active);
        Assert.Equal([new KindCount("enterprise", 2), new KindCount("vocationalCollege", 1)], report.Members.ByKind);
        Assert.Equal([new KindCount("chair", 1), new KindCount("viceChair", 1)], report.Members.ByCouncilRole);
        Assert.Equal(["Shandong Labor College", "Beichen"], report.Members.Council.Select(m => m.Name));
        Assert.Equal("山东劳动职业技术学院", report.Members.Council[0].NameZh);

        var funnel = Assert.IsType<ReportedFunnel>(report.Funnel);
        Assert.Equal(AnnualReportFigures.FunnelStages, funnel.Stages.Select(s => s.Kind));
        Assert.Equal([10, 8, 7, 6, 5, 5, 4, 2, 1], funnel.Stages.Select(s => s.Count));
        Assert.Equal(0.5, funnel.PlacementRate);
        Assert.Equal(0.8, funnel.Retention6Months);
        Assert.Equal(0.4, funnel.Retention12Months);

        var quality = Assert.Single(report.DataQuality);
        Assert.Equal(("Shandong Labor College", 3), (quality.Name, quality.Issues));
        Assert.Equal([new KindCount("afterWithdrawn", 1), new KindCount("employedBeforeEnrolled", 2)], quality.ByFlag);

        var competition = Assert.Single(report.Competitions);
        Assert.Equal([1, 2], competition.Entrants.Select(e => e.Rank));
        Assert.Equal("First prize", competition.Entrants[0].Award);
    }

    [Fact]
    public void Sources_that_did_not_answer_leave_their_sections_empty_and_are_named()
    {
        var answers = new AnnualReportAnswers { Consortium = J("""{ "id": "c1", "name": "Jinan" }"""), Problems = ["talent-pipeline is unavailable: refused"] };
        var report = AnnualReportFigures.Compute(answers, 2025, GeneratedAt);
        Assert.Null(report.Funnel);
        Assert.Empty(report.ProgramsLaunched);
        Assert.Equal(["talent-pipeline is unavailable: refused"], report.Unavailable);
        var html = AnnualReportHtml.Render(report, new AnnualReportText(CultureInfo.GetCultureInfo("en")));
        Assert.Contains("talent-pipeline is unavailable: refused", html, StringComparison.Ordinal);
    }

    [Fact]
    public void The_page_speaks_english_or_chinese_with_charts_whose_bars_match_the_figures()
    {
        var report = AnnualReportFigures.Compute(Answers(), 2025, GeneratedAt);

        var english = AnnualReportHtml.Render(report, new AnnualReportText(CultureInfo.GetCultureInfo("en")));
        Assert.Contains("<html lang=\"en\">", english, StringComparison.Ordinal);
        Assert.Contains("<h1 data-testid=\"report-consortium\">Jinan Consortium</h1>", english, StringComparison.Ordinal);
        Assert.Contains("Placement funnel", english, StringComparison.Ordinal);
        Assert.Contains("14 November 2025", english, StringComparison.Ordinal);
        Assert.Contains("50.0", english, StringComparison.Ordinal);

        var chinese = AnnualReportHtml.Render(report, new AnnualReportText(CultureInfo.GetCultureInfo("zh-CN")));
        Assert.Contains("<html lang=\"zh-CN\">", chinese, StringComparison.Ordinal);
        Assert.Contains("济南产教联合体", chinese, StringComparison.Ordinal);
        Assert.Contains("山东劳动职业技术学院", chinese, StringComparison.Ordinal);
        Assert.Contains("培养就业漏斗", chinese, StringComparison.Ordinal);
        Assert.Contains("2025年11月14日", chinese, StringComparison.Ordinal);
        Assert.Contains("订单班协议", chinese, StringComparison.Ordinal);
        // Beichen has no Chinese name: its English one stays.
        Assert.Contains("Beichen", chinese, StringComparison.Ordinal);

        int Bars(string html, string chart) => Regex.Matches(Regex.Match(html, $"data-chart=\"{chart}\">(.*?)</svg>", RegexOptions.Singleline).Groups[1].Value, "<rect class=\"bar\"").Count;
        Assert.Equal(report.Members.ByKind.Count, Bars(english, "members-by-kind"));
        Assert.Equal(report.ProgramsByKind.Count, Bars(english, "programs-by-kind"));
        Assert.Equal(AnnualReportFigures.FunnelStages.Length, Bars(english, "funnel"));
        Assert.Equal(report.DataQuality.Count, Bars(english, "data-quality"));
        Assert.Contains("role=\"img\"", english, StringComparison.Ordinal);
        Assert.Contains("<title id=\"chart-funnel-title\">", english, StringComparison.Ordinal);
        Assert.Contains("@media print", english, StringComparison.Ordinal);
        // Self-contained: nothing fetched from anywhere when printed.
        Assert.DoesNotContain("<link", english, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", english, StringComparison.Ordinal);
        Assert.DoesNotContain("url(", english, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_text_key_is_in_both_languages()
    {
        static HashSet<string> Keys(CultureInfo culture) =>
            [.. AnnualReportText.Resources.GetResourceSet(culture, createIfNotExists: true, tryParents: false)!.Cast<System.Collections.DictionaryEntry>().Select(e => (string)e.Key)];
        var english = Keys(CultureInfo.InvariantCulture);
        var chinese = Keys(CultureInfo.GetCultureInfo("zh-CN"));
        Assert.NotEmpty(english);
        Assert.Empty(english.Except(chinese));
        Assert.Empty(chinese.Except(english));
    }
}
