namespace Platform.Events.Domain;

/// <summary>One role designated at a council meeting.</summary>
public sealed record Designation
{
    public required Guid OrganizationId { get; init; }
    public required string OrganizationName { get; init; }
    public required CouncilRole Role { get; init; }
}
