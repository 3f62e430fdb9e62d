namespace Platform.Webhooks.Domain;

/// <summary>An organization's standing in one consortium, as membership last announced it.</summary>
public enum MemberStatus
{
    /// <summary>Applied, not decided yet: not a member.</summary>
    Applied,
    Active,
    Suspended,
    Withdrawn,
    Rejected,
}

/// <summary>
/// Read model of one membership, kept from membership's events: who may hear a consortium's news. Ordered by
/// membership's per-membership version, never by the producers' clocks.
/// </summary>
public sealed class ConsortiumMember
{
    private ConsortiumMember() { }

    public Guid ConsortiumId { get; private set; }
    public Guid OrganizationId { get; private set; }
    public MemberStatus Status { get; private set; }

    /// <summary>Membership's version of the event that set <see cref="Status"/> (0: a producer from before versions).</summary>
    public long Version { get; private set; }

    /// <summary>When that event happened, by the producer's clock: orders version-0 events only.</summary>
    public DateTimeOffset StatusChangedAt { get; private set; }

    /// <summary>Active or suspended: still in the consortium, so it hears the consortium's news.</summary>
    public bool IsCurrent => Status is MemberStatus.Active or MemberStatus.Suspended;

    public static ConsortiumMember Create(Guid consortiumId, Guid organizationId, MemberStatus status, long version, DateTimeOffset at) => new()
    {
        ConsortiumId = consortiumId, OrganizationId = organizationId, Status = status, Version = version, StatusChangedAt = at,
    };

    /// <summary>
    /// Applies a status announced with membership's <paramref name="version"/>; returns false (and changes nothing)
    /// when the announcement is not newer than the one applied: a late, duplicated or reordered delivery. Version 0 is
    /// ordered by time, and only against other version-0 announcements.
    /// </summary>
    public bool TryApply(MemberStatus status, long version, DateTimeOffset at)
    {
        var newer = version > 0 ? version > Version : Version == 0 && at > StatusChangedAt;
        if (!newer) return false;
        Version = Math.Max(Version, version);
        Status = status;
        StatusChangedAt = at;
        return true;
    }
}

/// <summary>An organization's name and kind, from OrganizationRegistered/Updated (the kind also from membership's events).</summary>
public sealed class KnownOrganization
{
    private KnownOrganization() { }

    public Guid Id { get; private set; }
    public string Name { get; private set; } = "";

    /// <summary>Membership's kind string, e.g. <c>technicianCollege</c>, <c>enterprise</c>; null while unknown.</summary>
    public string? Kind { get; private set; }

    /// <summary>When the profile was announced; a membership event that only filled a gap leaves it at the minimum, so any profile wins.</summary>
    public DateTimeOffset UpdatedAt { get; private set; }

    public bool IsCollege => Audience.IsCollegeKind(Kind);
}
