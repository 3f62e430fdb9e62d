namespace Platform.Events.Features.Directory;

/// <summary>
/// A consortium's member directory, feed and agreements register are visible to the operator and to the consortium's
/// own members (active or suspended, as this service last heard from membership), as in membership itself. Anyone else
/// is answered 404, as if the consortium did not exist; and so is everyone for a consortium this service never heard of.
/// </summary>
public static class ConsortiumAccess
{
    public static async Task<bool> CanReadConsortiumAsync(this EventsDbContext db, Caller caller, Guid consortiumId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (caller.IsOperator)
        {
            // Announced by ConsortiumEstablished, or at least by a membership in it (messages may arrive in any order).
            return await db.KnownConsortia.AnyAsync(c => c.Id == consortiumId, cancellationToken)
                   || await db.KnownMemberships.AnyAsync(m => m.ConsortiumId == consortiumId, cancellationToken);
        }
        var organizationId = caller.OrganizationId;
        return await db.KnownMemberships.Where(m => m.ConsortiumId == consortiumId && m.OrganizationId == organizationId)
            .AnyAsync(KnownMembership.BelongsToConsortium, cancellationToken);
    }
}
