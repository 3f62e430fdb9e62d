namespace Platform.Events.Features.Directory;

/// <summary>Questions the endpoints ask the member directory (the read model of membership's events).</summary>
public static class MemberDirectory
{
    /// <summary>The organizations among <paramref name="organizationIds"/> that are active members of the consortium, with their names and kinds.</summary>
    public static async Task<Dictionary<Guid, NamedOrganization>> ActiveMembersAsync(this EventsDbContext db, Guid consortiumId,
        IEnumerable<Guid> organizationIds, CancellationToken cancellationToken)
    {
        var ids = organizationIds.Distinct().ToList();
        var rows = await (from m in db.KnownMemberships
                          join o in db.KnownOrganizations on m.OrganizationId equals o.Id
                          where m.ConsortiumId == consortiumId && m.Status == MembershipStatus.Active && ids.Contains(m.OrganizationId)
                          select new NamedOrganization { OrganizationId = o.Id, Name = o.Name, NameZh = o.NameZh, Kind = o.Kind })
            .ToListAsync(cancellationToken);
        return rows.ToDictionary(o => o.OrganizationId);
    }

    /// <summary>Known organizations among <paramref name="organizationIds"/>, whatever their memberships.</summary>
    public static async Task<Dictionary<Guid, NamedOrganization>> OrganizationsAsync(this EventsDbContext db, IEnumerable<Guid> organizationIds,
        CancellationToken cancellationToken)
    {
        var ids = organizationIds.Distinct().ToList();
        var rows = await db.KnownOrganizations.Where(o => ids.Contains(o.Id))
            .Select(o => new NamedOrganization { OrganizationId = o.Id, Name = o.Name, NameZh = o.NameZh, Kind = o.Kind })
            .ToListAsync(cancellationToken);
        return rows.ToDictionary(o => o.OrganizationId);
    }

    /// <summary>The consortium's zone (Asia/Shanghai until membership says otherwise).</summary>
    public static async Task<TimeZoneInfo> ZoneOfAsync(this EventsDbContext db, Guid consortiumId, CancellationToken cancellationToken)
    {
        var zone = await db.KnownConsortia.Where(c => c.Id == consortiumId).Select(c => c.TimeZone).SingleOrDefaultAsync(cancellationToken);
        return ConsortiumTime.Zone(zone);
    }
}
