using static Platform.DemoData.Seeds.StoryOrganizations;

namespace Platform.DemoData.Seeds;

/// <summary>The event kinds of the events API.</summary>
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

/// <summary>The agreement kinds of the events API; orderClass, trainingCooperation and productionPractice make a program in talent-pipeline.</summary>
public enum AgreementKind
{
    StrategicCooperation,
    FrameworkAgreement,
    OrderClass,
    TrainingCooperation,
    ProductionPractice,
    Other,
}

/// <summary>The unveiling kinds of the events API; every kind but <c>other</c> launches a base program in talent-pipeline.</summary>
public enum UnveilingKind
{
    TrainingBase,
    InternshipBase,
    EmploymentBase,
    TeacherPracticeCenter,
    Other,
}

/// <summary>An agreement signed at an event, between active members of its consortium (the events API needs two or more).</summary>
public sealed record StoryAgreement(AgreementKind Kind, string Title, IReadOnlyList<string> PartySlugs, string? Occupation = null);

/// <summary>A plaque unveiled at an event, hosted by an active member.</summary>
public sealed record StoryUnveiling(string Name, string HostSlug, UnveilingKind Kind);

/// <summary>A competition entrant: an illustrative trainee ref (never a real person), the college, the rank and the award.</summary>
public sealed record StoryEntrant(string TraineeRef, string CollegeSlug, int Rank, string? Award);

/// <summary>
/// A consortium event as a story tells it: the natural key is consortium + title + day (the loader finds it by
/// that before planning it). Times are the consortium's local time (China Standard Time, +08:00).
/// </summary>
public sealed record StoryEvent(string Slug, string ConsortiumSlug, EventKind Kind, string Title, string Venue, DateOnly Day,
    TimeOnly Starts, TimeOnly Ends, string Story)
{
    public IReadOnlyList<string> OrganizerSlugs { get; init; } = [];
    public int Capacity { get; init; } = 150;
    public IReadOnlyList<StoryAgreement> Agreements { get; init; } = [];
    public IReadOnlyList<StoryUnveiling> Unveilings { get; init; } = [];
    public IReadOnlyList<StoryEntrant> CompetitionResults { get; init; } = [];

    public DateTimeOffset StartsAt => new(Day, Starts, ChinaStandardTime);
    public DateTimeOffset EndsAt => new(Day, Ends, ChinaStandardTime);

    public static readonly TimeSpan ChinaStandardTime = TimeSpan.FromHours(8);
}

/// <summary>
/// The events of the five stories, on the days <see cref="StoryCalendar"/> gives. What the events API cannot hold
/// is left out and said here (see also the README's "Demo data"): an agreement needs two active members of the
/// consortium, so the Jining college's agreement with the Hi-tech Zone and the Jinan college's framework agreement
/// with the Changqing District People's Government (neither a member) are not recorded; the Jinan council's
/// 3/19/1/6 designations come from the membership step (the roles route), not again as a meeting outcome; the
/// Deep Spring site visit (story 004) belongs to no consortium the stories name, and an event needs one.
/// </summary>
public static class StoryEvents
{
    private static readonly string Jining = StoryConsortia.Jining.Slug;
    private static readonly string Jinan = StoryConsortia.Jinan.Slug;
    private static readonly string Tianjin = StoryConsortia.Tianjin.Slug;

    /// <summary>Story 000: the municipal training base and two more bases unveiled; China Coal Group hosts the intelligent manufacturing one.</summary>
    public static readonly StoryEvent JiningTrainingBaseUnveiling = new("jining-training-base-unveiling", Jining, EventKind.UnveilingCeremony,
        "Unveiling of the Jining Technician Education Group's municipal training base", "Shengdu International Conference Center, Jining",
        StoryCalendar.JiningTrainingBaseUnveiled, new(9, 0), new(11, 30), Story.JiningTrainingBase)
    {
        OrganizerSlugs = [JiningTechnicianCollege.Slug],
        Capacity = 200,
        Unveilings =
        [
            new("Jining Technician Education Group Municipal Training Base", JiningTechnicianCollege.Slug, UnveilingKind.TrainingBase),
            new("Jining Technician Education Group Intelligent Manufacturing Skills Training Base", ChinaCoalGroup.Slug, UnveilingKind.TrainingBase),
            new("Jining Emergency Safety Skills Education and Training Base", JiningTechnicianCollege.Slug, UnveilingKind.TrainingBase),
        ],
    };

    /// <summary>Story 001: China Coal Group reports its cooperation with the group at the media symposium.</summary>
    public static readonly StoryEvent JiningSymposium = new("jining-business-environment-symposium", Jining, EventKind.Symposium,
        "Symposium: Continuously Optimizing the Business Environment and Promoting Jining's High-Quality Development", "Hong Kong Building, Jining",
        StoryCalendar.JiningSymposium, new(9, 0), new(11, 0), Story.JiningSymposium)
    {
        OrganizerSlugs = [ChinaCoalGroup.Slug],
        Capacity = 80,
    };

    /// <summary>
    /// Story 001: the e-commerce event of the group's vocational skills competition, which China Coal Group
    /// co-hosted. The story reports it on the symposium's day without its own date, so it is placed on that day.
    /// Entrants are illustrative (DEMO-EC-…), from the group's college and China Coal Group's partner colleges.
    /// </summary>
    public static readonly StoryEvent JiningECommerceCompetition = new("jining-e-commerce-competition", Jining, EventKind.SkillsCompetition,
        "Jining Technician Education Group Vocational Skills Competition: E-commerce Event", "Jining Technician College, Jining",
        StoryCalendar.JiningSymposium, new(13, 30), new(17, 30), Story.JiningSymposium)
    {
        OrganizerSlugs = [JiningTechnicianCollege.Slug, ChinaCoalGroup.Slug],
        Capacity = 60,
        CompetitionResults =
        [
            new("DEMO-EC-001", JiningTechnicianCollege.Slug, 1, "First prize"),
            new("DEMO-EC-002", JiningVocationalAndTechnicalCollege.Slug, 2, "Second prize"),
            new("DEMO-EC-003", JiningTechnicianCollege.Slug, 3, "Second prize"),
            new("DEMO-EC-004", ShandongInstituteOfTechnology.Slug, 4, "Third prize"),
            new("DEMO-EC-005", JiningTechnicianCollege.Slug, 5, "Third prize"),
            new("DEMO-EC-006", JiningVocationalAndTechnicalCollege.Slug, 6, "Third prize"),
            new("DEMO-EC-007", ShandongInstituteOfTechnology.Slug, 7, null),
            new("DEMO-EC-008", JiningTechnicianCollege.Slug, 8, null),
        ],
    };

    /// <summary>Story 002: the preparatory meeting before the construction meeting (charter and first council approved).</summary>
    public static readonly StoryEvent JinanPreparatoryMeeting = new("jinan-preparatory-meeting", Jinan, EventKind.CouncilMeeting,
        "Preparatory meeting of the Jinan Economic Development Zone Industry-Education Consortium", "Shandong Labor Vocational and Technical College, Jinan",
        StoryCalendar.JinanConstructionMeeting, new(8, 0), new(9, 0), Story.JinanConsortium)
    {
        OrganizerSlugs = [ShandongLaborCollege.Slug],
        Capacity = 40,
    };

    /// <summary>Story 002: the construction meeting with its signing and unveiling ceremony.</summary>
    public static readonly StoryEvent JinanConstructionMeeting = new("jinan-construction-meeting", Jinan, EventKind.FoundingMeeting,
        "Construction meeting of the Jinan Economic Development Zone Industry-Education Consortium", "Shandong Labor Vocational and Technical College, Jinan",
        StoryCalendar.JinanConstructionMeeting, new(9, 30), new(12, 0), Story.JinanConsortium)
    {
        OrganizerSlugs = [ShandongLaborCollege.Slug, ChangqingManagementCommittee.Slug, JinanDieselPower.Slug],
        Capacity = 300,
        Agreements =
        [
            new(AgreementKind.OrderClass, "Intelligent welding order class", [ShandongLaborCollege.Slug, ShandongBeichen.Slug], "Welder"),
            new(AgreementKind.TrainingCooperation, "Green Collar Vocational Skills Training Cooperation Project", [ShandongLaborCollege.Slug, GuoshunGroup.Slug],
                "Vocational skills (Green Collar)"),
            new(AgreementKind.ProductionPractice, "Typical production practice project", [ShandongLaborCollege.Slug, JinanAotto.Slug],
                "Electrical automation technician"),
        ],
        Unveilings =
        [
            new("Automation Vocational Education Industrial Engineer Academy", ShandongLaborCollege.Slug, UnveilingKind.Other),
            new("Teacher Practice Center of China National Petroleum Corporation Jinan Diesel Power Co., Ltd.", JinanDieselPower.Slug, UnveilingKind.TeacherPracticeCenter),
            new("Open Regional Industry-Education Integration Practice Center", ShandongLaborCollege.Slug, UnveilingKind.TrainingBase),
            new("High-Skill Talent Training Base of Shandong Yingsheng Automotive Technology Co., Ltd.", ShandongYingsheng.Slug, UnveilingKind.TrainingBase),
        ],
    };

    /// <summary>Story 003: the founding meeting in Tianjin; the organizations that spoke are its members.</summary>
    public static readonly StoryEvent TianjinFoundingMeeting = new("tianjin-founding-meeting", Tianjin, EventKind.FoundingMeeting,
        "Founding meeting of the Advanced Manufacturing Vocational Education Group", "Tianjin",
        StoryCalendar.TianjinFoundingMeeting, new(14, 0), new(17, 0), Story.TianjinGroup)
    {
        OrganizerSlugs = [TianjinVocationalInstitute.Slug, TianjinMouldIndustryAssociation.Slug],
        Capacity = 120,
    };

    public static IReadOnlyList<StoryEvent> All { get; } =
        [JinanPreparatoryMeeting, JinanConstructionMeeting, JiningTrainingBaseUnveiling, TianjinFoundingMeeting, JiningSymposium, JiningECommerceCompetition];
}
