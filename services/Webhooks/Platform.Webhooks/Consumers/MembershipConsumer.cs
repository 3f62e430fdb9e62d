using Platform.Membership.Contracts;

namespace Platform.Webhooks.Consumers;

/// <summary>
/// Keeps the member read model and tells a membership change to the organization itself (with membership's reason)
/// and to the consortium's other current members (without it). Runs through the inbox: the read model, the messages
/// and their deliveries commit together. Only a change newer than the one applied (membership's version) is told: a
/// late or reordered delivery would announce a state that is no longer true.
/// </summary>
public sealed class MembershipConsumer(WebhooksDbContext db, TimeProvider time) :
    IConsumer<MembershipApplied>, IConsumer<MembershipActivated>, IConsumer<MembershipRejected>, IConsumer<MembershipSuspended>,
    IConsumer<MembershipReinstated>, IConsumer<MembershipWithdrawn>
{
    private sealed record Change(Guid MembershipId, Guid ConsortiumId, Guid OrganizationId, string Name, string? Kind, MemberStatus Status,
        string? Reason, long Version, DateTimeOffset OccurredAt);

    public Task Consume(ConsumeContext<MembershipApplied> context)
    {
        var m = context.Message;
        return ApplyAsync(new(m.MembershipId, m.ConsortiumId, m.OrganizationId, m.OrganizationName, m.OrganizationKind, MemberStatus.Applied, null, m.Version, m.OccurredAt),
            null, context.CancellationToken);
    }

    public Task Consume(ConsumeContext<MembershipActivated> context)
    {
        var m = context.Message;
        return ApplyAsync(new(m.MembershipId, m.ConsortiumId, m.OrganizationId, m.OrganizationName, m.OrganizationKind, MemberStatus.Active, m.Reason, m.Version, m.OccurredAt),
            WebhookEventType.MembershipActivated, context.CancellationToken);
    }

    public Task Consume(ConsumeContext<MembershipRejected> context)
    {
        var m = context.Message;
        return ApplyAsync(new(m.MembershipId, m.ConsortiumId, m.OrganizationId, m.OrganizationName, null, MemberStatus.Rejected, m.Reason, m.Version, m.OccurredAt),
            null, context.CancellationToken);
    }

    public Task Consume(ConsumeContext<MembershipSuspended> context)
    {
        var m = context.Message;
        return ApplyAsync(new(m.MembershipId, m.ConsortiumId, m.OrganizationId, m.OrganizationName, null, MemberStatus.Suspended, m.Reason, m.Version, m.OccurredAt),
            WebhookEventType.MembershipSuspended, context.CancellationToken);
    }

    public Task Consume(ConsumeContext<MembershipReinstated> context)
    {
        var m = context.Message;
        return ApplyAsync(new(m.MembershipId, m.ConsortiumId, m.OrganizationId, m.OrganizationName, m.OrganizationKind, MemberStatus.Active, m.Reason, m.Version, m.OccurredAt),
            WebhookEventType.MembershipReinstated, context.CancellationToken);
    }

    public Task Consume(ConsumeContext<MembershipWithdrawn> context)
    {
        var m = context.Message;
        return ApplyAsync(new(m.MembershipId, m.ConsortiumId, m.OrganizationId, m.OrganizationName, null, MemberStatus.Withdrawn, m.Reason, m.Version, m.OccurredAt),
            WebhookEventType.MembershipWithdrawn, context.CancellationToken);
    }

    private async Task ApplyAsync(Change change, WebhookEventType? type, CancellationToken cancellationToken)
    {
        await OrganizationConsumer.FillGapsAsync(db, change.OrganizationId, change.Name, change.Kind, cancellationToken);
        var member = await db.Members.FindAsync([change.ConsortiumId, change.OrganizationId], cancellationToken);
        if (member is null)
        {
            member = ConsortiumMember.Create(change.ConsortiumId, change.OrganizationId, change.Status, change.Version, change.OccurredAt);
            db.Members.Add(member);
        }
        else if (!member.TryApply(change.Status, change.Version, change.OccurredAt))
        {
            return;
        }
        if (type is not { } eventType) return;

        var others = await db.Members.AsNoTracking()
            .Where(m => m.ConsortiumId == change.ConsortiumId && m.OrganizationId != change.OrganizationId).ToListAsync(cancellationToken);
        var audience = Audience.ForMembershipChange(member, others);
        var kind = change.Kind ?? await db.Organizations.Where(o => o.Id == change.OrganizationId).Select(o => o.Kind).FirstOrDefaultAsync(cancellationToken);
        var data = new MembershipWebhook(change.MembershipId, change.ConsortiumId, change.OrganizationId, change.Name, kind, ApiEnum.Name(change.Status),
            change.Reason, change.Version, change.OccurredAt);
        var now = time.GetUtcNow();
        if (change.Reason is null)
        {
            await Fanout.SendAsync(db, eventType, data, new HashSet<Guid>(audience.Others) { audience.Subject }, now, cancellationToken);
            return;
        }
        // Membership keeps reasons private: the organization's own endpoints get them, everyone else a copy without.
        await Fanout.SendAsync(db, eventType, data, new HashSet<Guid> { audience.Subject }, now, cancellationToken);
        await Fanout.SendAsync(db, eventType, data with { Reason = null }, audience.Others, now, cancellationToken);
    }
}

/// <summary>Keeps organizations' names and kinds (who may subscribe to placement.flagged, names in payloads).</summary>
public sealed class OrganizationConsumer(WebhooksDbContext db) : IConsumer<OrganizationRegistered>, IConsumer<OrganizationUpdated>
{
    /// <summary>What a profile announcement never set (a membership event seen first): its updated_at stays at the epoch, so any profile wins.</summary>
    private static readonly DateTimeOffset NeverAnnounced = DateTimeOffset.UnixEpoch;

    public Task Consume(ConsumeContext<OrganizationRegistered> context)
    {
        var m = context.Message;
        return UpsertAsync(m.OrganizationId, m.Name, m.Kind, m.OccurredAt, context.CancellationToken);
    }

    public Task Consume(ConsumeContext<OrganizationUpdated> context)
    {
        var m = context.Message;
        return UpsertAsync(m.OrganizationId, m.Name, m.Kind, m.OccurredAt, context.CancellationToken);
    }

    // One statement that commutes: the newest profile wins whatever order the events arrive in.
    private Task UpsertAsync(Guid id, string name, string kind, DateTimeOffset at, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlAsync($"""
            INSERT INTO organizations (id, name, kind, updated_at) VALUES ({id}, {name}, {kind}, {at.ToUniversalTime()})
            ON CONFLICT (id) DO UPDATE SET name = excluded.name, kind = excluded.kind, updated_at = excluded.updated_at
             WHERE organizations.updated_at <= excluded.updated_at
            """, cancellationToken);

    /// <summary>
    /// From a membership event: the name (until a profile is announced) and a kind still unknown. Membership events
    /// carry them, so a service that missed OrganizationRegistered still knows who is a college.
    /// </summary>
    internal static Task FillGapsAsync(WebhooksDbContext db, Guid id, string name, string? kind, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlAsync($"""
            INSERT INTO organizations (id, name, kind, updated_at) VALUES ({id}, {name}, {kind}, {NeverAnnounced})
            ON CONFLICT (id) DO UPDATE SET kind = COALESCE(organizations.kind, excluded.kind),
                name = CASE WHEN organizations.updated_at = {NeverAnnounced} THEN excluded.name ELSE organizations.name END
            """, cancellationToken);
}
