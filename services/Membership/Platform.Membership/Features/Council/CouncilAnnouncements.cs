namespace Platform.Membership.Features.Council;

/// <summary>
/// The one place a council session's changes become integration events: handlers and consumers hand the domain's
/// change (a session opened, a role assigned or revoked) to these, never build the events themselves.
/// </summary>
internal static class CouncilAnnouncements
{
    /// <summary>Shown when the organization's name could not be found (it is never deleted; kept as a guard).</summary>
    private const string UnknownOrganization = "(unknown organization)";

    public static CouncilSessionOpened Opened(CouncilSession session) => new()
    {
        ConsortiumId = session.ConsortiumId, SessionNumber = session.Number, StartsOn = session.StartsOn, EndsOn = session.EndsOn, OccurredAt = session.OpenedAt,
    };

    public static CouncilRoleAssigned Assigned(RoleAssigned change, IReadOnlyDictionary<Guid, OrganizationNames> organizationNames) => new()
    {
        ConsortiumId = change.ConsortiumId, SessionNumber = change.SessionNumber, OrganizationId = change.OrganizationId,
        OrganizationName = organizationNames.GetValueOrDefault(change.OrganizationId)?.Name ?? UnknownOrganization,
        OrganizationNameZh = organizationNames.GetValueOrDefault(change.OrganizationId)?.NameZh, Role = ApiEnum.Name(change.Role), OccurredAt = change.At,
    };

    public static CouncilRoleRevoked Revoked(RoleRevoked change, IReadOnlyDictionary<Guid, OrganizationNames> organizationNames) => new()
    {
        ConsortiumId = change.ConsortiumId, SessionNumber = change.SessionNumber, OrganizationId = change.OrganizationId,
        OrganizationName = organizationNames.GetValueOrDefault(change.OrganizationId)?.Name ?? UnknownOrganization,
        OrganizationNameZh = organizationNames.GetValueOrDefault(change.OrganizationId)?.NameZh, Role = ApiEnum.Name(change.Role),
        Cause = ApiEnum.Name(change.Cause), OccurredAt = change.At,
    };
}

/// <summary>An organization's English and Chinese names, as the council's events and responses carry them.</summary>
internal sealed record OrganizationNames(string Name, string? NameZh)
{
    public static OrganizationNames Of(Organization o) => new(o.Name, o.NameZh);
}
