using MassTransit;
using Platform.Events.Contracts;

namespace Platform.TalentPipeline.Consumers;

/// <summary>
/// Programs born at ceremonies: an order-class, training-cooperation or production-practice agreement creates a draft
/// program linked to it; an unveiled base or center plaque activates the matching base program, or creates it, when
/// its recorder may (the operator, or a party of the program) and the launch rule holds; otherwise it answers
/// <see cref="PlaqueUnveilingRejected"/>, shown on the ceremony's outcome.
/// </summary>
public sealed class OutcomesConsumer(TalentPipelineDbContext db, TimeProvider time) : IConsumer<AgreementSigned>, IConsumer<PlaqueUnveiled>
{
    public async Task Consume(ConsumeContext<AgreementSigned> context)
    {
        var agreement = context.Message;
        if (CooperationProgram.KindOfAgreement(agreement.Kind) is not { } kind) return;
        // The unique agreement_id makes this idempotent beyond the inbox (e.g. the same agreement sent twice).
        if (await db.Programs.AnyAsync(p => p.AgreementId == agreement.AgreementId, context.CancellationToken)) return;
        var colleges = agreement.Parties.Where(p => Member.IsCollegeKind(p.OrganizationKind)).Select(p => p.OrganizationId);
        var enterprises = agreement.Parties.Where(p => p.OrganizationKind == "enterprise").Select(p => p.OrganizationId);
        db.Programs.Add(CooperationProgram.Create(Guid.CreateVersion7(), agreement.ConsortiumId, kind, agreement.Title, colleges, enterprises,
            agreement.Occupation, seats: null, startsOn: agreement.SignedOn, endsOn: null, time.GetUtcNow(), agreement.AgreementId));
    }

    public async Task Consume(ConsumeContext<PlaqueUnveiled> context)
    {
        var plaque = context.Message;
        if (CooperationProgram.KindOfPlaque(plaque.Kind) is not { } kind) return;
        if (await db.Programs.AnyAsync(p => p.UnveilingId == plaque.UnveilingId, context.CancellationToken)) return;
        var now = time.GetUtcNow();

        // Operator: any program of the host; a partner: only programs its organization is party to; unknown: nothing.
        Guid? recorder;
        switch (plaque.RecordedBy)
        {
            case { Kind: OutcomeRecorder.OperatorKind }:
                recorder = null;
                break;
            case { Kind: OutcomeRecorder.PartnerKind, OrganizationId: { } organization }:
                recorder = organization;
                break;
            default:
                Reject(plaque, now, "recordedBy", "The unveiling does not say who recorded it; only the operator's or a party's unveiling acts on a program.");
                return;
        }

        // The matching base: same consortium and kind, hosted by (a party of) the host, still open; the one named like the plaque first.
        var candidates = await db.Programs
            .Where(p => p.ConsortiumId == plaque.ConsortiumId && p.Kind == kind && p.UnveilingId == null
                        && (p.CollegeIds.Contains(plaque.HostOrganizationId) || p.EnterpriseIds.Contains(plaque.HostOrganizationId))
                        && (p.Status == ProgramStatus.Draft || p.Status == ProgramStatus.Paused))
            .OrderBy(p => p.Id).ToListAsync(context.CancellationToken);
        var permitted = candidates.Where(p => p.MayBeUnveiledBy(recorder)).ToList();
        var program = permitted.FirstOrDefault(p => string.Equals(p.Title, plaque.Name, StringComparison.OrdinalIgnoreCase)) ?? permitted.FirstOrDefault();

        var created = false;
        if (program is null)
        {
            // A new base is hosted by the host alone: only the host itself (or the operator) creates it by unveiling.
            if (recorder is { } other && other != plaque.HostOrganizationId)
            {
                Reject(plaque, now, "recordedBy", candidates.Count > 0
                    ? $"The recording organization {other} is not party to the host's {ApiEnum.Name(kind)} program; an unveiling acts only on programs its recorder is party to."
                    : $"The recording organization {other} is not the host; only the host (or the operator) creates a base program by unveiling its plaque.");
                return;
            }
            var hostKind = await db.Members.Where(m => m.ConsortiumId == plaque.ConsortiumId && m.OrganizationId == plaque.HostOrganizationId)
                .Select(m => m.Kind).FirstOrDefaultAsync(context.CancellationToken);
            var hostIsCollege = hostKind is not null ? Member.IsCollegeKind(hostKind) : kind == ProgramKind.TrainingBase;
            program = CooperationProgram.Create(Guid.CreateVersion7(), plaque.ConsortiumId, kind, plaque.Name,
                hostIsCollege ? [plaque.HostOrganizationId] : [], hostIsCollege ? [] : [plaque.HostOrganizationId],
                occupation: null, seats: null, startsOn: plaque.UnveiledOn, endsOn: null, now);
            created = true;
        }

        // A draft launches here: the same rule as the launch action (every party an active member), never skipped.
        if (program.Status == ProgramStatus.Draft)
        {
            var parties = program.Parties.ToList();
            var members = await db.Members.AsNoTracking()
                .Where(m => m.ConsortiumId == program.ConsortiumId && parties.Contains(m.OrganizationId))
                .ToDictionaryAsync(m => m.OrganizationId, context.CancellationToken);
            var inactive = program.InactiveParties(members.Values.Where(m => m.IsActive).Select(m => m.OrganizationId).ToHashSet());
            if (inactive.Count > 0)
            {
                var names = inactive.Select(id => members.TryGetValue(id, out var m) ? $"{m.Name} ({id})" : id.ToString());
                Reject(plaque, now, "program", $"Every party must be an active member to launch “{program.Title}”; not active: {string.Join(", ", names)}.");
                return;
            }
        }

        if (created) db.Programs.Add(program);
        if (program.ActivateByUnveiling(plaque.UnveilingId) is { } transition)
            await ProgramAnnouncements.AnnounceAsync(db, program, transition, plaque.OccurredAt, context.CancellationToken);
        db.AddIntegrationEvent(new PlaqueUnveilingApplied
        {
            UnveilingId = plaque.UnveilingId, ConsortiumId = plaque.ConsortiumId, ProgramId = program.Id, OccurredAt = now,
        });
    }

    /// <summary>Nothing of the unveiling is applied; the events service shows the reason on the ceremony's outcome.</summary>
    private void Reject(PlaqueUnveiled plaque, DateTimeOffset now, string field, string reason) =>
        db.AddIntegrationEvent(new PlaqueUnveilingRejected
        {
            UnveilingId = plaque.UnveilingId, ConsortiumId = plaque.ConsortiumId,
            Reasons = new Dictionary<string, string[]>(StringComparer.Ordinal) { [field] = [reason] }, OccurredAt = now,
        });
}
