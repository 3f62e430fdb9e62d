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

    public static FeedStory Tell(object message) => message switch
    {
        ConsortiumEstablished m => Line(m.ConsortiumId, FeedEntryKind.ConsortiumEstablished, $"{m.Name} was established",
            $"{Words(m.Kind)} in {m.Region}{(m.Sectors.Count > 0 ? $", serving {Join(m.Sectors)}" : "")}.", m.OccurredAt, null),
        MembershipActivated m => Line(m.ConsortiumId, FeedEntryKind.MemberJoined, $"{m.OrganizationName} joined the consortium",
            $"{m.OrganizationName} ({Words(m.OrganizationKind)}) is now an active member.", m.OccurredAt, null),
        // Membership keeps its reasons private (the history shows them to the operator and the member only): never told here.
        MembershipSuspended m => Line(m.ConsortiumId, FeedEntryKind.MemberSuspended, $"{m.OrganizationName}'s membership was suspended",
            "The membership is suspended.", m.OccurredAt, null),
        MembershipReinstated m => Line(m.ConsortiumId, FeedEntryKind.MemberReinstated, $"{m.OrganizationName} was reinstated as a member",
            "The membership is active again.", m.OccurredAt, null),
        MembershipWithdrawn m => Line(m.ConsortiumId, FeedEntryKind.MemberLeft, $"{m.OrganizationName} left the consortium",
            "The membership has ended.", m.OccurredAt, null),
        CouncilSessionOpened m => Line(m.ConsortiumId, FeedEntryKind.CouncilSessionOpened, $"The {Ordinal(m.SessionNumber)} council session opened",
            $"Its term runs from {Day(m.StartsOn)} to {Day(m.EndsOn)}.", m.OccurredAt, null),
        CouncilRoleAssigned m => Line(m.ConsortiumId, FeedEntryKind.CouncilRoleDesignated,
            $"{m.OrganizationName} was designated {Words(m.Role)} of the {Ordinal(m.SessionNumber)} council",
            $"{m.OrganizationName} serves as {Words(m.Role)} of the {Ordinal(m.SessionNumber)} council session.", m.OccurredAt, null),
        CouncilRoleRevoked m => Line(m.ConsortiumId, FeedEntryKind.CouncilRoleEnded,
            $"{m.OrganizationName} no longer serves as {Words(m.Role)} of the {Ordinal(m.SessionNumber)} council",
            $"The role ended: {Words(m.Cause)}.", m.OccurredAt, null),
        CharterApproved m => Line(m.ConsortiumId, FeedEntryKind.CharterApproved,
            $"The charter (version {Number(m.Version)}) was approved{(m.ApprovedBySession is { } s ? $" by the {Ordinal(s)} council session" : "")}",
            $"Approved on {Day(m.ApprovedOn)}.{(m.Link is { } link ? $" {link}" : "")}", m.OccurredAt, null),
        ProgramLaunched m => Line(m.ConsortiumId, FeedEntryKind.ProgramLaunched,
            $"{Join([.. m.Colleges.Select(c => c.Name), .. m.Enterprises.Select(e => e.Name)])} launched {Article(Words(m.Kind))} “{m.Title}”",
            $"{Article(Words(m.Kind), capital: true)}{(m.Occupation is { } o ? $" for {o}" : "")}{(m.Seats is { } seats ? $" with {Number(seats)} seats" : "")}.",
            m.OccurredAt, $"{PlatformApi.Prefix}/programs/{m.ProgramId}"),
        // A pause or resumption follows a party's suspension, withdrawal or reinstatement, whose reason is membership's private one.
        ProgramStatusChanged m => Line(m.ConsortiumId, FeedEntryKind.ProgramStatusChanged, $"“{m.Title}” is now {Words(m.To)}",
            Because($"The program went from {Words(m.From)} to {Words(m.To)}", m.From == "paused" || m.To == "paused" ? null : m.Reason),
            m.OccurredAt, $"{PlatformApi.Prefix}/programs/{m.ProgramId}"),
        PlacementRecorded m => new PlacementMilestone(m.ConsortiumId, m.ProgramId, m.ProgramTitle, m.Type, m.OccurredAt),
        ConsortiumEventScheduled m => Line(m.ConsortiumId, FeedEntryKind.EventScheduled, $"{m.Title} was scheduled",
            $"{Article(Words(m.Kind), capital: true)} at {m.Venue}, {m.StartsAt.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} (UTC{m.StartsAt.ToString("zzz", CultureInfo.InvariantCulture)}).",
            m.OccurredAt, $"{PlatformApi.Prefix}/events/{m.EventId}"),
        ConsortiumEventHeld m => Line(m.ConsortiumId, FeedEntryKind.EventHeld, $"{m.Title} was held",
            string.Create(CultureInfo.InvariantCulture, $"{m.Attendees} attendee{(m.Attendees == 1 ? "" : "s")} checked in."), m.OccurredAt, $"{PlatformApi.Prefix}/events/{m.EventId}"),
        ConsortiumEventCancelled m => Line(m.ConsortiumId, FeedEntryKind.EventCancelled, $"{m.Title} was cancelled",
            Because(string.Create(CultureInfo.InvariantCulture, $"{m.RegistrantIds.Count} registrant{(m.RegistrantIds.Count == 1 ? " was" : "s were")} notified"), m.Reason),
            m.OccurredAt, $"{PlatformApi.Prefix}/events/{m.EventId}"),
        AgreementSigned m => Line(m.ConsortiumId, FeedEntryKind.AgreementSigned,
            $"{Join([.. m.Parties.Select(p => p.OrganizationName)])} signed {AgreementWords(m.Kind)}{(m.Occupation is { } o ? $" for {o}" : "")}",
            $"“{m.Title}”, signed on {Day(m.SignedOn)} at {m.EventTitle}.", m.OccurredAt, $"{PlatformApi.Prefix}/events/{m.EventId}"),
        PlaqueUnveiled m => Line(m.ConsortiumId, FeedEntryKind.PlaqueUnveiled, $"{m.HostOrganizationName} unveiled the plaque of {m.Name}",
            $"{Article(Words(m.Kind), capital: true)} at {m.HostOrganizationName}, unveiled on {Day(m.UnveiledOn)}.", m.OccurredAt, $"{PlatformApi.Prefix}/events/{m.EventId}"),
        CompetitionResultsPublished m => Line(m.ConsortiumId, FeedEntryKind.CompetitionResults, $"The results of {m.EventTitle} were published",
            Podium(m.Entrants), m.OccurredAt, $"{PlatformApi.Prefix}/events/{m.EventId}"),
        _ => throw new ArgumentException($"The feed does not tell {message.GetType().Name}.", nameof(message)),
    };

    private static FeedLine Line(Guid consortiumId, FeedEntryKind kind, string title, string content, DateTimeOffset at, string? link) =>
        new(consortiumId, kind, title, content, at, link);

    /// <summary>The top five by college and award. Trainee refs never appear: a college's pseudonym is still a person's reference.</summary>
    private static string Podium(IReadOnlyList<CompetitionEntrant> entrants)
    {
        var awarded = entrants.Where(e => e.Award is not null).OrderBy(e => e.Rank).ToList();
        var top = (awarded.Count > 0 ? awarded : [.. entrants.OrderBy(e => e.Rank)]).Take(5)
            .Select(e => string.Create(CultureInfo.InvariantCulture, $"{Ordinal(e.Rank)}: {e.CollegeName}{(e.Award is { } a ? $", {a}" : "")}"));
        return string.Create(CultureInfo.InvariantCulture, $"{entrants.Count} entrants ranked. ") + string.Join("; ", top) + ".";
    }

    private static string AgreementWords(string kind) => kind switch
    {
        "strategicCooperation" => "a strategic cooperation agreement",
        "frameworkAgreement" => "a framework agreement",
        "orderClass" => "an order-class agreement",
        "trainingCooperation" => "a training cooperation agreement",
        "productionPractice" => "a production practice agreement",
        _ => "an agreement",
    };

    private static string Because(string what, string? reason) => reason is { Length: > 0 } ? $"{what}: {reason}" : $"{what}.";

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

    private static string Article(string words, bool capital = false)
    {
        var article = words.Length > 0 && "aeiou".Contains(words[0], StringComparison.Ordinal) ? "an" : "a";
        return (capital ? char.ToUpperInvariant(article[0]) + article[1..] : article) + " " + words;
    }

    private static string Join(IReadOnlyList<string> names) => names.Count switch
    {
        0 => "",
        1 => names[0],
        _ => string.Join(", ", names.Take(names.Count - 1)) + " and " + names[^1],
    };

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Number(int n) => n.ToString(CultureInfo.InvariantCulture);

    private static string Ordinal(int n)
    {
        var suffix = (n % 100) is 11 or 12 or 13 ? "th" : (n % 10) switch { 1 => "st", 2 => "nd", 3 => "rd", _ => "th" };
        return Number(n) + suffix;
    }
}
