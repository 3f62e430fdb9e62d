namespace Platform.Events.Contracts;

// Outcomes recorded on a held event. Kinds travel as the API's camelCase strings (e.g. "orderClass"),
// so a consumer built against an older contract still reads a value added later.

/// <summary>
/// Who recorded an outcome: the operator, or a partner key issued for one organization. Consumers decide privileged
/// effects with it (council roles only from the operator; an unveiling only launches programs its recorder is party to).
/// A message without one (sent before it existed) counts as an unknown partner: privileged effects are refused.
/// </summary>
public sealed record OutcomeRecorder
{
    public const string OperatorKind = "operator";
    public const string PartnerKind = "partner";

    /// <summary><c>operator</c> or <c>partner</c>.</summary>
    public required string Kind { get; init; }
    /// <summary>The organization the partner key was issued for; null for the operator.</summary>
    public Guid? OrganizationId { get; init; }
}

/// <summary>One party to an agreement, with its name so a consumer can write a sentence without calling back.</summary>
public sealed record AgreementParty
{
    public required Guid OrganizationId { get; init; }
    public required string OrganizationName { get; init; }
    /// <summary>The organization's name in Simplified Chinese; null when not known (and in messages from before it was carried).</summary>
    public string? OrganizationNameZh { get; init; }
    /// <summary>One of API.md's organization kinds, e.g. <c>vocationalCollege</c>, <c>enterprise</c>.</summary>
    public required string OrganizationKind { get; init; }
}

/// <summary>
/// An agreement was signed at an event (e.g. an order-class agreement between a college and an enterprise).
/// Talent-pipeline creates a draft program from kinds <c>orderClass</c>, <c>trainingCooperation</c> and <c>productionPractice</c>.
/// </summary>
public sealed record AgreementSigned
{
    public required Guid AgreementId { get; init; }
    public required Guid EventId { get; init; }
    public required string EventTitle { get; init; }
    public required Guid ConsortiumId { get; init; }
    /// <summary><c>strategicCooperation</c>, <c>frameworkAgreement</c>, <c>orderClass</c>, <c>trainingCooperation</c>, <c>productionPractice</c> or <c>other</c>.</summary>
    public required string Kind { get; init; }
    public required string Title { get; init; }
    /// <summary>The occupation or major the agreement trains for (e.g. intelligent welding), when it names one.</summary>
    public string? Occupation { get; init; }
    public required IReadOnlyList<AgreementParty> Parties { get; init; }
    public required DateOnly SignedOn { get; init; }
    public required DateTimeOffset OccurredAt { get; init; }
    /// <summary>Who recorded it; null in messages from before recorders were carried (treated as an unknown partner).</summary>
    public OutcomeRecorder? RecordedBy { get; init; }
}

/// <summary>
/// A plaque was unveiled at an event: a base or center now exists at the host organization. Talent-pipeline
/// activates (or creates) the matching base program.
/// </summary>
public sealed record PlaqueUnveiled
{
    public required Guid UnveilingId { get; init; }
    public required Guid EventId { get; init; }
    public required Guid ConsortiumId { get; init; }
    /// <summary>The plaque's name, e.g. "Intelligent Manufacturing Training Base".</summary>
    public required string Name { get; init; }
    public required Guid HostOrganizationId { get; init; }
    public required string HostOrganizationName { get; init; }
    /// <summary>The host's name in Simplified Chinese; null when not known (and in messages from before it was carried).</summary>
    public string? HostOrganizationNameZh { get; init; }
    /// <summary>
    /// <c>trainingBase</c>, <c>internshipBase</c>, <c>employmentBase</c>, <c>teacherPracticeCenter</c> (the talent-pipeline
    /// program kinds of a base) or <c>other</c>.
    /// </summary>
    public required string Kind { get; init; }
    public required DateOnly UnveiledOn { get; init; }
    public required DateTimeOffset OccurredAt { get; init; }
    /// <summary>Who recorded it; null in messages from before recorders were carried (treated as an unknown partner).</summary>
    public OutcomeRecorder? RecordedBy { get; init; }
}

/// <summary>One designation in <see cref="CouncilDesignationsRecorded"/>.</summary>
public sealed record CouncilDesignation
{
    public required Guid OrganizationId { get; init; }
    /// <summary><c>chair</c>, <c>viceChair</c>, <c>secretaryGeneral</c> or <c>councilMember</c>.</summary>
    public required string Role { get; init; }
}

/// <summary>
/// A council meeting designated council roles. Membership applies them as one bulk designation (all-or-nothing)
/// and publishes the result: <c>CouncilRoleAssigned</c>/<c>CouncilRoleRevoked</c> when applied, <c>CouncilDesignationsRejected</c> when not.
/// </summary>
public sealed record CouncilDesignationsRecorded
{
    /// <summary>Identifies this recording; membership answers with it.</summary>
    public required Guid RecordingId { get; init; }
    public required Guid EventId { get; init; }
    public required Guid ConsortiumId { get; init; }
    public required int SessionNumber { get; init; }
    public required IReadOnlyList<CouncilDesignation> Designations { get; init; }
    public required DateTimeOffset OccurredAt { get; init; }
    /// <summary>Who recorded it; null in messages from before recorders were carried (treated as an unknown partner).</summary>
    public OutcomeRecorder? RecordedBy { get; init; }
}

/// <summary>One ranked entrant of a competition. Trainees are pseudonymous (<c>traineeRef</c> chosen by the college).</summary>
public sealed record CompetitionEntrant
{
    public required string TraineeRef { get; init; }
    public required Guid CollegeId { get; init; }
    public required string CollegeName { get; init; }
    /// <summary>The college's name in Simplified Chinese; null when not known (and in messages from before it was carried).</summary>
    public string? CollegeNameZh { get; init; }
    public required int Rank { get; init; }
    /// <summary>e.g. "First prize"; null for an entrant without an award.</summary>
    public string? Award { get; init; }
}

/// <summary>A skills competition's results were published.</summary>
public sealed record CompetitionResultsPublished
{
    public required Guid ResultsId { get; init; }
    public required Guid EventId { get; init; }
    public required string EventTitle { get; init; }
    public required Guid ConsortiumId { get; init; }
    public required IReadOnlyList<CompetitionEntrant> Entrants { get; init; }
    public required DateTimeOffset OccurredAt { get; init; }
    /// <summary>Who recorded it; null in messages from before recorders were carried (treated as an unknown partner).</summary>
    public OutcomeRecorder? RecordedBy { get; init; }
}
