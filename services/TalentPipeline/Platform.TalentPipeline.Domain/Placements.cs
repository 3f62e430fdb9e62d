namespace Platform.TalentPipeline.Domain;

/// <summary>What happened to a trainee, in funnel order (the order breaks ties between events at the same instant).</summary>
public enum PlacementType
{
    Enrolled,
    InternshipStarted,
    InternshipCompleted,
    OfferMade,
    OfferAccepted,
    Employed,
    Retained6Months,
    Retained12Months,
    Withdrawn,
}

/// <summary>Why an accepted event is a data-quality issue: it makes an impossible sequence in the trainee's history.</summary>
public enum PlacementFlag
{
    /// <summary>An event dated after the trainee withdrew.</summary>
    AfterWithdrawn,
    /// <summary>Employed with no enrollment at or before that time.</summary>
    EmployedBeforeEnrolled,
    /// <summary>A retention report with no employment at or before that time.</summary>
    RetentionBeforeEmployment,
}

/// <summary>An accepted placement event, kept as history; (CollegeId, EventId) is unique.</summary>
public sealed class PlacementEvent
{
    public Guid CollegeId { get; set; }
    public required string EventId { get; set; }
    public Guid ProgramId { get; set; }
    public Guid ConsortiumId { get; set; }
    public required string TraineeRef { get; set; }
    public PlacementType Type { get; set; }
    public DateTimeOffset OccurredAt { get; set; }
    public Guid? EnterpriseId { get; set; }
    public PlacementFlag? Flag { get; set; }
    public DateTimeOffset AcceptedAt { get; set; }

    /// <summary>A resend carries the same content; anything else under the same eventId is a conflict.</summary>
    public bool SameContentAs(Guid programId, string traineeRef, PlacementType type, DateTimeOffset occurredAt, Guid? enterpriseId) =>
        ProgramId == programId && TraineeRef == traineeRef && Type == type && OccurredAt == occurredAt && EnterpriseId == enterpriseId;
}

/// <summary>A pseudonymous trainee of a college (traineeRef chosen by the college), with the stage its history leads to.</summary>
public sealed class Trainee
{
    public Guid CollegeId { get; set; }
    public required string TraineeRef { get; set; }
    public Guid ConsortiumId { get; set; }
    /// <summary>The program of the event that set the stage.</summary>
    public Guid ProgramId { get; set; }
    public PlacementType Stage { get; set; }
    public DateTimeOffset StageOccurredAt { get; set; }
    public int Events { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>One event of a trainee's history as the rules see it.</summary>
public sealed record HistoryEntry(string EventId, PlacementType Type, DateTimeOffset OccurredAt, Guid ProgramId, Guid ConsortiumId, Guid? EnterpriseId);

/// <summary>
/// The first time a trainee reached a funnel stage: the earliest event of that type (by occurredAt, then eventId),
/// with the program, enterprise and month it counts under in the KPIs.
/// </summary>
public sealed record Milestone(FunnelStage Stage, Guid ConsortiumId, Guid ProgramId, Guid? EnterpriseId, DateOnly Month);

/// <summary>What the funnel counts: a trainee reaching each placement type once, plus employment after an internship.</summary>
public enum FunnelStage
{
    Enrolled,
    InternshipStarted,
    InternshipCompleted,
    OfferMade,
    OfferAccepted,
    Employed,
    Retained6Months,
    Retained12Months,
    Withdrawn,
    /// <summary>Employed after having started an internship (numerator of internship→employment conversion).</summary>
    EmployedAfterInternship,
}

/// <summary>
/// The rules over one trainee's history. Everything is a function of the set of accepted events ordered by
/// occurredAt, so the order they arrive in (late, in concurrent batches) never changes the outcome.
/// </summary>
public static class TraineeHistory
{
    /// <summary>
    /// The stage: the type of the latest event by occurredAt (ties by funnel order), ignoring events dated after a
    /// withdrawal. A late event dated earlier fills in history but never moves the stage backwards.
    /// </summary>
    public static (PlacementType Stage, DateTimeOffset At, HistoryEntry Event) StageOf(IReadOnlyCollection<HistoryEntry> events)
    {
        if (events.Count == 0) throw new ArgumentException("A trainee has at least one event.", nameof(events));
        var withdrawnAt = WithdrawnAt(events);
        var latest = events.Where(e => withdrawnAt is null || e.OccurredAt <= withdrawnAt)
            .OrderByDescending(e => e.OccurredAt).ThenByDescending(e => e.Type).ThenByDescending(e => e.EventId, StringComparer.Ordinal).First();
        return (latest.Type, latest.OccurredAt, latest);
    }

    /// <summary>The impossible sequence an event makes within the whole history, or null.</summary>
    public static PlacementFlag? FlagOf(HistoryEntry entry, IReadOnlyCollection<HistoryEntry> events)
    {
        var withdrawnAt = WithdrawnAt(events);
        if (entry.Type != PlacementType.Withdrawn && withdrawnAt is { } w && entry.OccurredAt > w) return PlacementFlag.AfterWithdrawn;
        if (entry.Type == PlacementType.Employed && !events.Any(e => e.Type == PlacementType.Enrolled && e.OccurredAt <= entry.OccurredAt))
            return PlacementFlag.EmployedBeforeEnrolled;
        if (entry.Type is PlacementType.Retained6Months or PlacementType.Retained12Months
            && !events.Any(e => e.Type == PlacementType.Employed && e.OccurredAt <= entry.OccurredAt))
            return PlacementFlag.RetentionBeforeEmployment;
        return null;
    }

    /// <summary>The stages the trainee reached, each counted once under its first event (KPI aggregates).</summary>
    public static IReadOnlyList<Milestone> MilestonesOf(IReadOnlyCollection<HistoryEntry> events)
    {
        var firsts = events.GroupBy(e => e.Type)
            .ToDictionary(g => g.Key, g => g.OrderBy(e => e.OccurredAt).ThenBy(e => e.EventId, StringComparer.Ordinal).First());
        var milestones = firsts.Values.Select(e => new Milestone((FunnelStage)(int)e.Type, e.ConsortiumId, e.ProgramId, e.EnterpriseId, MonthOf(e.OccurredAt))).ToList();
        if (firsts.TryGetValue(PlacementType.Employed, out var employed) && firsts.ContainsKey(PlacementType.InternshipStarted))
            milestones.Add(new Milestone(FunnelStage.EmployedAfterInternship, employed.ConsortiumId, employed.ProgramId, employed.EnterpriseId, MonthOf(employed.OccurredAt)));
        return milestones;
    }

    public static DateOnly MonthOf(DateTimeOffset at)
    {
        var utc = at.UtcDateTime;
        return new DateOnly(utc.Year, utc.Month, 1);
    }

    private static DateTimeOffset? WithdrawnAt(IEnumerable<HistoryEntry> events) =>
        events.Where(e => e.Type == PlacementType.Withdrawn).Select(e => (DateTimeOffset?)e.OccurredAt).Min();
}

/// <summary>
/// A maintained funnel aggregate: how many trainees first reached <see cref="Stage"/> in <see cref="Month"/>, per
/// consortium, program, college and enterprise (<see cref="Guid.Empty"/> when the event named none). Updated in
/// the same transaction as the accepted events, so KPI reads never scan history.
/// </summary>
public sealed class FunnelCount
{
    public Guid ConsortiumId { get; set; }
    public Guid ProgramId { get; set; }
    public Guid CollegeId { get; set; }
    public Guid EnterpriseId { get; set; }
    public DateOnly Month { get; set; }
    public FunnelStage Stage { get; set; }
    public int Trainees { get; set; }
}
