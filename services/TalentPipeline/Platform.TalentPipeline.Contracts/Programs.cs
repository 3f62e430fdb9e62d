namespace Platform.TalentPipeline.Contracts;

/// <summary>
/// A cooperation program was launched (became active): an order class, apprenticeship, base, center or project.
/// </summary>
public sealed record ProgramLaunched
{
    public required Guid ProgramId { get; init; }
    public required Guid ConsortiumId { get; init; }
    /// <summary>One of API.md's program kinds, e.g. <c>orderClass</c>, <c>trainingBase</c>.</summary>
    public required string Kind { get; init; }
    public required string Title { get; init; }
    public string? Occupation { get; init; }
    public required IReadOnlyList<ProgramParty> Colleges { get; init; }
    public required IReadOnlyList<ProgramParty> Enterprises { get; init; }
    public int? Seats { get; init; }
    public required DateTimeOffset OccurredAt { get; init; }
}

/// <summary>An organization taking part in a program, with its name for readable sentences.</summary>
public sealed record ProgramParty
{
    public required Guid OrganizationId { get; init; }
    public required string Name { get; init; }
    /// <summary>The name in Simplified Chinese; null when not known (and in messages from before it was carried).</summary>
    public string? NameZh { get; init; }
}

/// <summary>A program's status changed (e.g. paused because a party was suspended, completed, cancelled).</summary>
public sealed record ProgramStatusChanged
{
    public required Guid ProgramId { get; init; }
    public required Guid ConsortiumId { get; init; }
    public required string Title { get; init; }
    /// <summary><c>draft</c>, <c>active</c>, <c>paused</c>, <c>completed</c> or <c>cancelled</c>.</summary>
    public required string From { get; init; }
    public required string To { get; init; }
    public string? Reason { get; init; }
    public required DateTimeOffset OccurredAt { get; init; }
    /// <summary>
    /// The program's parties (colleges, then enterprises), so a consumer can tell them alone. Added later: a message
    /// from an older producer carries none (webhooks then tells nobody).
    /// </summary>
    public IReadOnlyList<Guid> PartyIds { get; init; } = [];
}

/// <summary>
/// Talent-pipeline acted on a plaque unveiled at an event (<c>PlaqueUnveiled</c>): the base program it activated,
/// created, or will resume once its paused parties are reinstated.
/// </summary>
public sealed record PlaqueUnveilingApplied
{
    public required Guid UnveilingId { get; init; }
    public required Guid ConsortiumId { get; init; }
    public required Guid ProgramId { get; init; }
    public required DateTimeOffset OccurredAt { get; init; }
}

/// <summary>
/// Talent-pipeline refused to act on an unveiled plaque: its recorder is not party to the base program, or the
/// program's launch rules are not met (every party an active member). No program changed; the reasons say why.
/// </summary>
public sealed record PlaqueUnveilingRejected
{
    public required Guid UnveilingId { get; init; }
    public required Guid ConsortiumId { get; init; }
    /// <summary>Field path (e.g. <c>recordedBy</c>, <c>hostOrganizationId</c>) → reasons.</summary>
    public required IReadOnlyDictionary<string, string[]> Reasons { get; init; }
    public required DateTimeOffset OccurredAt { get; init; }
}
