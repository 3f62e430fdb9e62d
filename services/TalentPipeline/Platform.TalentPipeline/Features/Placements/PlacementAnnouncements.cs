namespace Platform.TalentPipeline.Features.Placements;

/// <summary>The one place an accepted placement event becomes its integration events (PlacementRecorded, TraineeEmployed).</summary>
public static class PlacementAnnouncements
{
    public static void Announce(List<object> announcements, PlacementCandidate c, CooperationProgram program, PlacementType stage, PlacementFlag? flag, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(announcements);
        ArgumentNullException.ThrowIfNull(c);
        ArgumentNullException.ThrowIfNull(program);
        announcements.Add(new PlacementRecorded
        {
            EventId = c.EventId!,
            CollegeId = c.CollegeId,
            ProgramId = c.ProgramId,
            ConsortiumId = program.ConsortiumId,
            ProgramTitle = program.Title,
            TraineeRef = c.TraineeRef,
            Type = ApiEnum.Name(c.Type),
            EnterpriseId = c.EnterpriseId,
            OccurredAt = c.OccurredAt,
            Stage = ApiEnum.Name(stage),
            Flagged = flag is not null,
            AcceptedAt = now,
        });
        if (c.Type == PlacementType.Employed)
        {
            announcements.Add(new TraineeEmployed
            {
                EventId = c.EventId!,
                CollegeId = c.CollegeId,
                ProgramId = c.ProgramId,
                ConsortiumId = program.ConsortiumId,
                ProgramTitle = program.Title,
                TraineeRef = c.TraineeRef,
                EnterpriseId = c.EnterpriseId,
                OccurredAt = c.OccurredAt,
            });
        }
    }
}
