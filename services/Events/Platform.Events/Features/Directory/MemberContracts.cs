namespace Platform.Events.Features.Directory;

/// <summary>A member as the events service knows it (from membership's events): who may organize and sign.</summary>
public sealed record MemberResponse
{
    public required Guid OrganizationId { get; init; }
    /// <summary>Empty until membership has announced the organization.</summary>
    public required string Name { get; init; }
    /// <summary>The name in Simplified Chinese; null when membership has not given one.</summary>
    public string? NameZh { get; init; }
    /// <summary>Membership's organization kind, e.g. <c>technicianCollege</c>.</summary>
    public required string Kind { get; init; }
    /// <summary>Only active members organize events and sign agreements.</summary>
    public required MembershipStatus Status { get; init; }
    /// <summary>When the status was set (membership's time).</summary>
    public required DateTimeOffset ChangedAt { get; init; }
}
