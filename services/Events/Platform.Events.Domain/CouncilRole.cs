namespace Platform.Events.Domain;

/// <summary>A council role (membership's vocabulary).</summary>
public enum CouncilRole
{
    Chair,
    ViceChair,
    SecretaryGeneral,
    CouncilMember,
}
