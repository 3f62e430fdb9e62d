namespace Platform.Events.Domain;

/// <summary>An organization taking part in an outcome, named as the member directory knew it when it was recorded.</summary>
public sealed record NamedOrganization
{
    public required Guid OrganizationId { get; init; }
    public required string Name { get; init; }
    /// <summary>The name in Simplified Chinese, when membership knows it.</summary>
    public string? NameZh { get; init; }
    /// <summary>The organization kind in the API's words, e.g. <c>vocationalCollege</c>.</summary>
    public required string Kind { get; init; }
}
