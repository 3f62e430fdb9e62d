namespace Platform.TalentPipeline.Domain;

/// <summary>An organization's standing in one consortium, as membership last announced it.</summary>
public enum MemberStatus
{
    Active,
    Suspended,
    Withdrawn,
    Rejected,
}

/// <summary>
/// Read model of one membership, kept from membership's events: (consortium, organization) → status, name, kind.
/// Only an active member may be a party to a program, post demand or push placement events.
/// </summary>
public sealed class Member
{
    private Member(Guid consortiumId, Guid organizationId, string name, string kind)
    {
        ConsortiumId = consortiumId;
        OrganizationId = organizationId;
        Name = name;
        Kind = kind;
    }

    public Guid ConsortiumId { get; private set; }
    public Guid OrganizationId { get; private set; }
    public string Name { get; private set; }
    /// <summary>The name in Simplified Chinese, when membership gives one.</summary>
    public string? NameZh { get; private set; }
    /// <summary>Membership's organization kind string, e.g. <c>technicianCollege</c>, <c>enterprise</c>.</summary>
    public string Kind { get; private set; }
    public MemberStatus Status { get; private set; }
    /// <summary>When the event that set <see cref="Status"/> happened (by the producer's clock: shown, not used for order).</summary>
    public DateTimeOffset StatusChangedAt { get; private set; }
    /// <summary>Membership's version of the event that set <see cref="Status"/>; only a greater one changes it (0: from before versions).</summary>
    public long Version { get; private set; }

    public bool IsActive => Status == MemberStatus.Active;

    public static Member Create(Guid consortiumId, Guid organizationId, string name, string kind, MemberStatus status, long version, DateTimeOffset at,
        string? nameZh = null) =>
        new(consortiumId, organizationId, name, kind) { NameZh = nameZh, Status = status, Version = version, StatusChangedAt = at };

    /// <summary>
    /// Applies a status announced with membership's <paramref name="version"/>. Membership events can arrive out of
    /// order (retries, redeliveries, concurrent consumers) and producers' clocks can disagree, so an announcement
    /// whose version is not newer than the current one changes nothing and returns false. Version 0 (a producer from
    /// before versions) is ordered by time, and only against other version-0 announcements.
    /// </summary>
    public bool TryApply(MemberStatus status, long version, DateTimeOffset at, string name, string? kind, string? nameZh = null)
    {
        if (!IsNewer(version, at)) return false;
        Version = Math.Max(Version, version);
        Name = name;
        // The newest announcement's names are the truth: a Chinese name removed in membership goes here too.
        NameZh = nameZh;
        if (kind is not null) Kind = kind;
        var changed = Status != status;
        Status = status;
        StatusChangedAt = at;
        return changed;
    }

    private bool IsNewer(long version, DateTimeOffset at) => version > 0 ? version > Version : Version == 0 && at >= StatusChangedAt;

    /// <summary>Whether the organization kind is a college side (trains students) rather than an employer.</summary>
    public static bool IsCollegeKind(string kind) => kind is "technicianCollege" or "vocationalCollege" or "university";
}

/// <summary>An organization's profile (region for matching), kept from OrganizationRegistered/Updated.</summary>
public sealed class OrganizationProfile
{
    public Guid Id { get; set; }
    public required string Name { get; set; }
    public required string Kind { get; set; }
    public required string Region { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}
