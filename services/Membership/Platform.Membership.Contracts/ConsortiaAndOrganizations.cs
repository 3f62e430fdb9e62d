namespace Platform.Membership.Contracts;

// Kinds, statuses and roles travel as the API's camelCase strings (e.g. "technicianCollege", "viceChair"):
// a consumer built against an older contract still reads a value added later.

/// <summary>A consortium (vocational education group or industry–education consortium) was established on the platform.</summary>
public sealed record ConsortiumEstablished
{
    public required Guid ConsortiumId { get; init; }
    public required string Name { get; init; }
    /// <summary>The name in Simplified Chinese; null when not known (and in messages from before it was carried).</summary>
    public string? NameZh { get; init; }
    /// <summary><c>vocationalEducationGroup</c> or <c>industryEducationConsortium</c>.</summary>
    public required string Kind { get; init; }
    public required string Region { get; init; }
    public required IReadOnlyList<string> Sectors { get; init; }
    public required IReadOnlyList<Guid> LeadOrganizationIds { get; init; }
    public DateOnly? EstablishedOn { get; init; }
    /// <summary>IANA time zone the consortium's events are shown in (default Asia/Shanghai).</summary>
    public required string TimeZone { get; init; }
    public required DateTimeOffset OccurredAt { get; init; }
}

/// <summary>An organization registered on the platform (it is not yet a member of any consortium).</summary>
public sealed record OrganizationRegistered
{
    public required Guid OrganizationId { get; init; }
    public required string Name { get; init; }
    /// <summary>The name in Simplified Chinese; null when not known (and in messages from before it was carried).</summary>
    public string? NameZh { get; init; }
    /// <summary>One of API.md's organization kinds, e.g. <c>technicianCollege</c>, <c>enterprise</c>.</summary>
    public required string Kind { get; init; }
    public required string Region { get; init; }
    public string? UnifiedSocialCreditCode { get; init; }
    public required DateTimeOffset OccurredAt { get; init; }
}

/// <summary>An organization's profile changed; carries the whole profile as it is now.</summary>
public sealed record OrganizationUpdated
{
    public required Guid OrganizationId { get; init; }
    public required string Name { get; init; }
    /// <summary>The name in Simplified Chinese; null when not known (and in messages from before it was carried).</summary>
    public string? NameZh { get; init; }
    public required string Kind { get; init; }
    public required string Region { get; init; }
    public string? UnifiedSocialCreditCode { get; init; }
    public required DateTimeOffset OccurredAt { get; init; }
}

/// <summary>The consortium's charter was approved (a new version).</summary>
public sealed record CharterApproved
{
    public required Guid ConsortiumId { get; init; }
    public required Guid CharterId { get; init; }
    public required int Version { get; init; }
    public required DateOnly ApprovedOn { get; init; }
    public int? ApprovedBySession { get; init; }
    public Uri? Link { get; init; }
    public required DateTimeOffset OccurredAt { get; init; }
}
