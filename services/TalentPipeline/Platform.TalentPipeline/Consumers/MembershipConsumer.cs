using MassTransit;
using Platform.Membership.Contracts;

namespace Platform.TalentPipeline.Consumers;

/// <summary>
/// Keeps the member read model ((consortium, organization) → status, name, kind) and pauses or resumes the programs
/// of a suspended or reinstated organization. Runs through the inbox: effects and announcements commit together.
/// Concurrent events of one member meet on the row's xmin; the loser is retried and sees the winner. Order is
/// membership's per-membership version, not the producers' clocks (see <see cref="Member.TryApply"/>).
/// </summary>
public sealed class MembershipConsumer(TalentPipelineDbContext db) :
    IConsumer<MembershipActivated>, IConsumer<MembershipSuspended>, IConsumer<MembershipReinstated>,
    IConsumer<MembershipWithdrawn>, IConsumer<MembershipRejected>
{
    public Task Consume(ConsumeContext<MembershipActivated> context)
    {
        var m = context.Message;
        return ApplyAsync(m.ConsortiumId, m.OrganizationId, m.OrganizationName, m.OrganizationNameZh, m.OrganizationKind, MemberStatus.Active, m.Version, m.OccurredAt, null, context.CancellationToken);
    }

    public Task Consume(ConsumeContext<MembershipSuspended> context)
    {
        var m = context.Message;
        return ApplyAsync(m.ConsortiumId, m.OrganizationId, m.OrganizationName, m.OrganizationNameZh, null, MemberStatus.Suspended, m.Version, m.OccurredAt, m.Reason, context.CancellationToken);
    }

    public Task Consume(ConsumeContext<MembershipReinstated> context)
    {
        var m = context.Message;
        return ApplyAsync(m.ConsortiumId, m.OrganizationId, m.OrganizationName, m.OrganizationNameZh, m.OrganizationKind, MemberStatus.Active, m.Version, m.OccurredAt, m.Reason, context.CancellationToken);
    }

    public Task Consume(ConsumeContext<MembershipWithdrawn> context)
    {
        var m = context.Message;
        return ApplyAsync(m.ConsortiumId, m.OrganizationId, m.OrganizationName, m.OrganizationNameZh, null, MemberStatus.Withdrawn, m.Version, m.OccurredAt, m.Reason, context.CancellationToken);
    }

    public Task Consume(ConsumeContext<MembershipRejected> context)
    {
        var m = context.Message;
        return ApplyAsync(m.ConsortiumId, m.OrganizationId, m.OrganizationName, m.OrganizationNameZh, null, MemberStatus.Rejected, m.Version, m.OccurredAt, m.Reason, context.CancellationToken);
    }

    private async Task ApplyAsync(Guid consortiumId, Guid organizationId, string name, string? nameZh, string? kind, MemberStatus status, long version,
        DateTimeOffset at, string? reason, CancellationToken cancellationToken)
    {
        var member = await db.Members.FindAsync([consortiumId, organizationId], cancellationToken);
        if (member is null)
        {
            // The kind is unknown only when the first event we see is a suspension or withdrawal (e.g. a late consumer).
            var knownKind = kind ?? await db.Organizations.Where(o => o.Id == organizationId).Select(o => o.Kind).FirstOrDefaultAsync(cancellationToken) ?? "unknown";
            db.Members.Add(Member.Create(consortiumId, organizationId, name, knownKind, status, version, at, nameZh));
            return;
        }

        var wasActive = member.IsActive;
        if (!member.TryApply(status, version, at, name, kind, nameZh)) return;

        if (wasActive && !member.IsActive)
        {
            // Membership's reason stays private (its history shows it to the operator and the member only): never copied into the program's.
            var because = $"{name} was {(status == MemberStatus.Suspended ? "suspended" : status.ToString().ToLowerInvariant())}";
            foreach (var program in await ProgramsOfAsync(consortiumId, organizationId, cancellationToken))
            {
                if (program.PauseFor(organizationId, because) is { } transition)
                    await ProgramAnnouncements.AnnounceAsync(db, program, transition, at, cancellationToken);
            }
        }
        else if (!wasActive && member.IsActive)
        {
            var because = $"{name} was reinstated";
            foreach (var program in await ProgramsOfAsync(consortiumId, organizationId, cancellationToken))
            {
                if (program.ResumeFor(organizationId, because) is { } transition)
                    await ProgramAnnouncements.AnnounceAsync(db, program, transition, at, cancellationToken);
            }
        }
    }

    private Task<List<CooperationProgram>> ProgramsOfAsync(Guid consortiumId, Guid organizationId, CancellationToken cancellationToken) =>
        db.Programs.Where(p => p.ConsortiumId == consortiumId && (p.CollegeIds.Contains(organizationId) || p.EnterpriseIds.Contains(organizationId)))
            .OrderBy(p => p.Id).ToListAsync(cancellationToken);
}

/// <summary>Keeps organization profiles (name, kind, region) for matching and names.</summary>
public sealed class OrganizationConsumer(TalentPipelineDbContext db) : IConsumer<OrganizationRegistered>, IConsumer<OrganizationUpdated>
{
    public Task Consume(ConsumeContext<OrganizationRegistered> context)
    {
        var m = context.Message;
        return UpsertAsync(m.OrganizationId, m.Name, m.Kind, m.Region, m.OccurredAt, context.CancellationToken);
    }

    public Task Consume(ConsumeContext<OrganizationUpdated> context)
    {
        var m = context.Message;
        return UpsertAsync(m.OrganizationId, m.Name, m.Kind, m.Region, m.OccurredAt, context.CancellationToken);
    }

    // One statement that commutes: the newest profile wins whatever order the events arrive in.
    private Task UpsertAsync(Guid id, string name, string kind, string region, DateTimeOffset at, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlAsync($"""
            INSERT INTO organizations (id, name, kind, region, updated_at) VALUES ({id}, {name}, {kind}, {region}, {at.ToUniversalTime()})
            ON CONFLICT (id) DO UPDATE SET name = excluded.name, kind = excluded.kind, region = excluded.region, updated_at = excluded.updated_at
             WHERE organizations.updated_at <= excluded.updated_at
            """, cancellationToken);
}
