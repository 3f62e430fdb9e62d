namespace Platform.Events.Domain;

/// <summary>An organization as membership announced it.</summary>
public sealed class KnownOrganization
{
    public Guid Id { get; set; }
    public required string Name { get; set; }
    /// <summary>The name in Simplified Chinese, when membership knows it.</summary>
    public string? NameZh { get; set; }
    /// <summary>The API's organization kind, e.g. <c>technicianCollege</c>.</summary>
    public required string Kind { get; set; }
    public DateTimeOffset ChangedAt { get; set; }
}
