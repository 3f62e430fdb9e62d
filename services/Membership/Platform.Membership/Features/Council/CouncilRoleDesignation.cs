using Microsoft.EntityFrameworkCore;
using Platform.Membership.Contracts;
using Platform.Membership.Domain;
using Platform.Membership.Persistence;
using Platform.ServiceDefaults.Http;
using Platform.ServiceDefaults.Messaging;
using DomainDesignation = Platform.Membership.Domain.CouncilDesignation;

namespace Platform.Membership.Features.Council;

/// <summary>What became of a bulk designation.</summary>
internal abstract record DesignationOutcome
{
    public sealed record NoSuchSession : DesignationOutcome;

    /// <summary>Only the latest session's roles can be designated; an earlier session's term is over.</summary>
    public sealed record NotCurrent(int CurrentNumber) : DesignationOutcome;

    public sealed record Refused(IReadOnlyList<DesignationProblem> Problems) : DesignationOutcome;

    public sealed record Applied(CouncilSession Session, int Assigned, int Revoked) : DesignationOutcome;
}

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

    public static async Task<DesignationOutcome> DesignateAsync(MembershipDbContext db, Guid consortiumId, int sessionNumber,
        IReadOnlyList<DomainDesignation> designations, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await LockCouncilAsync(db, consortiumId, cancellationToken);
        var session = await db.CouncilSessions.FirstOrDefaultAsync(s => s.ConsortiumId == consortiumId && s.Number == sessionNumber, cancellationToken);
        if (session is null) return new DesignationOutcome.NoSuchSession();
        var current = await db.CouncilSessions.Where(s => s.ConsortiumId == consortiumId).MaxAsync(s => s.Number, cancellationToken);
        if (current != session.Number) return new DesignationOutcome.NotCurrent(current);

        var active = await db.Memberships.Where(m => m.ConsortiumId == consortiumId && m.Status == MembershipStatus.Active).ToListAsync(cancellationToken);
        var problems = CouncilDesignationRules.Check(designations, active.Select(m => m.OrganizationId).ToHashSet());
        if (problems.Count > 0) return new DesignationOutcome.Refused(problems);

        var (assigned, revoked) = session.Redesignate(designations, now);
        var roles = designations.ToDictionary(d => d.OrganizationId, d => d.Role);
        foreach (var membership in active)
        {
            CouncilRole? role = roles.TryGetValue(membership.OrganizationId, out var r) ? r : null;
            if (membership.CouncilRole != role) membership.DesignateCouncilRole(role);
        }

        var involved = assigned.Concat(revoked).Select(d => d.OrganizationId).ToList();
        var names = await db.Organizations.Where(o => involved.Contains(o.Id)).ToDictionaryAsync(o => o.Id, o => o.Name, cancellationToken);
        foreach (var designation in assigned)
            db.AddIntegrationEvent(new CouncilRoleAssigned
            {
                ConsortiumId = consortiumId, SessionNumber = sessionNumber, OrganizationId = designation.OrganizationId,
                OrganizationName = names[designation.OrganizationId], Role = ApiEnum.Name(designation.Role), OccurredAt = now,
            });
        foreach (var designation in revoked)
            db.AddIntegrationEvent(new CouncilRoleRevoked
            {
                ConsortiumId = consortiumId, SessionNumber = sessionNumber, OrganizationId = designation.OrganizationId,
                OrganizationName = names.GetValueOrDefault(designation.OrganizationId, "(unknown organization)"), Role = ApiEnum.Name(designation.Role),
                Cause = "redesignated", OccurredAt = now,
            });
        return new DesignationOutcome.Applied(session, assigned.Count, revoked.Count);
    }
}
