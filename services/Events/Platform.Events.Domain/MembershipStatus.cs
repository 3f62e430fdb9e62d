namespace Platform.Events.Domain;

/// <summary>A membership's status as membership last announced it (membership's vocabulary).</summary>
public enum MembershipStatus
{
    /// <summary>Applied; not approved yet.</summary>
    Applied,
    Active,
    Rejected,
    /// <summary>Suspended by the consortium; still a member (reads its consortium's feed), but organizes and signs nothing.</summary>
    Suspended,
    Withdrawn,
}
