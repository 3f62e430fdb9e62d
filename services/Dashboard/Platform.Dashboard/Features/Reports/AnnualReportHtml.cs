using System.Globalization;
using System.Net;

namespace Platform.Dashboard.Features.Reports;

/// <summary>
/// The annual report as one self-contained, printable HTML page (A4, a page per section): inline CSS, inline SVG
/// charts drawn here on the server (HTML, print and PDF show them without JavaScript), no font or file from anywhere.
/// Every chart is <c>role="img"</c> with a <c>&lt;title&gt;</c>, and its numbers are also in a table below it.
/// </summary>
public static class AnnualReportHtml
{
    public static string Render(AnnualReport report, AnnualReportText text)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(text);
        var chinese = text.Language == "zh-CN";
        string Name(string name, string? nameZh) => chinese && !string.IsNullOrWhiteSpace(nameZh) ? nameZh : name;
        var consortium = Name(report.Consortium.Name, report.Consortium.NameZh);
        var html = new StringBuilder(32 * 1024);
        html.Append("<!DOCTYPE html>\n<html lang=\"").Append(text.Language).Append("\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append("<title>").Append(H(consortium)).Append(" — ").Append(H(text.Format("Report.Title", report.Year))).Append("</title>\n<style>").Append(Css).Append("</style>\n</head>\n<body>\n");

        html.Append("<header class=\"cover\" data-section=\"cover\">\n<h1 data-testid=\"report-consortium\">").Append(H(consortium)).Append("</h1>\n")
            .Append("<p class=\"subtitle\">").Append(H(text.Format("Report.Title", report.Year))).Append("</p>\n")
            .Append("<p>").Append(H(text.Format("Report.Period", report.Year, text.Date(report.From), text.Date(report.To), report.TimeZone))).Append("</p>\n");
        if (report.Consortium.Region is { Length: > 0 } region) html.Append("<p>").Append(H(text.Format("Report.Region", region))).Append("</p>\n");
        if (report.Consortium.EstablishedOn is { } established) html.Append("<p>").Append(H(text.Format("Report.Established", text.Date(established)))).Append("</p>\n");
        var generatedOn = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(report.GeneratedAt, FindZone(report.TimeZone)).DateTime);
        html.Append("<p class=\"note\">").Append(H(text.Format("Report.Generated", text.Date(generatedOn)))).Append("</p>\n");
        if (report.Unavailable.Count > 0)
            html.Append("<p class=\"warning\" role=\"note\">").Append(H(text.Format("Report.Unavailable", string.Join("; ", report.Unavailable)))).Append("</p>\n");
        html.Append("<nav><h2>").Append(H(text["Report.Contents"])).Append("</h2>\n<ol>\n");
        foreach (var (id, key) in Sections) html.Append("<li><a href=\"#").Append(id).Append("\">").Append(H(text[key])).Append("</a></li>\n");
        html.Append("</ol>\n</nav>\n</header>\n");

        // Members by kind and council role.
        Open(html, text, "members");
        html.Append("<p>").Append(H(text.Format("Members.Active", text.Number(report.Members.Active)))).Append("</p>\n");
        Chart(html, text, "members-by-kind", text["Members.ByKind"], report.Members.ByKind.Select(k => (text.Kind("OrganizationKind", k.Kind), k.Kind, (long)k.Count)).ToList());
        CountTable(html, text, report.Members.ByKind, "OrganizationKind");
        html.Append("<h3>").Append(H(text["Members.ByRole"])).Append("</h3>\n");
        CountTable(html, text, report.Members.ByCouncilRole, "CouncilRole");
        if (report.Members.Council.Count > 0)
        {
            html.Append("<h3>").Append(H(text["Members.Council"])).Append("</h3>\n");
            Table(html, [text["Column.Organization"], text["Column.Kind"], text["Column.Role"]],
                report.Members.Council.Select(m => new[] { Name(m.Name, m.NameZh), text.Kind("OrganizationKind", m.Kind), text.Kind("CouncilRole", m.CouncilRole) }));
        }
        if (report.CouncilSessions.Count > 0 || report.Charters.Count > 0)
        {
            html.Append("<h3>").Append(H(text["Members.Sessions"])).Append("</h3>\n<ul>\n");
            foreach (var s in report.CouncilSessions)
                html.Append("<li>").Append(H(text.Format("Members.Session", s.Number, text.Date(s.StartsOn), text.Date(s.EndsOn), text.Number(s.Designations)))).Append("</li>\n");
            foreach (var c in report.Charters)
                html.Append("<li>").Append(H(text.Format("Members.Charter", c.Version, text.Date(c.ApprovedOn)))).Append("</li>\n");
            html.Append("</ul>\n");
        }
        html.Append("<p class=\"note\">").Append(H(text["Members.Note"])).Append("</p>\n</section>\n");

        // Meetings and ceremonies held.
        Open(html, text, "meetings");
        html.Append("<p>").Append(H(text.Format("Meetings.Count", text.Number(report.Meetings.Count)))).Append("</p>\n");
        if (report.Meetings.Count > 0)
        {
            CountTable(html, text, report.MeetingsByKind, "EventKind");
            Table(html, [text["Column.Date"], text["Column.Kind"], text["Column.Title"], text["Column.Venue"]],
                report.Meetings.Select(m => new[] { text.Date(m.On), text.Kind("EventKind", m.Kind), m.Title, m.Venue ?? "" }));
        }
        html.Append("</section>\n");

        // Agreements signed.
        Open(html, text, "agreements");
        html.Append("<p>").Append(H(text.Format("Agreements.Count", text.Number(report.Agreements.Count)))).Append("</p>\n");
        if (report.Agreements.Count > 0)
            Table(html, [text["Column.Date"], text["Column.Kind"], text["Column.Title"], text["Column.Parties"]],
                report.Agreements.Select(a => new[] { text.Date(a.SignedOn), text.Kind("AgreementKind", a.Kind), a.Title, string.Join(chinese ? "、" : "; ", a.Parties) }));
        html.Append("</section>\n");

        // Programs launched.
        Open(html, text, "programs");
        html.Append("<p>").Append(H(text.Format("Programs.Count", text.Number(report.ProgramsLaunched.Count)))).Append("</p>\n");
        if (report.ProgramsLaunched.Count > 0)
        {
            Chart(html, text, "programs-by-kind", text["Programs.ByKind"], report.ProgramsByKind.Select(k => (text.Kind("ProgramKind", k.Kind), k.Kind, (long)k.Count)).ToList());
            CountTable(html, text, report.ProgramsByKind, "ProgramKind");
            Table(html, [text["Column.Date"], text["Column.Kind"], text["Column.Title"], text["Column.Status"]],
                report.ProgramsLaunched.Select(p => new[] { text.Date(p.LaunchedOn), text.Kind("ProgramKind", p.Kind), p.Title, text.Kind("ProgramStatus", p.Status) }));
        }
        html.Append("<p class=\"note\">").Append(H(text["Programs.Note"])).Append("</p>\n</section>\n");

        // Bases unveiled.
        Open(html, text, "bases");
        html.Append("<p>").Append(H(text.Format("Bases.Count", text.Number(report.BasesUnveiled.Count)))).Append("</p>\n");
        if (report.BasesUnveiled.Count > 0)
            Table(html, [text["Column.Date"], text["Column.Kind"], text["Column.Name"], text["Column.Host"], text["Column.State"]],
                report.BasesUnveiled.Select(u => new[] { text.Date(u.UnveiledOn), text.Kind("UnveilingKind", u.Kind), u.Name, u.Host, text.Kind("UnveilingState", u.State) }));
        html.Append("</section>\n");

        // Placement funnel with rates.
        Open(html, text, "funnel");
        if (report.Funnel is { } funnel)
        {
            Chart(html, text, "funnel", text["Funnel.Chart"], funnel.Stages.Select(s => (text.Kind("FunnelStage", s.Kind), s.Kind, (long)s.Count)).ToList());
            Table(html, [text["Column.Stage"], text["Column.Trainees"]], funnel.Stages.Select(s => new[] { text.Kind("FunnelStage", s.Kind), text.Number(s.Count) }), numeric: 1);
            Table(html, [text["Column.Figure"], text["Column.Rate"]],
            [
                [text["Funnel.PlacementRate"], text.Rate(funnel.PlacementRate)],
                [text["Funnel.Conversion"], text.Rate(funnel.InternshipToEmploymentConversion)],
            ], numeric: 1);
            html.Append("<p class=\"note\">").Append(H(text["Funnel.Note"])).Append("</p>\n");
        }
        else html.Append("<p>").Append(H(text["Report.None"])).Append("</p>\n");
        html.Append("</section>\n");

        // 6/12-month retention.
        Open(html, text, "retention");
        if (report.Funnel is { } retention)
        {
            long Stage(string kind) => retention.Stages.FirstOrDefault(s => s.Kind == kind)?.Count ?? 0;
            Table(html, [text["Column.Figure"], text["Column.Trainees"], text["Column.Rate"]],
            [
                [text["Retention.Six"], text.Number(Stage("retained6Months")), text.Rate(retention.Retention6Months)],
                [text["Retention.Twelve"], text.Number(Stage("retained12Months")), text.Rate(retention.Retention12Months)],
            ], numeric: 1);
        }
        else html.Append("<p>").Append(H(text["Report.None"])).Append("</p>\n");
        html.Append("</section>\n");

        // Per-college data quality.
        Open(html, text, "data-quality");
        if (report.DataQuality.Count > 0)
        {
            Chart(html, text, "data-quality", text["Quality.Chart"], report.DataQuality.Select(q => (Name(q.Name, q.NameZh), q.CollegeId, (long)q.Issues)).ToList());
            Table(html, [text["Column.College"], text["Column.Issues"], text["Column.Flags"]],
                report.DataQuality.Select(q => new[] { Name(q.Name, q.NameZh), text.Number(q.Issues), string.Join(chinese ? "；" : "; ", q.ByFlag.Select(f => $"{text.Kind("PlacementFlag", f.Kind)} {text.Number(f.Count)}")) }), numeric: 1);
        }
        else html.Append("<p>").Append(H(text["Report.None"])).Append("</p>\n");
        html.Append("<p class=\"note\">").Append(H(text["Quality.Note"])).Append("</p>\n</section>\n");

        // Competition results.
        Open(html, text, "competitions");
        if (report.Competitions.Count == 0) html.Append("<p>").Append(H(text["Report.None"])).Append("</p>\n");
        foreach (var competition in report.Competitions)
        {
            html.Append("<h3>").Append(H(competition.EventTitle)).Append(" · ").Append(H(text.Date(competition.On))).Append("</h3>\n");
            Table(html, [text["Column.Rank"], text["Column.College"], text["Column.Trainee"], text["Column.Award"]],
                competition.Entrants.Select(e => new[] { text.Number(e.Rank), e.College, e.TraineeRef ?? "", e.Award ?? "" }));
        }
        html.Append("</section>\n");

        // The year's timeline.
        Open(html, text, "timeline");
        if (report.Timeline.Count == 0) html.Append("<p>").Append(H(text["Report.None"])).Append("</p>\n");
        else
        {
            html.Append("<ol class=\"timeline\">\n");
            foreach (var entry in report.Timeline)
                html.Append("<li><time datetime=\"").Append(entry.At.ToString("O", CultureInfo.InvariantCulture)).Append("\">").Append(H(text.Date(entry.On))).Append("</time> <span class=\"kind\">")
                    .Append(H(text.Kind("FeedKind", entry.Kind))).Append("</span> ").Append(H(entry.Title)).Append("</li>\n");
            html.Append("</ol>\n");
        }
        html.Append("</section>\n</body>\n</html>\n");
        return html.ToString();
    }

    private static readonly (string Id, string Key)[] Sections =
    [
        ("members", "Section.Members"), ("meetings", "Section.Meetings"), ("agreements", "Section.Agreements"), ("programs", "Section.Programs"),
        ("bases", "Section.Bases"), ("funnel", "Section.Funnel"), ("retention", "Section.Retention"), ("data-quality", "Section.DataQuality"),
        ("competitions", "Section.Competitions"), ("timeline", "Section.Timeline"),
    ];

    private static void Open(StringBuilder html, AnnualReportText text, string id) =>
        html.Append("<section id=\"").Append(id).Append("\" data-section=\"").Append(id).Append("\">\n<h2>").Append(H(text[Sections.Single(s => s.Id == id).Key])).Append("</h2>\n");

    private static void CountTable(StringBuilder html, AnnualReportText text, IReadOnlyList<KindCount> counts, string group)
    {
        if (counts.Count == 0)
        {
            html.Append("<p>").Append(H(text["Report.None"])).Append("</p>\n");
            return;
        }
        Table(html, [text["Column.Kind"], text["Column.Count"]], counts.Select(c => new[] { text.Kind(group, c.Kind), text.Number(c.Count) }), numeric: 1);
    }

    private static void Table(StringBuilder html, string[] headers, IEnumerable<string[]> rows, int numeric = -1)
    {
        html.Append("<table>\n<thead><tr>");
        foreach (var header in headers) html.Append("<th scope=\"col\">").Append(H(header)).Append("</th>");
        html.Append("</tr></thead>\n<tbody>\n");
        foreach (var row in rows)
        {
            html.Append("<tr>");
            for (var i = 0; i < row.Length; i++) html.Append(i == numeric ? "<td class=\"number\">" : "<td>").Append(H(row[i])).Append("</td>");
            html.Append("</tr>\n");
        }
        html.Append("</tbody>\n</table>\n");
    }

    private const int LabelWidth = 220;
    private const int BarArea = 360;
    private const int RowHeight = 26;

    /// <summary>Horizontal bars, one per item, scaled to the largest; a zero still shows as a hairline so every item is seen.</summary>
    private static void Chart(StringBuilder html, AnnualReportText text, string id, string title, IReadOnlyList<(string Label, string Key, long Value)> items)
    {
        if (items.Count == 0) return;
        var max = Math.Max(1, items.Max(i => i.Value));
        var height = items.Count * RowHeight + 8;
        var width = LabelWidth + BarArea + 70;
        html.Append("<figure class=\"chart\" data-chart=\"").Append(id).Append("\">\n<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-labelledby=\"chart-").Append(id)
            .Append("-title\" viewBox=\"0 0 ").Append(width).Append(' ').Append(height).Append("\" width=\"").Append(width).Append("\" height=\"").Append(height).Append("\">\n<title id=\"chart-")
            .Append(id).Append("-title\">").Append(H(title)).Append(": ").Append(H(string.Join(", ", items.Select(i => $"{i.Label} {text.Number(i.Value)}")))).Append("</title>\n");
        for (var i = 0; i < items.Count; i++)
        {
            var (label, key, value) = items[i];
            var y = 4 + i * RowHeight;
            var barWidth = Math.Max(2.0, BarArea * (double)value / max);
            html.Append("<text x=\"").Append(LabelWidth - 8).Append("\" y=\"").Append(y + 17).Append("\" text-anchor=\"end\">").Append(H(Shorten(label))).Append("</text>")
                .Append("<rect class=\"bar\" x=\"").Append(LabelWidth).Append("\" y=\"").Append(y + 3).Append("\" width=\"").Append(barWidth.ToString("0.#", CultureInfo.InvariantCulture))
                .Append("\" height=\"").Append(RowHeight - 8).Append("\" data-label=\"").Append(H(key)).Append("\" data-value=\"").Append(value.ToString(CultureInfo.InvariantCulture)).Append("\"/>")
                .Append("<text x=\"").Append((LabelWidth + barWidth + 6).ToString("0.#", CultureInfo.InvariantCulture)).Append("\" y=\"").Append(y + 17).Append("\">").Append(H(text.Number(value))).Append("</text>\n");
        }
        html.Append("</svg>\n<figcaption>").Append(H(title)).Append("</figcaption>\n</figure>\n");
    }

    private static string Shorten(string label) => label.Length <= 28 ? label : label[..27] + "…";

    private static TimeZoneInfo FindZone(string id) =>
        TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) ? zone : TimeZoneInfo.Utc;

    private static string H(string? value) => WebUtility.HtmlEncode(value ?? "");

    // System fonts only (no network when printed); a page per section on A4.
    private const string Css = """

        :root { color-scheme: light; }
        body { font-family: "Noto Sans CJK SC", "WenQuanYi Zen Hei", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", "DejaVu Sans", Arial, sans-serif; color: #1c2430; margin: 2rem auto; max-width: 60rem; padding: 0 1.5rem; line-height: 1.5; }
        h1 { font-size: 1.9rem; margin: 0 0 .25rem; }
        h2 { font-size: 1.35rem; border-bottom: 2px solid #2b6cb0; padding-bottom: .2rem; margin-top: 2.2rem; }
        h3 { font-size: 1.05rem; margin: 1.2rem 0 .4rem; }
        .subtitle { font-size: 1.25rem; color: #2b6cb0; margin: 0 0 1rem; }
        .note { color: #5a6472; font-size: .85rem; }
        .warning { background: #fff4e5; border-left: 4px solid #dd6b20; padding: .5rem .75rem; }
        table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; font-size: .9rem; }
        th, td { border-bottom: 1px solid #d5dbe3; padding: .3rem .5rem; text-align: left; vertical-align: top; }
        th { background: #eef3f9; }
        td.number { text-align: right; font-variant-numeric: tabular-nums; }
        figure.chart { margin: .5rem 0 1rem; }
        figure.chart svg { max-width: 100%; height: auto; font-size: 13px; }
        figure.chart text { fill: #1c2430; }
        figure.chart rect.bar { fill: #2b6cb0; }
        figcaption { font-size: .85rem; color: #5a6472; }
        ol.timeline { padding-left: 1.2rem; }
        ol.timeline time { font-variant-numeric: tabular-nums; color: #5a6472; margin-right: .4rem; }
        ol.timeline .kind { font-weight: 600; margin-right: .3rem; }
        @page { size: A4; margin: 16mm 14mm; }
        @media print {
          body { margin: 0; max-width: none; padding: 0; font-size: 10.5pt; }
          nav a { color: inherit; text-decoration: none; }
          section { break-before: page; }
          h2, h3 { break-after: avoid; }
          tr, figure.chart { break-inside: avoid; }
          .warning { border: 1px solid #dd6b20; }
          figure.chart rect.bar { fill: #2b6cb0; print-color-adjust: exact; -webkit-print-color-adjust: exact; }
        }

        """;
}
