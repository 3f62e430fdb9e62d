namespace Platform.Events.Consumers;

/// <summary>
/// Keeps the member directory (consortia, organizations, memberships) from membership's events. Upserts that keep
/// the newest state (memberships by membership's version, the rest by the events' own time), so a late or
/// reordered delivery never rolls a status back (<see cref="KnownMembership.TryApply"/>).
/// </summary>
public sealed class MemberDirectoryConsumer(EventsDbContext db) :
    IConsumer<ConsortiumEstablished>,
    IConsumer<OrganizationRegistered>,
    IConsumer<OrganizationUpdated>,
    IConsumer<MembershipApplied>,
    IConsumer<MembershipActivated>,
    IConsumer<MembershipRejected>,
    IConsumer<MembershipSuspended>,
    IConsumer<MembershipReinstated>,
    IConsumer<MembershipWithdrawn>
{
    public Task Consume(ConsumeContext<ConsortiumEstablished> context)
    {
        var m = context.Message;
        return db.Database.ExecuteSqlAsync($"""
            INSERT INTO known_consortia (id, name, name_zh, time_zone, changed_at) VALUES ({m.ConsortiumId}, {m.Name}, {m.NameZh}, {m.TimeZone}, {m.OccurredAt.ToUniversalTime()})
            ON CONFLICT (id) DO UPDATE SET name = excluded.name, name_zh = excluded.name_zh, time_zone = excluded.time_zone, changed_at = excluded.changed_at
             WHERE known_consortia.changed_at <= excluded.changed_at
            """, context.CancellationToken);
    }

    public Task Consume(ConsumeContext<OrganizationRegistered> context) =>
        OrganizationAsync(context.Message.OrganizationId, context.Message.Name, context.Message.NameZh, context.Message.Kind, context.Message.OccurredAt, context.CancellationToken);

    public Task Consume(ConsumeContext<OrganizationUpdated> context) =>
        OrganizationAsync(context.Message.OrganizationId, context.Message.Name, context.Message.NameZh, context.Message.Kind, context.Message.OccurredAt, context.CancellationToken);

    public async Task Consume(ConsumeContext<MembershipApplied> context)
    {
        var m = context.Message;
        await OrganizationAsync(m.OrganizationId, m.OrganizationName, m.OrganizationNameZh, m.OrganizationKind, m.OccurredAt, context.CancellationToken);
        await MembershipAsync(m.ConsortiumId, m.OrganizationId, m.MembershipId, MembershipStatus.Applied, m.Version, m.OccurredAt, context.CancellationToken);
    }

    public async Task Consume(ConsumeContext<MembershipActivated> context)
    {
        var m = context.Message;
        await OrganizationAsync(m.OrganizationId, m.OrganizationName, m.OrganizationNameZh, m.OrganizationKind, m.OccurredAt, context.CancellationToken);
        await MembershipAsync(m.ConsortiumId, m.OrganizationId, m.MembershipId, MembershipStatus.Active, m.Version, m.OccurredAt, context.CancellationToken);
    }

    public Task Consume(ConsumeContext<MembershipRejected> context) =>
        MembershipAsync(context.Message.ConsortiumId, context.Message.OrganizationId, context.Message.MembershipId, MembershipStatus.Rejected, context.Message.Version, context.Message.OccurredAt, context.CancellationToken);

    public Task Consume(ConsumeContext<MembershipSuspended> context) =>
        MembershipAsync(context.Message.ConsortiumId, context.Message.OrganizationId, context.Message.MembershipId, MembershipStatus.Suspended, context.Message.Version, context.Message.OccurredAt, context.CancellationToken);

    public async Task Consume(ConsumeContext<MembershipReinstated> context)
    {
        var m = context.Message;
        await OrganizationAsync(m.OrganizationId, m.OrganizationName, m.OrganizationNameZh, m.OrganizationKind, m.OccurredAt, context.CancellationToken);
        await MembershipAsync(m.ConsortiumId, m.OrganizationId, m.MembershipId, MembershipStatus.Active, m.Version, m.OccurredAt, context.CancellationToken);
    }

    public Task Consume(ConsumeContext<MembershipWithdrawn> context) =>
        MembershipAsync(context.Message.ConsortiumId, context.Message.OrganizationId, context.Message.MembershipId, MembershipStatus.Withdrawn, context.Message.Version, context.Message.OccurredAt, context.CancellationToken);

    // A message from before Chinese names were carried (nameZh null) clears a Chinese name only when it is newer,
    // as every field here: the newest announcement is the whole truth about the organization.
    private Task OrganizationAsync(Guid id, string name, string? nameZh, string kind, DateTimeOffset at, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlAsync($"""
            INSERT INTO known_organizations (id, name, name_zh, kind, changed_at) VALUES ({id}, {name}, {nameZh}, {kind}, {at.ToUniversalTime()})
            ON CONFLICT (id) DO UPDATE SET name = excluded.name, name_zh = excluded.name_zh, kind = excluded.kind, changed_at = excluded.changed_at
             WHERE known_organizations.changed_at <= excluded.changed_at
            """, cancellationToken);

    // The row is locked for the inbox's transaction, so announcements about one membership apply one at a time; two
    // first announcements racing to insert it fail one attempt, and its retry finds the row. The order rule is the domain's.
    private async Task MembershipAsync(Guid consortiumId, Guid organizationId, Guid membershipId, MembershipStatus status, long version, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var membership = await db.LockMembershipAsync(consortiumId, organizationId, cancellationToken);
        if (membership is null) db.KnownMemberships.Add(KnownMembership.Create(consortiumId, organizationId, membershipId, status, version, at));
        else membership.TryApply(status, version, at, membershipId);
    }
}
