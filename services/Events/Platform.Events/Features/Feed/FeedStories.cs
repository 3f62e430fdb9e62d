namespace Platform.Events.Features.Feed;

/// <summary>
/// Turns every service's integration events into feed stories, in readable sentences. Only the message's own
/// content is used, so the same message always tells the same story (the feed can be rebuilt).
/// </summary>
public static class FeedStories
{
    /// <summary>The contracts the feed is built from, by type name (how sources are kept for a rebuild).</summary>
    public static IReadOnlyDictionary<string, Type> Sources { get; } = new[]
    {
        typeof(ConsortiumEstablished), typeof(MembershipActivated), typeof(MembershipSuspended), typeof(MembershipReinstated),
        typeof(MembershipWithdrawn), typeof(CouncilSessionOpened), typeof(CouncilRoleAssigned), typeof(CouncilRoleRevoked),
        typeof(CharterApproved), typeof(ProgramLaunched), typeof(ProgramStatusChanged), typeof(PlacementRecorded),
        typeof(ConsortiumEventScheduled), typeof(ConsortiumEventHeld), typeof(ConsortiumEventCancelled),
        typeof(AgreementSigned), typeof(PlaqueUnveiled), typeof(CompetitionResultsPublished),
    }.ToDictionary(t => t.Name, StringComparer.Ordinal);

    /// <summary>The message's story, told in English and in Chinese (a placement is counted, not told, here).</summary>
    public static FeedStory Tell(object message)
    {
        if (message is PlacementRecorded p) return new PlacementMilestone(p.ConsortiumId, p.ProgramId, p.ProgramTitle, p.Type, p.OccurredAt);
        var english = Tell(message, FeedText.English);
        return english with { Chinese = Tell(message, FeedText.Chinese).English };
    }

    /// <summary>The title and content of one program's placement milestones on one day, in English and in Chinese.</summary>
    public static (Told English, Told Chinese) PlacementDay(string programTitle, DateOnly day, IReadOnlyDictionary<string, int> tally) =>
        (PlacementDay(programTitle, day, tally, FeedText.English), PlacementDay(programTitle, day, tally, FeedText.Chinese));

    // Told in one language (both Told of the line carry it; Tell(object) pairs the two languages).
    private static FeedLine Tell(object message, FeedText t) => message switch
    {
        ConsortiumEstablished m => Line(m.ConsortiumId, FeedEntryKind.ConsortiumEstablished, t.Format("Established.Title", Name(t, m.Name, m.NameZh)),
            m.Sectors.Count > 0
                ? t.Format("Established.ContentServing", t.Word("ConsortiumKind", m.Kind), m.Region, t.Join(m.Sectors))
                : t.Format("Established.Content", t.Word("ConsortiumKind", m.Kind), m.Region), m.OccurredAt, null),
        MembershipActivated m => Line(m.ConsortiumId, FeedEntryKind.MemberJoined, t.Format("Joined.Title", Name(t, m.OrganizationName, m.OrganizationNameZh)),
            t.Format("Joined.Content", Name(t, m.OrganizationName, m.OrganizationNameZh), t.Word("OrganizationKind", m.OrganizationKind)), m.OccurredAt, null),
        // Membership keeps its reasons private (the history shows them to the operator and the member only): never told here.
        MembershipSuspended m => Line(m.ConsortiumId, FeedEntryKind.MemberSuspended, t.Format("Suspended.Title", Name(t, m.OrganizationName, m.OrganizationNameZh)),
            t["Suspended.Content"], m.OccurredAt, null),
        MembershipReinstated m => Line(m.ConsortiumId, FeedEntryKind.MemberReinstated, t.Format("Reinstated.Title", Name(t, m.OrganizationName, m.OrganizationNameZh)),
            t["Reinstated.Content"], m.OccurredAt, null),
        MembershipWithdrawn m => Line(m.ConsortiumId, FeedEntryKind.MemberLeft, t.Format("Left.Title", Name(t, m.OrganizationName, m.OrganizationNameZh)),
            t["Left.Content"], m.OccurredAt, null),
        CouncilSessionOpened m => Line(m.ConsortiumId, FeedEntryKind.CouncilSessionOpened, t.Format("Session.Title", t.Ordinal(m.SessionNumber)),
            t.Format("Session.Content", t.Day(m.StartsOn), t.Day(m.EndsOn)), m.OccurredAt, null),
        CouncilRoleAssigned m => Line(m.ConsortiumId, FeedEntryKind.CouncilRoleDesignated,
            t.Format("Designated.Title", Name(t, m.OrganizationName, m.OrganizationNameZh), t.Word("CouncilRole", m.Role), t.Ordinal(m.SessionNumber)),
            t.Format("Designated.Content", Name(t, m.OrganizationName, m.OrganizationNameZh), t.Word("CouncilRole", m.Role), t.Ordinal(m.SessionNumber)), m.OccurredAt, null),
        CouncilRoleRevoked m => Line(m.ConsortiumId, FeedEntryKind.CouncilRoleEnded,
            t.Format("RoleEnded.Title", Name(t, m.OrganizationName, m.OrganizationNameZh), t.Word("CouncilRole", m.Role), t.Ordinal(m.SessionNumber)),
            t.Format("RoleEnded.Content", t.Word("RoleEndCause", m.Cause)), m.OccurredAt, null),
        CharterApproved m => Line(m.ConsortiumId, FeedEntryKind.CharterApproved,
            m.ApprovedBySession is { } s ? t.Format("Charter.TitleBySession", t.Number(m.Version), t.Ordinal(s)) : t.Format("Charter.Title", t.Number(m.Version)),
            t.Format("Charter.Content", t.Day(m.ApprovedOn)) + (m.Link is { } link ? $" {link}" : ""), m.OccurredAt, null),
        ProgramLaunched m => Line(m.ConsortiumId, FeedEntryKind.ProgramLaunched,
            t.Format("Program.Title", t.Join([.. m.Colleges.Select(c => Name(t, c.Name, c.NameZh)), .. m.Enterprises.Select(e => Name(t, e.Name, e.NameZh))]),
                t.Article(t.Word("ProgramKind", m.Kind)), m.Title),
            t.Format("Program.Content", t.Article(t.Word("ProgramKind", m.Kind), capital: true),
                m.Occupation is { } o ? t.Format("Program.For", o) : "", m.Seats is { } seats ? t.Format("Program.Seats", t.Number(seats)) : ""),
            m.OccurredAt, $"{PlatformApi.Prefix}/programs/{m.ProgramId}"),
        // A pause or resumption follows a party's suspension, withdrawal or reinstatement, whose reason is membership's private one.
        ProgramStatusChanged m => Line(m.ConsortiumId, FeedEntryKind.ProgramStatusChanged, t.Format("ProgramStatus.Title", m.Title, t.Word("ProgramStatus", m.To)),
            Because(t, t.Format("ProgramStatus.Content", t.Word("ProgramStatus", m.From), t.Word("ProgramStatus", m.To)), m.From == "paused" || m.To == "paused" ? null : m.Reason),
            m.OccurredAt, $"{PlatformApi.Prefix}/programs/{m.ProgramId}"),
        ConsortiumEventScheduled m => Line(m.ConsortiumId, FeedEntryKind.EventScheduled, t.Format("Scheduled.Title", m.Title),
            t.Format("Scheduled.Content", t.Article(t.Word("EventKind", m.Kind), capital: true), m.Venue, t.Minute(m.StartsAt),
                m.StartsAt.ToString("zzz", CultureInfo.InvariantCulture)),
            m.OccurredAt, $"{PlatformApi.Prefix}/events/{m.EventId}"),
        ConsortiumEventHeld m => Line(m.ConsortiumId, FeedEntryKind.EventHeld, t.Format("Held.Title", m.Title),
            t.Count("Held.Content", m.Attendees), m.OccurredAt, $"{PlatformApi.Prefix}/events/{m.EventId}"),
        ConsortiumEventCancelled m => Line(m.ConsortiumId, FeedEntryKind.EventCancelled, t.Format("Cancelled.Title", m.Title),
            Because(t, t.Count("Cancelled.Notified", m.RegistrantIds.Count), m.Reason), m.OccurredAt, $"{PlatformApi.Prefix}/events/{m.EventId}"),
        AgreementSigned m => Line(m.ConsortiumId, FeedEntryKind.AgreementSigned,
            m.Occupation is { } o
                ? t.Format("Agreement.TitleFor", t.Join([.. m.Parties.Select(p => Name(t, p.OrganizationName, p.OrganizationNameZh))]), Agreement(t, m.Kind), o)
                : t.Format("Agreement.Title", t.Join([.. m.Parties.Select(p => Name(t, p.OrganizationName, p.OrganizationNameZh))]), Agreement(t, m.Kind)),
            t.Format("Agreement.Content", m.Title, t.Day(m.SignedOn), m.EventTitle), m.OccurredAt, $"{PlatformApi.Prefix}/events/{m.EventId}"),
        PlaqueUnveiled m => Line(m.ConsortiumId, FeedEntryKind.PlaqueUnveiled, t.Format("Plaque.Title", Name(t, m.HostOrganizationName, m.HostOrganizationNameZh), m.Name),
            t.Format("Plaque.Content", t.Article(t.Word("PlaqueKind", m.Kind), capital: true), Name(t, m.HostOrganizationName, m.HostOrganizationNameZh), t.Day(m.UnveiledOn)),
            m.OccurredAt, $"{PlatformApi.Prefix}/events/{m.EventId}"),
        CompetitionResultsPublished m => Line(m.ConsortiumId, FeedEntryKind.CompetitionResults, t.Format("Results.Title", m.EventTitle),
            Podium(t, m.Entrants), m.OccurredAt, $"{PlatformApi.Prefix}/events/{m.EventId}"),
        _ => throw new ArgumentException($"The feed does not tell {message.GetType().Name}.", nameof(message)),
    };

    /// <summary>
    /// The one place a name is picked for the language: the Chinese name the message carries (<c>OrganizationNameZh</c>…)
    /// for a Chinese reader, else the English one (older messages, organizations without one).
    /// </summary>
    private static string Name(FeedText t, string name, string? nameZh) => t.Name(name, nameZh);

    private static FeedLine Line(Guid consortiumId, FeedEntryKind kind, string title, string content, DateTimeOffset at, string? link)
    {
        var told = new Told(title, content);
        return new FeedLine(consortiumId, kind, told, told, at, link);
    }

    // An unknown kind reads as the "other" agreement rather than a camelCase word.
    private static string Agreement(FeedText t, string kind) =>
        t.Word("AgreementKind", kind) is var words && words != Words(kind) ? words : t["AgreementKind.other"];

    /// <summary>The top five by college and award. Trainee refs never appear: a college's pseudonym is still a person's reference.</summary>
    private static string Podium(FeedText t, IReadOnlyList<CompetitionEntrant> entrants)
    {
        var awarded = entrants.Where(e => e.Award is not null).OrderBy(e => e.Rank).ToList();
        var top = (awarded.Count > 0 ? awarded : [.. entrants.OrderBy(e => e.Rank)]).Take(5)
            .Select(e => e.Award is { } a ? t.Format("Results.PlaceAward", t.Ordinal(e.Rank), Name(t, e.CollegeName, e.CollegeNameZh), a) : t.Format("Results.Place", t.Ordinal(e.Rank), Name(t, e.CollegeName, e.CollegeNameZh)));
        return t.Format("Results.Content", t.Number(entrants.Count), string.Join(t["Results.Separator"], top));
    }

    private static readonly string[] Stages =
        ["enrolled", "internshipStarted", "internshipCompleted", "offerMade", "offerAccepted", "employed", "retained6Months", "retained12Months", "withdrawn"];

    private static Told PlacementDay(string programTitle, DateOnly day, IReadOnlyDictionary<string, int> tally, FeedText t)
    {
        var total = tally.Values.Sum();
        var stage = (string type) => Array.IndexOf(Stages, type) is var i and >= 0 ? i : Stages.Length;
        var milestones = tally.OrderBy(c => stage(c.Key)).ThenBy(c => c.Key, StringComparer.Ordinal)
            .Select(c => Stages.Contains(c.Key) ? t.Count($"Milestone.{c.Key}", c.Value) : t.Count("Milestone.unknown", c.Value, c.Key));
        return new Told(t.Count("Placements.Title", total, programTitle, t.Day(day)),
            t.Format("Sentence.End", string.Join(t["Placements.Separator"], milestones)));
    }

    private static string Because(FeedText t, string what, string? reason) => reason is { Length: > 0 } ? t.Format("Because.Reason", what, reason) : t.Format("Sentence.End", what);

    /// <summary>A camelCase API word in plain words: <c>teacherPracticeCenter</c> → "teacher practice center".</summary>
    internal static string Words(string camel)
    {
        var builder = new System.Text.StringBuilder(camel.Length + 8);
        foreach (var c in camel)
        {
            if (char.IsUpper(c) && builder.Length > 0) builder.Append(' ');
            builder.Append(char.ToLowerInvariant(c));
        }
        // "6 months" reads better than "6months".
        return System.Text.RegularExpressions.Regex.Replace(builder.ToString(), @"(\D)(\d)", "$1 $2");
    }
}
