namespace Platform.Events.Domain;

/// <summary>Why membership refused a recording: a field path (e.g. <c>designations[3].organizationId</c>) and its reasons.</summary>
public sealed record DesignationRefusal
{
    public required string Field { get; init; }
    public required List<string> Reasons { get; init; }
}
