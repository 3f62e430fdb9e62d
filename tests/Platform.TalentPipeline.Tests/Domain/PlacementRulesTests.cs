using Platform.TalentPipeline.Domain;

namespace Platform.TalentPipeline.Tests.Domain;

/// <summary>The placement rules without a database: rights, out-of-order history, impossible sequences, funnel deltas.</summary>
public sealed class PlacementRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 6, 1, 8, 0, 0, TimeSpan.Zero);
    private static readonly Guid Consortium = Guid.CreateVersion7(), College = Guid.CreateVersion7(), Enterprise = Guid.CreateVersion7(), ProgramId = Guid.CreateVersion7();

    private static CooperationProgram Program(ProgramAction? action = ProgramAction.Launch)
    {
        var program = CooperationProgram.Create(ProgramId, Consortium, ProgramKind.OrderClass, "Welding", [College], [Enterprise], null, null, null, null, Now);
        if (action is { } a) program.TryPerform(a, null);
        return program;
    }

    private static Func<Guid, Guid, Member?> Members(params Member[] members) =>
        (consortium, organization) => members.FirstOrDefault(m => m.ConsortiumId == consortium && m.OrganizationId == organization);

    private static Member MemberOf(Guid organization, MemberStatus status, string name = "Org") =>
        Platform.TalentPipeline.Domain.Member.Create(Consortium, organization, name, "technicianCollege", status, 1, Now);

    private static IReadOnlyList<PlacementRefusal> Check(CooperationProgram? program, Func<Guid, Guid, Member?> members, DateTimeOffset? occurredAt = null, Guid? enterprise = null) =>
        PlacementRights.Check(College, occurredAt ?? Now.AddDays(-1), enterprise, program, members, Now);

    [Fact]
    public void An_active_member_college_may_push_into_an_active_or_completed_program()
    {
        var members = Members(MemberOf(College, MemberStatus.Active));
        Assert.Empty(Check(Program(), members));
        var completed = Program();
        completed.TryPerform(ProgramAction.Complete, null);
        Assert.Empty(Check(completed, members));
    }

    [Fact]
    public void Draft_cancelled_and_paused_programs_refuse_placements_naming_who_pauses()
    {
        var members = Members(MemberOf(College, MemberStatus.Active), MemberOf(Enterprise, MemberStatus.Suspended, "Beichen"));
        Assert.Contains("draft", Assert.Single(Check(Program(action: null), members)).Message, StringComparison.Ordinal);
        Assert.Contains("cancelled", Assert.Single(Check(Program(ProgramAction.Cancel), members)).Message, StringComparison.Ordinal);
        var paused = Program();
        paused.PauseFor(Enterprise, "suspended");
        var refusal = Assert.Single(Check(paused, members));
        Assert.Equal(("programId", true), (refusal.Field, refusal.Message.Contains("Beichen", StringComparison.Ordinal)));
    }

    [Fact]
    public void A_college_outside_the_program_or_not_an_active_member_is_refused()
    {
        Assert.Equal("programId", Assert.Single(Check(null, Members())).Field);
        Assert.Equal("collegeId", Assert.Single(Check(Program(), Members())).Field);
        var suspended = Assert.Single(Check(Program(), Members(MemberOf(College, MemberStatus.Suspended))));
        Assert.Contains("is suspended;", suspended.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_future_event_and_an_inactive_enterprise_are_refused_together()
    {
        var members = Members(MemberOf(College, MemberStatus.Active), MemberOf(Enterprise, MemberStatus.Withdrawn));
        var refusals = Check(Program(), members, Now + PlacementRights.FutureTolerance + TimeSpan.FromSeconds(1), Enterprise);
        Assert.Equal(["occurredAt", "enterpriseId"], refusals.Select(r => r.Field));
        Assert.EndsWith("is withdrawn.", refusals[1].Message, StringComparison.Ordinal);
        Assert.Empty(Check(Program(), members, Now + PlacementRights.FutureTolerance));
    }

    private static HistoryEntry Entry(string id, PlacementType type, int day) => new(id, type, Now.AddDays(day), ProgramId, Consortium, Enterprise);

    [Fact]
    public void A_late_earlier_event_fills_history_without_moving_the_stage_back()
    {
        var stored = new StoredPlacement(Entry("e1", PlacementType.Employed, 10), PlacementFlag.EmployedBeforeEnrolled);
        var late = new StoredPlacement(Entry("e0", PlacementType.Enrolled, -100), null);
        var outcome = PlacementBatch.Derive([new AcceptedPlacement(College, "t1", "e0")],
            new Dictionary<(Guid, string), List<StoredPlacement>> { [(College, "t1")] = [stored, late] });

        Assert.Equal((PlacementType.Employed, (PlacementFlag?)null), outcome.PerEvent[(College, "e0")]);
        Assert.Equal(PlacementType.Employed, Assert.Single(outcome.Trainees).Stage);
        // The employment is no longer impossible: its flag is cleared.
        Assert.Equal(new FlagChange(College, "e1", null), Assert.Single(outcome.FlagChanges));
        // Enrolled is new to the funnel; Employed was counted before and stays.
        Assert.Equal(FunnelStage.Enrolled, Assert.Single(outcome.FunnelDeltas, d => d.Value != 0).Key.Stage);
    }

    [Fact]
    public void Impossible_sequences_are_flagged_and_events_after_withdrawal_do_not_move_the_stage()
    {
        List<StoredPlacement> history =
        [
            new(Entry("w", PlacementType.Withdrawn, 0), null),
            new(Entry("r", PlacementType.Retained6Months, 5), null),
        ];
        var outcome = PlacementBatch.Derive([new AcceptedPlacement(College, "t1", "w"), new AcceptedPlacement(College, "t1", "r")],
            new Dictionary<(Guid, string), List<StoredPlacement>> { [(College, "t1")] = history });

        Assert.Equal(PlacementType.Withdrawn, Assert.Single(outcome.Trainees).Stage);
        Assert.Equal((PlacementType.Withdrawn, (PlacementFlag?)PlacementFlag.AfterWithdrawn), outcome.PerEvent[(College, "r")]);
        Assert.Equal(PlacementFlag.AfterWithdrawn, Assert.Single(outcome.FlagChanges).Flag);
        Assert.Equal(PlacementFlag.RetentionBeforeEmployment, TraineeHistory.FlagOf(Entry("x", PlacementType.Retained12Months, -1), [Entry("x", PlacementType.Retained12Months, -1)]));
    }
}
