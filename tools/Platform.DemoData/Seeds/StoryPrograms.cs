using static Platform.DemoData.Seeds.StoryOrganizations;

namespace Platform.DemoData.Seeds;

/// <summary>The program kinds of the talent-pipeline API.</summary>
public enum ProgramKind
{
    OrderClass,
    Apprenticeship,
    InternshipBase,
    EmploymentBase,
    TrainingBase,
    TeacherPracticeCenter,
    SkillsTrainingProject,
    ProductionPracticeProject,
}

/// <summary>A program created through the programs route (the ones agreements and unveilings make come from the events step).</summary>
public sealed record StoryProgram(string ConsortiumSlug, ProgramKind Kind, string Title, IReadOnlyList<string> CollegeSlugs, IReadOnlyList<string> EnterpriseSlugs,
    string? Occupation, DateOnly StartsOn, string Story);

/// <summary>A college's declared supply (illustrative numbers).</summary>
public sealed record StoryCohort(string ConsortiumSlug, string CollegeSlug, string Major, string Occupation, int GraduationYear, int Headcount);

/// <summary>An enterprise's posted demand (illustrative numbers).</summary>
public sealed record StoryDemand(string ConsortiumSlug, string EnterpriseSlug, string Occupation, IReadOnlyList<string> Skills, int Headcount, string Region, DateOnly NeededBy);

/// <summary>
/// A year of placement events for one program, as its college reports them: <see cref="Trainees"/> illustrative
/// trainees <c>{Prefix}-001…</c> enrolled on <see cref="EnrolledOn"/>, most going on to internship, offer,
/// employment and retention, some withdrawing on the way (a realistic funnel, never real people).
/// </summary>
public sealed record StoryPlacements(string ConsortiumSlug, string ProgramTitle, string CollegeSlug, string EnterpriseSlug, string Prefix, int Trainees, DateOnly EnrolledOn);

/// <summary>
/// Story 001's cooperation between China Coal Group and the Jining group (internship and training bases,
/// graduates' internship and employment bases, the new apprenticeship system) and the story 002 order classes'
/// illustrative supply, demand and placements. The "double-division" teacher teams have no program kind; they are
/// not loaded.
/// </summary>
public static class StoryPrograms
{
    private static readonly string Jining = StoryConsortia.Jining.Slug;
    private static readonly string Jinan = StoryConsortia.Jinan.Slug;

    /// <summary>The program titles the events step makes from the Jinan agreements (talent-pipeline names a program after its agreement).</summary>
    public const string WeldingOrderClass = "Intelligent welding order class";
    public const string GreenCollar = "Green Collar Vocational Skills Training Cooperation Project";
    public const string AottoProductionPractice = "Typical production practice project";
    public const string ChinaCoalApprenticeship = "China Coal Group new apprenticeship (Jining Technician College)";

    public static IReadOnlyList<StoryProgram> Direct { get; } =
    [
        new(Jining, ProgramKind.Apprenticeship, ChinaCoalApprenticeship, [JiningTechnicianCollege.Slug], [ChinaCoalGroup.Slug], "E-commerce and informatization technician",
            new(StoryCalendar.JiningSymposium.Year, 3, 1), Story.JiningSymposium),
        new(Jining, ProgramKind.InternshipBase, "China Coal Group internship and training base", [JiningTechnicianCollege.Slug], [ChinaCoalGroup.Slug], null,
            new(StoryCalendar.JiningSymposium.Year, 3, 1), Story.JiningSymposium),
        new(Jining, ProgramKind.EmploymentBase, "China Coal Group graduates' internship and employment base", [JiningTechnicianCollege.Slug], [ChinaCoalGroup.Slug], null,
            new(StoryCalendar.JiningSymposium.Year, 3, 1), Story.JiningSymposium),
    ];

    public static IReadOnlyList<StoryCohort> Cohorts { get; } =
    [
        new(Jinan, ShandongLaborCollege.Slug, "Intelligent welding technology", "Welder", StoryCalendar.JinanConstructionMeeting.Year + 2, 40),
        new(Jinan, ShandongLaborCollege.Slug, "Electrical automation technology", "Electrical automation technician", StoryCalendar.JinanConstructionMeeting.Year + 2, 35),
        new(Jinan, ShandongLaborCollege.Slug, "Mechanical manufacturing and automation", "Vocational skills (Green Collar)", StoryCalendar.JinanConstructionMeeting.Year + 2, 30),
        new(Jining, JiningTechnicianCollege.Slug, "E-commerce", "E-commerce and informatization technician", StoryCalendar.JiningSymposium.Year + 1, 25),
    ];

    public static IReadOnlyList<StoryDemand> Demands { get; } =
    [
        new(Jinan, ShandongBeichen.Slug, "Welder", ["intelligent welding", "robot welding programming"], 15, "Shandong, Jinan", new(StoryCalendar.JinanConstructionMeeting.Year + 1, 7, 1)),
        new(Jinan, JinanAotto.Slug, "Electrical automation technician", ["PLC programming", "electrical installation"], 10, "Shandong, Jinan", new(StoryCalendar.JinanConstructionMeeting.Year + 1, 7, 1)),
        new(Jinan, GuoshunGroup.Slug, "Vocational skills (Green Collar)", ["equipment maintenance"], 12, "Shandong, Jinan", new(StoryCalendar.JinanConstructionMeeting.Year + 1, 9, 1)),
        new(Jining, ChinaCoalGroup.Slug, "E-commerce and informatization technician", ["e-commerce operations", "information systems"], 8, "Shandong, Jining", new(StoryCalendar.JiningSymposium.Year + 1, 7, 1)),
    ];

    public static IReadOnlyList<StoryPlacements> Placements { get; } =
    [
        new(Jinan, WeldingOrderClass, ShandongLaborCollege.Slug, ShandongBeichen.Slug, "DEMO-BC", 20, new(StoryCalendar.JinanConstructionMeeting.Year, 12, 1)),
        new(Jinan, GreenCollar, ShandongLaborCollege.Slug, GuoshunGroup.Slug, "DEMO-GS", 15, new(StoryCalendar.JinanConstructionMeeting.Year, 12, 4)),
        new(Jinan, AottoProductionPractice, ShandongLaborCollege.Slug, JinanAotto.Slug, "DEMO-AT", 12, new(StoryCalendar.JinanConstructionMeeting.Year, 12, 11)),
        new(Jining, ChinaCoalApprenticeship, JiningTechnicianCollege.Slug, ChinaCoalGroup.Slug, "DEMO-CC", 10, new(StoryCalendar.JiningSymposium.Year, 3, 4)),
    ];
}
