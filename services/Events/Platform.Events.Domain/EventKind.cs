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
