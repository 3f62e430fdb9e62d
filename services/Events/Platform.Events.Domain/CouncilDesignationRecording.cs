namespace Platform.Events.Domain;

/// <summary>
/// Council roles designated at a council (or founding) meeting. Membership owns the roles: it applies the
/// designations as a whole or rejects them, and this recording shows which (pending → applied | rejected).
/// </summary>
public sealed class CouncilDesignationRecording
{
    private CouncilDesignationRecording() { }

    public CouncilDesignationRecording(Guid id, ConsortiumEvent meeting, int sessionNumber, IEnumerable<Designation> designations, DateTimeOffset recordedAt)
    {
        ArgumentNullException.ThrowIfNull(meeting);
        if (!meeting.AcceptsOutcomes) throw new InvalidOperationException("Designations are recorded on a held event.");
        if (!IsCouncilMeeting(meeting.Kind)) throw new InvalidOperationException("Council roles are designated at a council or founding meeting.");
        Id = id;
        EventId = meeting.Id;
        ConsortiumId = meeting.ConsortiumId;
        SessionNumber = sessionNumber;
        Designations = [.. designations];
        RecordedAt = recordedAt;
    }

    public static bool IsCouncilMeeting(EventKind kind) => kind is EventKind.CouncilMeeting or EventKind.FoundingMeeting;

    public Guid Id { get; private set; }
    public Guid EventId { get; private set; }
    public Guid ConsortiumId { get; private set; }
    public int SessionNumber { get; private set; }
    public List<Designation> Designations { get; private set; } = [];
    public DesignationsState State { get; private set; } = DesignationsState.Pending;
    public List<DesignationRefusal> Refusals { get; private set; } = [];
    public DateTimeOffset RecordedAt { get; private set; }
    public DateTimeOffset? ResolvedAt { get; private set; }

    /// <summary>Membership applied the designations. A repeat answer changes nothing; a rejection is not overturned.</summary>
    public void MarkApplied(DateTimeOffset at)
    {
        if (State != DesignationsState.Pending) return;
        State = DesignationsState.Applied;
        ResolvedAt = at;
    }

    /// <summary>Membership refused the designations as a whole.</summary>
    public void MarkRejected(IEnumerable<DesignationRefusal> refusals, DateTimeOffset at)
    {
        if (State != DesignationsState.Pending) return;
        State = DesignationsState.Rejected;
        Refusals = [.. refusals];
        ResolvedAt = at;
    }
}
