namespace Platform.Membership.Features;

/// <summary>
/// A consortium's member list, council and mentors are visible to the operator and to the consortium's own
/// members (active or suspended); to anyone else the consortium answers 404, as if it did not exist.
/// </summary>
internal static class ConsortiumAccess
{
    public static async Task<bool> CanReadAsync(MembershipDbContext db, Caller caller, Guid consortiumId, CancellationToken cancellationToken)
    {
        if (caller.IsOperator) return await db.Consortia.AnyAsync(c => c.Id == consortiumId, cancellationToken);
        var organizationId = caller.OrganizationId;
        return await db.Memberships.Where(m => m.ConsortiumId == consortiumId && m.OrganizationId == organizationId)
            .AnyAsync(Domain.Membership.IsAdmittedExpression, cancellationToken);
    }
}
