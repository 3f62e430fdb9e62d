using System.Globalization;

namespace Platform.Dashboard.Features.Reports;

/// <summary>
/// A consortium's annual quality report: the year's figures, computed from the services' public API answers by
/// <see cref="AnnualReportFigures"/>. Kinds and roles are the APIs' camelCase names; the renderers translate them.
/// Plain records without HTTP or text: the JSON answer, and what the HTML and PDF are drawn from.
/// </summary>
public sealed record AnnualReport
{
    public required ReportedConsortium Consortium { get; init; }
    public required int Year { get; init; }
    /// <summary>The IANA time zone the year's boundaries are taken in (the consortium's, else Asia/Shanghai).</summary>
    public required string TimeZone { get; init; }
    /// <summary>First and last day of the year, both included, in <see cref="TimeZone"/>.</summary>
    public required DateOnly From { get; init; }
    public required DateOnly To { get; init; }
    public required DateTimeOffset GeneratedAt { get; init; }
    public required ReportedMembers Members { get; init; }
    public required IReadOnlyList<ReportedMeeting> Meetings { get; init; }
    public required IReadOnlyList<KindCount> MeetingsByKind { get; init; }
    public required IReadOnlyList<ReportedCouncilSession> CouncilSessions { get; init; }
    public required IReadOnlyList<ReportedCharter> Charters { get; init; }
    public required IReadOnlyList<ReportedAgreement> Agreements { get; init; }
    public required IReadOnlyList<ReportedProgram> ProgramsLaunched { get; init; }
    public required IReadOnlyList<KindCount> ProgramsByKind { get; init; }
    public required IReadOnlyList<ReportedUnveiling> BasesUnveiled { get; init; }
    public required ReportedFunnel? Funnel { get; init; }
    public required IReadOnlyList<CollegeDataQuality> DataQuality { get; init; }
    public required IReadOnlyList<ReportedCompetition> Competitions { get; init; }
    public required IReadOnlyList<TimelineEntry> Timeline { get; init; }
    /// <summary>Sources that could not be read (the report says so instead of showing zeros as facts).</summary>
    public required IReadOnlyList<string> Unavailable { get; init; }
}

public sealed record ReportedConsortium(string Id, string Name, string? NameZh, string? Region, DateOnly? EstablishedOn);

public sealed record KindCount(string Kind, int Count);

/// <summary>Members active when the report was made (membership keeps no history of kinds and roles per year).</summary>
public sealed record ReportedMembers(int Active, IReadOnlyList<KindCount> ByKind, IReadOnlyList<KindCount> ByCouncilRole, IReadOnlyList<ReportedMember> Council);

public sealed record ReportedMember(string OrganizationId, string Name, string? NameZh, string Kind, string? CouncilRole);

public sealed record ReportedMeeting(string EventId, string Kind, string Title, DateOnly On, string? Venue);

public sealed record ReportedCouncilSession(int Number, DateOnly StartsOn, DateOnly EndsOn, int Designations);

public sealed record ReportedCharter(int Version, DateOnly ApprovedOn, int? ApprovedBySession);

public sealed record ReportedAgreement(string Id, string Kind, string Title, DateOnly SignedOn, IReadOnlyList<string> Parties, string? EventTitle);

public sealed record ReportedProgram(string Id, string Kind, string Title, string Status, DateOnly LaunchedOn);

public sealed record ReportedUnveiling(string Id, string Kind, string Name, string Host, DateOnly UnveiledOn, string State);

/// <summary>The talent-pipeline's own funnel for the year (<c>/kpis/funnel?from=&amp;to=</c>), as it answered.</summary>
public sealed record ReportedFunnel(IReadOnlyList<KindCount> Stages, double? PlacementRate, double? InternshipToEmploymentConversion, double? Retention6Months, double? Retention12Months);

/// <summary>Placement data-quality issues of one member college (talent-pipeline keeps them for all time, not per year).</summary>
public sealed record CollegeDataQuality(string CollegeId, string Name, string? NameZh, int Issues, IReadOnlyList<KindCount> ByFlag);

public sealed record ReportedCompetition(string EventId, string EventTitle, DateOnly On, IReadOnlyList<ReportedEntrant> Entrants);

public sealed record ReportedEntrant(int Rank, string College, string? TraineeRef, string? Award);

public sealed record TimelineEntry(DateTimeOffset At, DateOnly On, string Kind, string Title);

/// <summary>What the services answered, as JSON (null: that source could not be read).</summary>
public sealed record AnnualReportAnswers
{
    public required JsonElement Consortium { get; init; }
    public IReadOnlyList<JsonElement>? Memberships { get; init; }
    public IReadOnlyList<JsonElement>? CouncilSessions { get; init; }
    public IReadOnlyList<JsonElement>? Charters { get; init; }
    public IReadOnlyList<JsonElement>? Events { get; init; }
    public IReadOnlyList<JsonElement>? Agreements { get; init; }
    public IReadOnlyList<JsonElement>? Programs { get; init; }
    public JsonElement? Funnel { get; init; }
    /// <summary>Per member college: its id and the <c>/data-quality?collegeId=</c> answer.</summary>
    public IReadOnlyList<(string CollegeId, JsonElement Answer)>? DataQuality { get; init; }
    public IReadOnlyList<JsonElement>? Feed { get; init; }
    public IReadOnlyList<string> Problems { get; init; } = [];
}

/// <summary>
/// Computes the year's figures from the API answers: year boundaries in the consortium's time zone (Asia/Shanghai when
/// it names none or one this machine does not know), events by the local date they started, dated outcomes by their date.
/// </summary>
public static class AnnualReportFigures
{
    public const string DefaultTimeZone = "Asia/Shanghai";

    public static readonly string[] CollegeKinds = ["technicianCollege", "vocationalCollege", "university"];

    // Meetings and ceremonies: every event kind but the job fair and the training session, which are services, not governance.
    private static readonly string[] MeetingKinds = ["foundingMeeting", "councilMeeting", "symposium", "signingCeremony", "unveilingCeremony", "skillsCompetition", "siteVisit"];

    // A program counts as launched once it left draft; cancelled ones may never have run, so they are left out.
    private static readonly string[] LaunchedStatuses = ["active", "paused", "completed"];

    public static readonly string[] FunnelStages = ["enrolled", "internshipStarted", "internshipCompleted", "offerMade", "offerAccepted", "employed", "retained6Months", "retained12Months", "withdrawn"];

    public static TimeZoneInfo TimeZoneOf(JsonElement consortium)
    {
        var id = Str(consortium, "timeZone");
        if (!string.IsNullOrWhiteSpace(id) && TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone)) return zone;
        return TimeZoneInfo.FindSystemTimeZoneById(DefaultTimeZone);
    }

    public static AnnualReport Compute(AnnualReportAnswers answers, int year, DateTimeOffset generatedAt)
    {
        ArgumentNullException.ThrowIfNull(answers);
        var zone = TimeZoneOf(answers.Consortium);
        var from = new DateOnly(year, 1, 1);
        var to = new DateOnly(year, 12, 31);
        bool InYear(DateOnly? day) => day is { } d && d >= from && d <= to;
        DateOnly Local(DateTimeOffset at) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(at, zone).DateTime);

        var memberships = answers.Memberships ?? [];
        var active = memberships.Where(m => Str(m, "status") == "active").ToList();
        var members = new ReportedMembers(
            active.Count,
            Counted(active.Select(m => Str(m, "organizationKind") ?? "other")),
            Counted(active.Select(m => Str(m, "councilRole")).OfType<string>()),
            active.Where(m => Str(m, "councilRole") is not null)
                .Select(m => new ReportedMember(Str(m, "organizationId") ?? "", Str(m, "organizationName") ?? "", Str(m, "organizationNameZh") ?? Str(m, "nameZh"), Str(m, "organizationKind") ?? "", Str(m, "councilRole")))
                .OrderBy(m => Array.IndexOf(CouncilRoles, m.CouncilRole)).ThenBy(m => m.Name, StringComparer.Ordinal).ToList());

        var events = (answers.Events ?? []).Select(e => (Json: e, StartsAt: Instant(e, "startsAt"))).Where(e => e.StartsAt is not null).ToList();
        var heldInYear = events.Where(e => Str(e.Json, "status") == "held" && InYear(Local(e.StartsAt!.Value))).OrderBy(e => e.StartsAt).ToList();
        var meetings = heldInYear.Where(e => MeetingKinds.Contains(Str(e.Json, "kind")))
            .Select(e => new ReportedMeeting(Str(e.Json, "id") ?? "", Str(e.Json, "kind") ?? "", Str(e.Json, "title") ?? "", Local(e.StartsAt!.Value), Str(e.Json, "venue"))).ToList();

        var sessions = (answers.CouncilSessions ?? [])
            .Select(s => new ReportedCouncilSession(Int(s, "number") ?? 0, Date(s, "startsOn") ?? default, Date(s, "endsOn") ?? default,
                s.TryGetProperty("designations", out var d) && d.ValueKind == JsonValueKind.Array ? d.GetArrayLength() : 0))
            .Where(s => s.StartsOn <= to && s.EndsOn >= from).OrderBy(s => s.Number).ToList();
        var charters = (answers.Charters ?? []).Select(c => new ReportedCharter(Int(c, "version") ?? 0, Date(c, "approvedOn") ?? default, Int(c, "approvedBySession")))
            .Where(c => InYear(c.ApprovedOn)).OrderBy(c => c.ApprovedOn).ToList();

        var agreements = (answers.Agreements ?? []).Where(a => InYear(Date(a, "signedOn")))
            .Select(a => new ReportedAgreement(Str(a, "id") ?? "", Str(a, "kind") ?? "other", Str(a, "title") ?? "", Date(a, "signedOn")!.Value,
                Items(a, "parties").Select(p => Str(p, "name") ?? Str(p, "organizationId") ?? "").ToList(), Str(a, "eventTitle")))
            .OrderBy(a => a.SignedOn).ThenBy(a => a.Title, StringComparer.Ordinal).ToList();

        var programs = (answers.Programs ?? []).Where(p => LaunchedStatuses.Contains(Str(p, "status")))
            .Select(p => (Json: p, On: Date(p, "startsOn") ?? (Instant(p, "createdAt") is { } created ? Local(created) : (DateOnly?)null)))
            .Where(p => InYear(p.On))
            .Select(p => new ReportedProgram(Str(p.Json, "id") ?? "", Str(p.Json, "kind") ?? "", Str(p.Json, "title") ?? "", Str(p.Json, "status") ?? "", p.On!.Value))
            .OrderBy(p => p.LaunchedOn).ThenBy(p => p.Title, StringComparer.Ordinal).ToList();

        var outcomes = events.Select(e => e.Json.TryGetProperty("outcomes", out var o) && o.ValueKind == JsonValueKind.Object ? o : default).Where(o => o.ValueKind == JsonValueKind.Object).ToList();
        var unveilings = outcomes.SelectMany(o => Items(o, "unveilings"))
            .Where(u => Str(u, "state") != "rejected" && InYear(Date(u, "unveiledOn")))
            .Select(u => new ReportedUnveiling(Str(u, "id") ?? "", Str(u, "kind") ?? "other", Str(u, "name") ?? "", Str(u, "hostOrganizationName") ?? "", Date(u, "unveiledOn")!.Value, Str(u, "state") ?? ""))
            .OrderBy(u => u.UnveiledOn).ThenBy(u => u.Name, StringComparer.Ordinal).ToList();

        var competitions = heldInYear
            .Select(e => (Event: e, Results: e.Json.TryGetProperty("outcomes", out var o) && o.ValueKind == JsonValueKind.Object ? OneOrMany(o, "competitionResults") : []))
            .Where(e => e.Results.Count > 0)
            .Select(e => new ReportedCompetition(Str(e.Event.Json, "id") ?? "", Str(e.Event.Json, "title") ?? "", Local(e.Event.StartsAt!.Value),
                e.Results.SelectMany(r => Items(r, "entrants"))
                    .Select(x => new ReportedEntrant(Int(x, "rank") ?? 0, Str(x, "collegeName") ?? "", Str(x, "traineeRef"), Str(x, "award")))
                    .OrderBy(x => x.Rank).ToList()))
            .ToList();

        var names = memberships.GroupBy(m => Str(m, "organizationId") ?? "").ToDictionary(g => g.Key, g => g.First());
        var quality = (answers.DataQuality ?? [])
            .Select(q => new CollegeDataQuality(q.CollegeId,
                names.TryGetValue(q.CollegeId, out var m) ? Str(m, "organizationName") ?? q.CollegeId : q.CollegeId,
                names.TryGetValue(q.CollegeId, out var mz) ? Str(mz, "organizationNameZh") ?? Str(mz, "nameZh") : null,
                Int(q.Answer, "issues") ?? 0,
                q.Answer.TryGetProperty("byFlag", out var flags) && flags.ValueKind == JsonValueKind.Object
                    ? flags.EnumerateObject().Select(f => new KindCount(f.Name, f.Value.TryGetInt32(out var n) ? n : 0)).ToList()
                    : []))
            .OrderByDescending(q => q.Issues).ThenBy(q => q.Name, StringComparer.Ordinal).ToList();

        var timeline = (answers.Feed ?? []).Select(f => (Json: f, At: Instant(f, "published")))
            .Where(f => f.At is { } at && InYear(Local(at)))
            .Select(f => new TimelineEntry(f.At!.Value, Local(f.At.Value), Str(f.Json, "kind") ?? "", Str(f.Json, "title") ?? ""))
            .OrderBy(t => t.At).ToList();

        return new AnnualReport
        {
            Consortium = new ReportedConsortium(Str(answers.Consortium, "id") ?? "", Str(answers.Consortium, "name") ?? "", Str(answers.Consortium, "nameZh"),
                Str(answers.Consortium, "region"), Date(answers.Consortium, "establishedOn")),
            Year = year,
            TimeZone = zone.Id,
            From = from,
            To = to,
            GeneratedAt = generatedAt,
            Members = members,
            Meetings = meetings,
            MeetingsByKind = Counted(meetings.Select(m => m.Kind)),
            CouncilSessions = sessions,
            Charters = charters,
            Agreements = agreements,
            ProgramsLaunched = programs,
            ProgramsByKind = Counted(programs.Select(p => p.Kind)),
            BasesUnveiled = unveilings,
            Funnel = answers.Funnel is { ValueKind: JsonValueKind.Object } funnel ? Funnel(funnel) : null,
            DataQuality = quality,
            Competitions = competitions,
            Timeline = timeline,
            Unavailable = answers.Problems,
        };
    }

    private static readonly string[] CouncilRoles = ["chair", "viceChair", "secretaryGeneral", "councilMember"];

    private static ReportedFunnel Funnel(JsonElement funnel)
    {
        var counts = funnel.TryGetProperty("counts", out var c) && c.ValueKind == JsonValueKind.Object ? c : default;
        var stages = FunnelStages.Select(s => new KindCount(s, counts.ValueKind == JsonValueKind.Object ? Int(counts, s) ?? 0 : 0)).ToList();
        return new ReportedFunnel(stages, Number(funnel, "placementRate"), Number(funnel, "internshipToEmploymentConversion"), Number(funnel, "retention6Months"), Number(funnel, "retention12Months"));
    }

    /// <summary>Counts by kind, largest first (ties by name, so the order is stable).</summary>
    private static List<KindCount> Counted(IEnumerable<string> kinds) =>
        kinds.GroupBy(k => k, StringComparer.Ordinal).Select(g => new KindCount(g.Key, g.Count()))
            .OrderByDescending(k => k.Count).ThenBy(k => k.Kind, StringComparer.Ordinal).ToList();

    private static IEnumerable<JsonElement> Items(JsonElement item, string name) =>
        item.ValueKind == JsonValueKind.Object && item.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Array ? value.EnumerateArray() : [];

    /// <summary>An event's competition results: one object (or null) in the events API; a list is read too.</summary>
    private static List<JsonElement> OneOrMany(JsonElement item, string name) =>
        item.TryGetProperty(name, out var value) ? value.ValueKind switch
        {
            JsonValueKind.Object => [value],
            JsonValueKind.Array => [.. value.EnumerateArray()],
            _ => [],
        } : [];

    internal static string? Str(JsonElement item, string name) =>
        item.ValueKind == JsonValueKind.Object && item.TryGetProperty(name, out var value) && value.ValueKind is JsonValueKind.String or JsonValueKind.Number ? value.ToString() : null;

    private static int? Int(JsonElement item, string name) =>
        item.ValueKind == JsonValueKind.Object && item.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var n) ? n : null;

    private static double? Number(JsonElement item, string name) =>
        item.ValueKind == JsonValueKind.Object && item.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetDouble() : null;

    private static DateOnly? Date(JsonElement item, string name) =>
        DateOnly.TryParseExact(Str(item, name), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day) ? day : null;

    private static DateTimeOffset? Instant(JsonElement item, string name) =>
        DateTimeOffset.TryParse(Str(item, name), CultureInfo.InvariantCulture, DateTimeStyles.None, out var at) ? at : null;
}
