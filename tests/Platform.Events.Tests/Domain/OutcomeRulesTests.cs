using Platform.Events.Domain;

namespace Platform.Events.Tests.Domain;

/// <summary>Which outcomes an event takes and how their answers settle: pure, no database.</summary>
public sealed class OutcomeRulesTests
{
    private static readonly DateTimeOffset At = new(2025, 3, 1, 2, 0, 0, TimeSpan.Zero);
    private static readonly NamedOrganization College = new() { OrganizationId = Guid.CreateVersion7(), Name = "Shandong Labour Vocational and Technical College", Kind = "vocationalCollege" };
    private static readonly NamedOrganization Enterprise = new() { OrganizationId = Guid.CreateVersion7(), Name = "Inspur", Kind = "enterprise" };

    private static ConsortiumEvent Event(EventKind kind, bool held)
    {
        var e = ConsortiumEvent.Plan(Guid.CreateVersion7(), Guid.CreateVersion7(), kind, "Meeting", "Jining", At.AddDays(-2), At.AddDays(-2).AddHours(2),
            KnownConsortium.DefaultTimeZone, 50, [College.OrganizationId], At.AddDays(-10));
        Assert.NotNull(e.Perform(EventAction.Schedule, At, null));
        if (held) Assert.NotNull(e.Perform(EventAction.Hold, At, null));
        return e;
    }

    private static Designation Chair => new() { OrganizationId = College.OrganizationId, OrganizationName = College.Name, Role = CouncilRole.Chair };

    [Fact]
    public void Outcomes_are_recorded_on_held_events_only()
    {
        var scheduled = Event(EventKind.SigningCeremony, held: false);
        Assert.Throws<InvalidOperationException>(() => new Agreement(Guid.CreateVersion7(), scheduled, AgreementKind.OrderClass, "Order class", null, [College, Enterprise], new DateOnly(2025, 3, 1), At));
        Assert.Throws<InvalidOperationException>(() => new Unveiling(Guid.CreateVersion7(), scheduled, "Training base", College, UnveilingKind.TrainingBase, new DateOnly(2025, 3, 1), At));

        var agreement = new Agreement(Guid.CreateVersion7(), Event(EventKind.SigningCeremony, held: true), AgreementKind.OrderClass, "Order class", null, [College, Enterprise], new DateOnly(2025, 3, 1), At);
        Assert.Equal(2, agreement.Parties.Count);
    }

    [Fact]
    public void An_agreement_has_two_parties_at_least()
    {
        Assert.Throws<ArgumentException>(() => new Agreement(Guid.CreateVersion7(), Event(EventKind.SigningCeremony, held: true), AgreementKind.Other, "Alone", null, [College], new DateOnly(2025, 3, 1), At));
    }

    [Fact]
    public void Council_roles_are_designated_at_council_or_founding_meetings()
    {
        Assert.Throws<InvalidOperationException>(() => new CouncilDesignationRecording(Guid.CreateVersion7(), Event(EventKind.Symposium, held: true), 1, [Chair], At));
        Assert.Equal(DesignationsState.Pending, new CouncilDesignationRecording(Guid.CreateVersion7(), Event(EventKind.FoundingMeeting, held: true), 1, [Chair], At).State);
        Assert.True(CouncilDesignationRecording.IsCouncilMeeting(EventKind.CouncilMeeting));
        Assert.False(CouncilDesignationRecording.IsCouncilMeeting(EventKind.SigningCeremony));
    }

    [Fact]
    public void A_rejection_of_designations_is_not_overturned_by_a_late_answer()
    {
        var recording = new CouncilDesignationRecording(Guid.CreateVersion7(), Event(EventKind.CouncilMeeting, held: true), 2, [Chair], At);
        recording.MarkRejected([new DesignationRefusal { Field = "designations[0].organizationId", Reasons = ["Not an active member."] }], At.AddMinutes(1));
        recording.MarkApplied(At.AddMinutes(2));

        Assert.Equal(DesignationsState.Rejected, recording.State);
        Assert.Equal(At.AddMinutes(1), recording.ResolvedAt);
        Assert.Single(recording.Refusals);
    }

    [Fact]
    public void A_plaque_that_is_no_base_is_only_recorded_and_a_base_waits_for_talent_pipeline()
    {
        var ceremony = Event(EventKind.UnveilingCeremony, held: true);
        var other = new Unveiling(Guid.CreateVersion7(), ceremony, "Friendship plaque", College, UnveilingKind.Other, new DateOnly(2025, 3, 1), At);
        var programId = Guid.CreateVersion7();
        other.MarkApplied(programId, At);
        Assert.Equal((UnveilingState.Recorded, (Guid?)null), (other.State, other.ProgramId));

        var trainingBase = new Unveiling(Guid.CreateVersion7(), ceremony, "Welding training base", College, UnveilingKind.TrainingBase, new DateOnly(2025, 3, 1), At);
        Assert.Equal(UnveilingState.Pending, trainingBase.State);
        trainingBase.MarkApplied(programId, At.AddMinutes(1));
        trainingBase.MarkRejected([new DesignationRefusal { Field = "programId", Reasons = ["Not a party."] }], At.AddMinutes(2));
        Assert.Equal((UnveilingState.Applied, programId, 0), (trainingBase.State, trainingBase.ProgramId!.Value, trainingBase.Refusals.Count));
    }

    [Fact]
    public void Results_belong_to_a_held_skills_competition_and_are_ranked()
    {
        Assert.Throws<InvalidOperationException>(() => new CompetitionResults(Guid.CreateVersion7(), Event(EventKind.JobFair, held: true), [], At));

        var results = new CompetitionResults(Guid.CreateVersion7(), Event(EventKind.SkillsCompetition, held: true),
        [
            new RankedEntrant { TraineeRef = "T-2", CollegeId = College.OrganizationId, CollegeName = College.Name, Rank = 2 },
            new RankedEntrant { TraineeRef = "T-1", CollegeId = College.OrganizationId, CollegeName = College.Name, Rank = 1, Award = "Gold" },
        ], At);
        Assert.Equal(["T-1", "T-2"], results.Entrants.Select(e => e.TraineeRef));
    }
}
