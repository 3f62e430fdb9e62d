using MassTransit;
using Microsoft.EntityFrameworkCore;
using Platform.Events.Contracts;
using Platform.TalentPipeline.Domain;
using Platform.TalentPipeline.Features.Programs;
using Platform.TalentPipeline.Persistence;

namespace Platform.TalentPipeline.Consumers;

/// <summary>
/// Programs born at ceremonies: an order-class, training-cooperation or production-practice agreement creates a draft
/// program linked to it; an unveiled base or center plaque activates the matching base program, or creates it.
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

        // The matching base: same consortium and kind, hosted by (a party of) the host, still open; the one named like the plaque first.
        var candidates = await db.Programs
            .Where(p => p.ConsortiumId == plaque.ConsortiumId && p.Kind == kind && p.UnveilingId == null
                        && (p.CollegeIds.Contains(plaque.HostOrganizationId) || p.EnterpriseIds.Contains(plaque.HostOrganizationId))
                        && (p.Status == ProgramStatus.Draft || p.Status == ProgramStatus.Paused))
            .OrderBy(p => p.Id).ToListAsync(context.CancellationToken);
        var program = candidates.FirstOrDefault(p => string.Equals(p.Title, plaque.Name, StringComparison.OrdinalIgnoreCase)) ?? candidates.FirstOrDefault();

        if (program is null)
        {
            var hostKind = await db.Members.Where(m => m.ConsortiumId == plaque.ConsortiumId && m.OrganizationId == plaque.HostOrganizationId)
                .Select(m => m.Kind).FirstOrDefaultAsync(context.CancellationToken);
            var hostIsCollege = hostKind is not null ? Member.IsCollegeKind(hostKind) : kind == ProgramKind.TrainingBase;
            program = CooperationProgram.Create(Guid.CreateVersion7(), plaque.ConsortiumId, kind, plaque.Name,
                hostIsCollege ? [plaque.HostOrganizationId] : [], hostIsCollege ? [] : [plaque.HostOrganizationId],
                occupation: null, seats: null, startsOn: plaque.UnveiledOn, endsOn: null, time.GetUtcNow());
            db.Programs.Add(program);
        }

        if (program.ActivateByUnveiling(plaque.UnveilingId) is { } transition)
            await ProgramAnnouncements.AnnounceAsync(db, program, transition, plaque.OccurredAt, context.CancellationToken);
    }
}
