namespace Platform.Events.Domain;

/// <summary>What a feed entry tells about.</summary>
public enum FeedEntryKind
{
    ConsortiumEstablished,
    MemberJoined,
    MemberSuspended,
    MemberReinstated,
    MemberLeft,
    CouncilSessionOpened,
    CouncilRoleDesignated,
    CouncilRoleEnded,
    CharterApproved,
    ProgramLaunched,
    ProgramStatusChanged,
    /// <summary>One program's placement events of one (local) day, counted in <c>tally</c>.</summary>
    PlacementMilestones,
    EventScheduled,
    EventHeld,
    EventCancelled,
    AgreementSigned,
    PlaqueUnveiled,
    CompetitionResults,
}
