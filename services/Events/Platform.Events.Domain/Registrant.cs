namespace Platform.Events.Domain;

/// <summary>The person who registers.</summary>
public sealed record Registrant(string Name, string? Title, Guid OrganizationId, string Email)
{
    /// <summary>One person per address and event: compared without case or surrounding spaces.</summary>
    public static string NormalizeEmail(string email)
    {
        ArgumentNullException.ThrowIfNull(email);
        return email.Trim().ToLowerInvariant();
    }
}
