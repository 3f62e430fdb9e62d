namespace Platform.TalentPipeline.Features.Programs;

/// <summary>Turns a program's status transitions into integration events (through the outbox of <c>db</c>).</summary>
public static class ProgramAnnouncements
{
    /// <summary>Adds ProgramLaunched when the program became active from draft, else ProgramStatusChanged.</summary>
    public static async Task AnnounceAsync(TalentPipelineDbContext db, CooperationProgram program, ProgramTransition transition, DateTimeOffset at, CancellationToken cancellationToken)
    {
        if (transition is { From: ProgramStatus.Draft, To: ProgramStatus.Active })
        {
            var parties = program.Parties.ToList();
            var names = await db.Members.AsNoTracking()
                .Where(m => m.ConsortiumId == program.ConsortiumId && parties.Contains(m.OrganizationId))
                .ToDictionaryAsync(m => m.OrganizationId, m => (m.Name, m.NameZh), cancellationToken);
            ProgramParty Party(Guid id) => names.TryGetValue(id, out var known)
                ? new() { OrganizationId = id, Name = known.Name, NameZh = known.NameZh }
                : new() { OrganizationId = id, Name = "(unknown organization)" };
            db.AddIntegrationEvent(new ProgramLaunched
            {
                ProgramId = program.Id,
                ConsortiumId = program.ConsortiumId,
                Kind = ApiEnum.Name(program.Kind),
                Title = program.Title,
                Occupation = program.Occupation,
                Colleges = [.. program.CollegeIds.Select(Party)],
                Enterprises = [.. program.EnterpriseIds.Select(Party)],
                Seats = program.Seats,
                OccurredAt = at,
            });
            return;
        }
        db.AddIntegrationEvent(new ProgramStatusChanged
        {
            ProgramId = program.Id,
            ConsortiumId = program.ConsortiumId,
            Title = program.Title,
            From = ApiEnum.Name(transition.From),
            To = ApiEnum.Name(transition.To),
            Reason = transition.Reason,
            OccurredAt = at,
            PartyIds = [.. program.Parties],
        });
    }
}
