using System.Text.Json;

namespace Platform.TalentPipeline.Domain;

/// <summary>Why a placement event is refused: the field it is about and a message for the college.</summary>
public sealed record PlacementRefusal(string Field, string Message);

/// <summary>
/// Who may push a placement event where: the program must exist with the college as a party and take placements
/// (<see cref="CooperationProgram.AcceptsPlacements"/>), the college must be an active member of its consortium, a
/// named enterprise must not be an inactive member, and the event may not be dated in the future.
/// </summary>
public static class PlacementRights
{
    /// <summary>Clock skew tolerated for occurredAt in the future.</summary>
    public static readonly TimeSpan FutureTolerance = TimeSpan.FromMinutes(10);

    /// <param name="member">The membership of an organization in a consortium, or null when it is not a member.</param>
    public static IReadOnlyList<PlacementRefusal> Check(Guid collegeId, DateTimeOffset occurredAt, Guid? enterpriseId, CooperationProgram? program,
        Func<Guid, Guid, Member?> member, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(member);
        var refusals = new List<PlacementRefusal>();
        if (occurredAt > now + FutureTolerance) refusals.Add(new("occurredAt", "In the future."));
        if (program is null || !program.CollegeIds.Contains(collegeId))
        {
            refusals.Add(new("programId", "The college is not a party to this program (or there is no such program)."));
            return refusals;
        }
        var college = member(program.ConsortiumId, collegeId);
        if (college is null || !college.IsActive)
        {
            refusals.Add(new("collegeId", college is null
                ? "The college is not a member of the program's consortium."
                : $"The college's membership of the consortium is {WireName(college.Status)}; its events are refused until it is active again."));
            return refusals;
        }
        if (!program.AcceptsPlacements)
            refusals.Add(new("programId", program.Status switch
            {
                ProgramStatus.Draft => "The program is still a draft; it takes events once launched.",
                ProgramStatus.Paused => $"The program is paused because {string.Join(", ", program.PausedBy.Select(id => member(program.ConsortiumId, id)?.Name ?? id.ToString()))} is suspended; events are refused until reinstatement.",
                _ => "The program was cancelled.",
            }));
        if (enterpriseId is { } enterprise && member(program.ConsortiumId, enterprise) is { IsActive: false } employer)
            refusals.Add(new("enterpriseId", $"The enterprise's membership of the consortium is {WireName(employer.Status)}."));
        return refusals;
    }

    // The API's spelling of a status (camelCase, as every enum on the wire), for messages.
    private static string WireName(MemberStatus status) => JsonNamingPolicy.CamelCase.ConvertName(status.ToString());
}

/// <summary>An event of a trainee's history as stored, with the flag it was last given.</summary>
public sealed record StoredPlacement(HistoryEntry Entry, PlacementFlag? Flag);

/// <summary>An accepted event of the batch being ingested, in submission order.</summary>
public sealed record AcceptedPlacement(Guid CollegeId, string TraineeRef, string EventId);

/// <summary>A trainee's row after the batch: the stage its whole history leads to.</summary>
public sealed record TraineeState(Guid CollegeId, string TraineeRef, Guid ConsortiumId, Guid ProgramId, PlacementType Stage, DateTimeOffset StageAt, int Events);

/// <summary>One funnel aggregate row (<see cref="FunnelCount"/>'s key).</summary>
public sealed record FunnelKey(Guid ConsortiumId, Guid ProgramId, Guid CollegeId, Guid EnterpriseId, DateOnly Month, FunnelStage Stage);

/// <summary>A flag that changed on a stored event.</summary>
public sealed record FlagChange(Guid CollegeId, string EventId, PlacementFlag? Flag);

/// <summary>What a batch changes: each event's reported stage and flag, re-derived flags, trainees and funnel deltas.</summary>
public sealed record PlacementBatchOutcome(
    IReadOnlyDictionary<(Guid CollegeId, string EventId), (PlacementType Stage, PlacementFlag? Flag)> PerEvent,
    IReadOnlyList<FlagChange> FlagChanges,
    IReadOnlyList<TraineeState> Trainees,
    IReadOnlyDictionary<FunnelKey, int> FunnelDeltas);

/// <summary>
/// Applies <see cref="TraineeHistory"/> to each touched trainee's whole history, before and after the batch: out-of-order
/// events fill in history without moving the stage back, impossible sequences are re-flagged over the whole history, and
/// the funnel moves by the difference of milestones before and after.
/// </summary>
public static class PlacementBatch
{
    /// <param name="histories">Each touched trainee's whole stored history, the batch's accepted events included.</param>
    public static PlacementBatchOutcome Derive(IReadOnlyList<AcceptedPlacement> accepted, IReadOnlyDictionary<(Guid, string), List<StoredPlacement>> histories)
    {
        ArgumentNullException.ThrowIfNull(accepted);
        ArgumentNullException.ThrowIfNull(histories);
        var perEvent = new Dictionary<(Guid, string), (PlacementType, PlacementFlag?)>();
        var flagChanges = new List<FlagChange>();
        var trainees = new List<TraineeState>();
        var deltas = new Dictionary<FunnelKey, int>();
        var newIds = accepted.Select(c => (c.CollegeId, c.EventId)).ToHashSet();

        foreach (var group in accepted.GroupBy(c => (c.CollegeId, c.TraineeRef)))
        {
            var (collegeId, traineeRef) = group.Key;
            var all = histories[group.Key];
            var before = all.Where(s => !newIds.Contains((collegeId, s.Entry.EventId))).Select(s => s.Entry).ToList();
            var after = all.Select(s => s.Entry).ToList();

            foreach (var stored in all)
            {
                var flag = TraineeHistory.FlagOf(stored.Entry, after);
                if (flag != stored.Flag) flagChanges.Add(new(collegeId, stored.Entry.EventId, flag));
            }

            // The stage each event leaves the trainee at, in submission order (what its PlacementRecorded reports).
            var sofar = new List<HistoryEntry>(before);
            foreach (var c in group)
            {
                sofar.Add(after.First(e => e.EventId == c.EventId));
                perEvent[(collegeId, c.EventId)] = (TraineeHistory.StageOf(sofar).Stage, TraineeHistory.FlagOf(sofar[^1], after));
            }

            var (stage, stageAt, stageEvent) = TraineeHistory.StageOf(after);
            trainees.Add(new TraineeState(collegeId, traineeRef, stageEvent.ConsortiumId, stageEvent.ProgramId, stage, stageAt, after.Count));

            foreach (var m in TraineeHistory.MilestonesOf(before)) Add(deltas, collegeId, m, -1);
            foreach (var m in TraineeHistory.MilestonesOf(after)) Add(deltas, collegeId, m, +1);
        }
        foreach (var zero in deltas.Where(d => d.Value == 0).Select(d => d.Key).ToList()) deltas.Remove(zero);
        return new PlacementBatchOutcome(perEvent, flagChanges, trainees, deltas);
    }

    private static void Add(Dictionary<FunnelKey, int> deltas, Guid collegeId, Milestone m, int delta)
    {
        var key = new FunnelKey(m.ConsortiumId, m.ProgramId, collegeId, m.EnterpriseId ?? Guid.Empty, m.Month, m.Stage);
        deltas[key] = deltas.GetValueOrDefault(key) + delta;
    }
}
