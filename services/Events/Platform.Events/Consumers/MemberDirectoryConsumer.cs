using MassTransit;
using Microsoft.EntityFrameworkCore;
using Platform.Events.Persistence;
using Platform.Membership.Contracts;

namespace Platform.Events.Consumers;

/// <summary>
/// Keeps the member directory (consortia, organizations, memberships) from membership's events. Upserts that keep
/// the newest state (memberships by membership's version, the rest by the events' own time), so a late or
/// reordered delivery never rolls a status back.
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
            INSERT INTO known_consortia (id, name, time_zone, changed_at) VALUES ({m.ConsortiumId}, {m.Name}, {m.TimeZone}, {m.OccurredAt.ToUniversalTime()})
            ON CONFLICT (id) DO UPDATE SET name = excluded.name, time_zone = excluded.time_zone, changed_at = excluded.changed_at
             WHERE known_consortia.changed_at <= excluded.changed_at
            """, context.CancellationToken);
    }

    public Task Consume(ConsumeContext<OrganizationRegistered> context) =>
        OrganizationAsync(context.Message.OrganizationId, context.Message.Name, context.Message.Kind, context.Message.OccurredAt, context.CancellationToken);

    public Task Consume(ConsumeContext<OrganizationUpdated> context) =>
        OrganizationAsync(context.Message.OrganizationId, context.Message.Name, context.Message.Kind, context.Message.OccurredAt, context.CancellationToken);

    public async Task Consume(ConsumeContext<MembershipApplied> context)
    {
        var m = context.Message;
        await OrganizationAsync(m.OrganizationId, m.OrganizationName, m.OrganizationKind, m.OccurredAt, context.CancellationToken);
        await MembershipAsync(m.ConsortiumId, m.OrganizationId, m.MembershipId, "applied", m.Version, m.OccurredAt, context.CancellationToken);
    }

    public async Task Consume(ConsumeContext<MembershipActivated> context)
    {
        var m = context.Message;
        await OrganizationAsync(m.OrganizationId, m.OrganizationName, m.OrganizationKind, m.OccurredAt, context.CancellationToken);
        await MembershipAsync(m.ConsortiumId, m.OrganizationId, m.MembershipId, "active", m.Version, m.OccurredAt, context.CancellationToken);
    }

    public Task Consume(ConsumeContext<MembershipRejected> context) =>
        MembershipAsync(context.Message.ConsortiumId, context.Message.OrganizationId, context.Message.MembershipId, "rejected", context.Message.Version, context.Message.OccurredAt, context.CancellationToken);

    public Task Consume(ConsumeContext<MembershipSuspended> context) =>
        MembershipAsync(context.Message.ConsortiumId, context.Message.OrganizationId, context.Message.MembershipId, "suspended", context.Message.Version, context.Message.OccurredAt, context.CancellationToken);

    public async Task Consume(ConsumeContext<MembershipReinstated> context)
    {
        var m = context.Message;
        await OrganizationAsync(m.OrganizationId, m.OrganizationName, m.OrganizationKind, m.OccurredAt, context.CancellationToken);
        await MembershipAsync(m.ConsortiumId, m.OrganizationId, m.MembershipId, "active", m.Version, m.OccurredAt, context.CancellationToken);
    }

    public Task Consume(ConsumeContext<MembershipWithdrawn> context) =>
        MembershipAsync(context.Message.ConsortiumId, context.Message.OrganizationId, context.Message.MembershipId, "withdrawn", context.Message.Version, context.Message.OccurredAt, context.CancellationToken);

    private Task OrganizationAsync(Guid id, string name, string kind, DateTimeOffset at, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlAsync($"""
            INSERT INTO known_organizations (id, name, kind, changed_at) VALUES ({id}, {name}, {kind}, {at.ToUniversalTime()})
            ON CONFLICT (id) DO UPDATE SET name = excluded.name, kind = excluded.kind, changed_at = excluded.changed_at
             WHERE known_organizations.changed_at <= excluded.changed_at
            """, cancellationToken);

    // Ordered by membership's version, not by the producers' clocks; version 0 (a producer from before versions)
    // only against other version-0 rows, by time.
    private Task MembershipAsync(Guid consortiumId, Guid organizationId, Guid membershipId, string status, long version, DateTimeOffset at, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlAsync($"""
            INSERT INTO known_memberships (consortium_id, organization_id, membership_id, status, changed_at, version)
            VALUES ({consortiumId}, {organizationId}, {membershipId}, {status}, {at.ToUniversalTime()}, {version})
            ON CONFLICT (consortium_id, organization_id) DO UPDATE
               SET membership_id = excluded.membership_id, status = excluded.status, changed_at = excluded.changed_at, version = excluded.version
             WHERE CASE WHEN excluded.version > 0 THEN excluded.version > known_memberships.version
                        ELSE known_memberships.version = 0 AND known_memberships.changed_at <= excluded.changed_at END
            """, cancellationToken);
}
