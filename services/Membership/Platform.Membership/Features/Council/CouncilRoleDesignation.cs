using DomainDesignation = Platform.Membership.Domain.CouncilDesignation;

namespace Platform.Membership.Features.Council;

/// <summary>
/// Designating council roles in bulk, the same way for the operator's PUT and for designations recorded at a
/// council meeting in the events service: all-or-nothing, only active members, at most one secretary-general.
/// Changes are tracked on the DbContext; the caller saves, inside the transaction it began (see <see cref="LockCouncilAsync"/>).
/// </summary>
internal static class CouncilRoleDesignation
{
    /// <summary>
    /// Locks the consortium's council until the transaction ends: opening a session and designating roles take this
    /// lock first, so a designation of session N either commits before N+1 opens (and N+1 ends those roles) or finds
    /// N+1 open and is refused. Without it, roles of N could be written after N+1 had ended N's term.
    /// </summary>
    public static async Task LockCouncilAsync(MembershipDbContext db, Guid consortiumId, CancellationToken cancellationToken)
    {
        if (db.Database.CurrentTransaction is null)
            throw new InvalidOperationException("The council lock lasts until the transaction ends; begin one first.");
        // NO KEY UPDATE: memberships referencing the consortium can still be inserted meanwhile.
        await db.Database.ExecuteSqlAsync($"SELECT 1 FROM consortia WHERE id = {consortiumId} FOR NO KEY UPDATE", cancellationToken);
    }

    /// <summary>Designates the session's roles (the rules are <see cref="CouncilSession.Designate"/>'s) and queues the role events; null when there is no such session.</summary>
    public static async Task<DesignationResult?> DesignateAsync(MembershipDbContext db, Guid consortiumId, int sessionNumber,
        IReadOnlyList<DomainDesignation> designations, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await LockCouncilAsync(db, consortiumId, cancellationToken);
        var session = await db.CouncilSessions.FirstOrDefaultAsync(s => s.ConsortiumId == consortiumId && s.Number == sessionNumber, cancellationToken);
        if (session is null) return null;
        var current = await db.CouncilSessions.Where(s => s.ConsortiumId == consortiumId).MaxAsync(s => s.Number, cancellationToken);
        var active = current == session.Number
            ? await db.Memberships.Where(m => m.ConsortiumId == consortiumId && m.Status == MembershipStatus.Active).ToListAsync(cancellationToken)
            : [];

        var result = session.Designate(designations, current, active, now);
        if (result is DesignationResult.Applied applied)
        {
            var involved = applied.Assigned.Select(d => d.OrganizationId).Concat(applied.Revoked.Select(d => d.OrganizationId)).ToList();
            var names = await db.Organizations.Where(o => involved.Contains(o.Id)).ToDictionaryAsync(o => o.Id, o => new OrganizationNames(o.Name, o.NameZh), cancellationToken);
            foreach (var change in applied.Assigned) db.AddIntegrationEvent(CouncilAnnouncements.Assigned(change, names));
            foreach (var change in applied.Revoked) db.AddIntegrationEvent(CouncilAnnouncements.Revoked(change, names));
        }
        return result;
    }
}
