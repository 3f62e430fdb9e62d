namespace Platform.Membership.Domain;

/// <summary>
/// A member (or would-be member) organization: a college, enterprise, research institute, government body,
/// industry association or skill-evaluation organization. Organizations exist independently of consortia
/// and can belong to several.
/// </summary>
public sealed class Organization
{
    private Organization()
    {
    }

    public Guid Id { get; private set; }
    public string Name { get; private set; } = "";
    /// <summary>The name in Simplified Chinese, when known; shown to Chinese readers instead of <see cref="Name"/>.</summary>
    public string? NameZh { get; private set; }
    public OrganizationKind Kind { get; private set; }
    public string Region { get; private set; } = "";
    /// <summary>GB 32100 code; optional, unique when given.</summary>
    public string? UnifiedSocialCreditCode { get; private set; }
    /// <summary>True for invented demo organizations, so nobody mistakes them for real ones.</summary>
    public bool IsIllustrative { get; private set; }
    public DateTimeOffset RegisteredAt { get; private set; }
    public DateTimeOffset UpdatedAt { get; private set; }

    public static Organization Register(Guid id, string name, OrganizationKind kind, string region, UnifiedSocialCreditCode? code,
        bool isIllustrative, DateTimeOffset at, string? nameZh = null) =>
        new()
        {
            Id = id,
            Name = name.Trim(),
            NameZh = ChineseName.Normalize(nameZh),
            Kind = kind,
            Region = region.Trim(),
            UnifiedSocialCreditCode = code?.Value,
            IsIllustrative = isIllustrative,
            RegisteredAt = at,
            UpdatedAt = at,
        };

    /// <summary>Changes the profile; the kind and credit code identify the organization and do not change here.</summary>
    public void UpdateProfile(string name, string? nameZh, string region, DateTimeOffset at)
    {
        Name = name.Trim();
        NameZh = ChineseName.Normalize(nameZh);
        Region = region.Trim();
        UpdatedAt = at;
    }
}

/// <summary>
/// A vocational education group or industry–education consortium: the council of members that jointly
/// trains skilled talent in a region or sector.
/// </summary>
public sealed class Consortium
{
    private Consortium()
    {
    }

    public Guid Id { get; private set; }
    public string Name { get; private set; } = "";
    /// <summary>The name in Simplified Chinese, when known.</summary>
    public string? NameZh { get; private set; }
    public ConsortiumKind Kind { get; private set; }
    public string Region { get; private set; } = "";
    /// <summary>Sectors it serves, e.g. "intelligent manufacturing".</summary>
    public List<string> Sectors { get; private set; } = [];
    /// <summary>The organizations that lead it (e.g. a management committee, a college and an enterprise).</summary>
    public List<Guid> LeadOrganizationIds { get; private set; } = [];
    public DateOnly? EstablishedOn { get; private set; }
    /// <summary>IANA time zone its events are shown in.</summary>
    public string TimeZone { get; private set; } = DefaultTimeZone;
    public DateTimeOffset CreatedAt { get; private set; }
    /// <summary>Bumped by the database whenever the member list changes (see migration 0003); the list's cache key and ETag.</summary>
    public long MemberListVersion { get; private set; }

    public const string DefaultTimeZone = "Asia/Shanghai";

    public static Consortium Establish(Guid id, string name, ConsortiumKind kind, string region, IEnumerable<string> sectors,
        IEnumerable<Guid> leadOrganizationIds, DateOnly? establishedOn, string? timeZone, DateTimeOffset at, string? nameZh = null) =>
        new()
        {
            Id = id,
            Name = name.Trim(),
            NameZh = ChineseName.Normalize(nameZh),
            Kind = kind,
            Region = region.Trim(),
            Sectors = [.. sectors.Select(s => s.Trim()).Where(s => s.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase)],
            LeadOrganizationIds = [.. leadOrganizationIds.Distinct()],
            EstablishedOn = establishedOn,
            TimeZone = timeZone ?? DefaultTimeZone,
            CreatedAt = at,
        };
}

/// <summary>The optional Simplified Chinese name organizations and consortia keep beside their (English) name.</summary>
public static class ChineseName
{
    /// <summary>Longest Chinese name, in characters once trimmed (registered names are far shorter; this bounds abuse).</summary>
    public const int MaxLength = 200;

    /// <summary>Trimmed; null when absent (a blank name is refused at the request edge, never stored as "").</summary>
    public static string? Normalize(string? nameZh) => string.IsNullOrWhiteSpace(nameZh) ? null : nameZh.Trim();
}
