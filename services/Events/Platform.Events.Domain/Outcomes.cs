namespace Platform.Events.Domain;

/// <summary>An organization taking part in an outcome, named as the member directory knew it when it was recorded.</summary>
public sealed record NamedOrganization
{
    public required Guid OrganizationId { get; init; }
    public required string Name { get; init; }
    /// <summary>The organization kind in the API's words, e.g. <c>vocationalCollege</c>.</summary>
    public required string Kind { get; init; }
}

/// <summary>An agreement signed at an event; the consortium's agreements register lists them all.</summary>
public sealed class Agreement
{
    private Agreement()
    {
        Title = null!;
    }

    public Agreement(Guid id, ConsortiumEvent signedAt, AgreementKind kind, string title, string? occupation,
        IEnumerable<NamedOrganization> parties, DateOnly signedOn, DateTimeOffset recordedAt)
    {
        ArgumentNullException.ThrowIfNull(signedAt);
        if (!signedAt.AcceptsOutcomes) throw new InvalidOperationException("Agreements are recorded on a held event.");
        Id = id;
        EventId = signedAt.Id;
        ConsortiumId = signedAt.ConsortiumId;
        Kind = kind;
        Title = title;
        Occupation = occupation;
        Parties = [.. parties];
        if (Parties.Count < 2) throw new ArgumentException("An agreement has at least two parties.", nameof(parties));
        SignedOn = signedOn;
        RecordedAt = recordedAt;
    }

    public Guid Id { get; private set; }
    public Guid EventId { get; private set; }
    public Guid ConsortiumId { get; private set; }
    public AgreementKind Kind { get; private set; }
    public string Title { get; private set; }
    /// <summary>The occupation or major trained for (e.g. intelligent welding), if the agreement names one.</summary>
    public string? Occupation { get; private set; }
    public List<NamedOrganization> Parties { get; private set; } = [];
    public DateOnly SignedOn { get; private set; }
    public DateTimeOffset RecordedAt { get; private set; }
}

/// <summary>A plaque unveiled at an event: a base or center now exists at its host organization.</summary>
public sealed class Unveiling
{
    private Unveiling()
    {
        Name = null!;
        HostOrganizationName = null!;
    }

    public Unveiling(Guid id, ConsortiumEvent unveiledAt, string name, NamedOrganization host, UnveilingKind kind, DateOnly unveiledOn, DateTimeOffset recordedAt)
    {
        ArgumentNullException.ThrowIfNull(unveiledAt);
        ArgumentNullException.ThrowIfNull(host);
        if (!unveiledAt.AcceptsOutcomes) throw new InvalidOperationException("Unveilings are recorded on a held event.");
        Id = id;
        EventId = unveiledAt.Id;
        ConsortiumId = unveiledAt.ConsortiumId;
        Name = name;
        HostOrganizationId = host.OrganizationId;
        HostOrganizationName = host.Name;
        Kind = kind;
        UnveiledOn = unveiledOn;
        RecordedAt = recordedAt;
        // A plaque that is no base or center makes no program: there is nothing for talent-pipeline to answer.
        State = kind == UnveilingKind.Other ? UnveilingState.Recorded : UnveilingState.Pending;
    }

    public Guid Id { get; private set; }
    public Guid EventId { get; private set; }
    public Guid ConsortiumId { get; private set; }
    public string Name { get; private set; }
    public Guid HostOrganizationId { get; private set; }
    public string HostOrganizationName { get; private set; }
    public UnveilingKind Kind { get; private set; }
    public DateOnly UnveiledOn { get; private set; }
    public DateTimeOffset RecordedAt { get; private set; }
    public UnveilingState State { get; private set; }
    /// <summary>The base program talent-pipeline activated (or created) for the plaque, once applied.</summary>
    public Guid? ProgramId { get; private set; }
    public List<DesignationRefusal> Refusals { get; private set; } = [];
    public DateTimeOffset? ResolvedAt { get; private set; }

    /// <summary>Talent-pipeline acted on the plaque. A repeat answer changes nothing; a rejection is not overturned.</summary>
    public void MarkApplied(Guid programId, DateTimeOffset at)
    {
        if (State != UnveilingState.Pending) return;
        State = UnveilingState.Applied;
        ProgramId = programId;
        ResolvedAt = at;
    }

    /// <summary>Talent-pipeline refused to act on the plaque (e.g. the recorder is not party to the base program).</summary>
    public void MarkRejected(IEnumerable<DesignationRefusal> refusals, DateTimeOffset at)
    {
        if (State != UnveilingState.Pending) return;
        State = UnveilingState.Rejected;
        Refusals = [.. refusals];
        ResolvedAt = at;
    }
}

/// <summary>What talent-pipeline did with an unveiled plaque.</summary>
public enum UnveilingState
{
    /// <summary>Not a base or center (kind <c>other</c>): no program is involved.</summary>
    Recorded,
    /// <summary>Published; talent-pipeline has not answered yet.</summary>
    Pending,
    /// <summary>The base program is active (or resumes as active once its paused parties are reinstated).</summary>
    Applied,
    /// <summary>Refused as a whole; <c>reasons</c> say why. No program changed.</summary>
    Rejected,
}

/// <summary>One role designated at a council meeting.</summary>
public sealed record Designation
{
    public required Guid OrganizationId { get; init; }
    public required string OrganizationName { get; init; }
    public required CouncilRole Role { get; init; }
}

/// <summary>Why membership refused a recording: a field path (e.g. <c>designations[3].organizationId</c>) and its reasons.</summary>
public sealed record DesignationRefusal
{
    public required string Field { get; init; }
    public required List<string> Reasons { get; init; }
}

/// <summary>
/// Council roles designated at a council (or founding) meeting. Membership owns the roles: it applies the
/// designations as a whole or rejects them, and this recording shows which (pending → applied | rejected).
/// </summary>
public sealed class CouncilDesignationRecording
{
    private CouncilDesignationRecording() { }

    public CouncilDesignationRecording(Guid id, ConsortiumEvent meeting, int sessionNumber, IEnumerable<Designation> designations, DateTimeOffset recordedAt)
    {
        ArgumentNullException.ThrowIfNull(meeting);
        if (!meeting.AcceptsOutcomes) throw new InvalidOperationException("Designations are recorded on a held event.");
        if (!IsCouncilMeeting(meeting.Kind)) throw new InvalidOperationException("Council roles are designated at a council or founding meeting.");
        Id = id;
        EventId = meeting.Id;
        ConsortiumId = meeting.ConsortiumId;
        SessionNumber = sessionNumber;
        Designations = [.. designations];
        RecordedAt = recordedAt;
    }

    public static bool IsCouncilMeeting(EventKind kind) => kind is EventKind.CouncilMeeting or EventKind.FoundingMeeting;

    public Guid Id { get; private set; }
    public Guid EventId { get; private set; }
    public Guid ConsortiumId { get; private set; }
    public int SessionNumber { get; private set; }
    public List<Designation> Designations { get; private set; } = [];
    public DesignationsState State { get; private set; } = DesignationsState.Pending;
    public List<DesignationRefusal> Refusals { get; private set; } = [];
    public DateTimeOffset RecordedAt { get; private set; }
    public DateTimeOffset? ResolvedAt { get; private set; }

    /// <summary>Membership applied the designations. A repeat answer changes nothing; a rejection is not overturned.</summary>
    public void MarkApplied(DateTimeOffset at)
    {
        if (State != DesignationsState.Pending) return;
        State = DesignationsState.Applied;
        ResolvedAt = at;
    }

    /// <summary>Membership refused the designations as a whole.</summary>
    public void MarkRejected(IEnumerable<DesignationRefusal> refusals, DateTimeOffset at)
    {
        if (State != DesignationsState.Pending) return;
        State = DesignationsState.Rejected;
        Refusals = [.. refusals];
        ResolvedAt = at;
    }
}

/// <summary>One ranked entrant of a skills competition (trainees are pseudonymous).</summary>
public sealed record RankedEntrant
{
    public required string TraineeRef { get; init; }
    public required Guid CollegeId { get; init; }
    public required string CollegeName { get; init; }
    public required int Rank { get; init; }
    public string? Award { get; init; }
}

/// <summary>The published results of a skills competition; one set per competition.</summary>
public sealed class CompetitionResults
{
    private CompetitionResults() { }

    public CompetitionResults(Guid id, ConsortiumEvent competition, IEnumerable<RankedEntrant> entrants, DateTimeOffset publishedAt)
    {
        ArgumentNullException.ThrowIfNull(competition);
        if (!competition.AcceptsOutcomes) throw new InvalidOperationException("Results are published for a held competition.");
        if (competition.Kind != EventKind.SkillsCompetition) throw new InvalidOperationException("Results belong to a skills competition.");
        Id = id;
        EventId = competition.Id;
        ConsortiumId = competition.ConsortiumId;
        Entrants = [.. entrants.OrderBy(e => e.Rank)];
        PublishedAt = publishedAt;
    }

    public Guid Id { get; private set; }
    public Guid EventId { get; private set; }
    public Guid ConsortiumId { get; private set; }
    public List<RankedEntrant> Entrants { get; private set; } = [];
    public DateTimeOffset PublishedAt { get; private set; }
}
