namespace Platform.Events.Domain;

/// <summary>What membership did with recorded council designations.</summary>
public enum DesignationsState
{
    /// <summary>Recorded and published; membership has not answered yet.</summary>
    Pending,
    /// <summary>Membership applied them: the roles stand as recorded.</summary>
    Applied,
    /// <summary>Membership refused them as a whole; <c>reasons</c> say what to correct.</summary>
    Rejected,
}
