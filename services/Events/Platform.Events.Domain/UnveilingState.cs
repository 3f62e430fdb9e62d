namespace Platform.Events.Domain;

/// <summary>What talent-pipeline did with an unveiled plaque.</summary>
public enum UnveilingState
{
    /// <summary>Not a base or center (kind <c>other</c>): no program is involved.</summary>
    Recorded,
    /// <summary>Published; talent-pipeline has not answered yet.</summary>
    Pending,
    /// <summary>The base program is active (or resumes as active once its paused parties are reinstated).</summary>
    Applied,
    /// <summary>Refused as a whole; <c>reasons</c> say why. No program changed.</summary>
    Rejected,
}
