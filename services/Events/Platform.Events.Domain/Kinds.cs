namespace Platform.Events.Domain;

/// <summary>What kind of gathering an event is (API.md).</summary>
public enum EventKind
{
    FoundingMeeting,
    CouncilMeeting,
    Symposium,
    SigningCeremony,
    UnveilingCeremony,
    SkillsCompetition,
    SiteVisit,
    JobFair,
    TrainingSession,
}

/// <summary>
/// An event's lifecycle: draft → scheduled → registrationOpen → registrationClosed → held, or cancelled from any
/// state before held.
/// </summary>
public enum EventStatus
{
    Draft,
    Scheduled,
    RegistrationOpen,
    RegistrationClosed,
    Held,
    Cancelled,
}

/// <summary>The lifecycle actions, one route each (<c>POST /api/v1/events/{eventId}/schedule</c>, ...).</summary>
public enum EventAction
{
    Schedule,
    OpenRegistration,
    CloseRegistration,
    Hold,
    Cancel,
}

/// <summary>Where a registration stands.</summary>
public enum RegistrationStatus
{
    /// <summary>Holds a seat.</summary>
    Registered,
    /// <summary>Waits for a seat; the first waitlisted is promoted when a registered person cancels.</summary>
    Waitlisted,
    Cancelled,
}

/// <summary>The kind of an agreement signed at an event.</summary>
public enum AgreementKind
{
    StrategicCooperation,
    FrameworkAgreement,
    OrderClass,
    TrainingCooperation,
    ProductionPractice,
    Other,
}

/// <summary>What an unveiled plaque establishes (the talent-pipeline program kinds of a base, or other).</summary>
public enum UnveilingKind
{
    TrainingBase,
    InternshipBase,
    EmploymentBase,
    TeacherPracticeCenter,
    Other,
}

/// <summary>A council role (membership's vocabulary).</summary>
public enum CouncilRole
{
    Chair,
    ViceChair,
    SecretaryGeneral,
    CouncilMember,
}

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
