namespace Platform.DemoData.Seeds;

/// <summary>The seed story a piece of demo data comes from (file names under shared/seeds).</summary>
public static class Story
{
    /// <summary>Jining Technician Education Group: training base unveiled, China Coal Group (Shandong Lvbei) as vice-chair unit.</summary>
    public const string JiningTrainingBase = "000_1f48e4573f2e5583";

    /// <summary>Jining business-environment symposium: China Coal Group's cooperation with the Jining group.</summary>
    public const string JiningSymposium = "001_fb003597dbb49b52";

    /// <summary>Construction meeting of the Jinan Economic Development Zone Industry-Education Consortium.</summary>
    public const string JinanConsortium = "002_d019d2aa7dd11976";

    /// <summary>Founding meeting of the Advanced Manufacturing Vocational Education Group in Tianjin.</summary>
    public const string TianjinGroup = "003_cd54f3d93393f12e";

    /// <summary>City leaders visit Shandong Deep Spring Technician College.</summary>
    public const string DeepSpringVisit = "004_2064599234042317";
}

/// <summary>
/// The stories give day and month only. The loader needs whole dates (council terms, founding dates), so the
/// years here are assumptions: 2024 where a story's own material dates it (photo names in 004), the Jinan
/// consortium in 2023. Later steps (events) should take their dates from here too, so the demo stays consistent.
/// </summary>
public static class StoryCalendar
{
    public static readonly DateOnly JinanConstructionMeeting = new(2023, 11, 14);
    public static readonly DateOnly JiningTrainingBaseUnveiled = new(2024, 1, 15);
    public static readonly DateOnly TianjinFoundingMeeting = new(2024, 5, 9);
    public static readonly DateOnly JiningSymposium = new(2024, 8, 20);
    public static readonly DateOnly DeepSpringVisit = new(2024, 8, 14);
}

/// <summary>The organization kinds of the membership API (<c>technicianCollege</c>, …).</summary>
public enum OrganizationKind
{
    TechnicianCollege,
    VocationalCollege,
    University,
    Enterprise,
    ResearchInstitute,
    GovernmentAgency,
    IndustryAssociation,
    EvaluationOrganization,
}

/// <summary>The consortium kinds of the membership API.</summary>
public enum ConsortiumKind
{
    VocationalEducationGroup,
    IndustryEducationConsortium,
}

/// <summary>Council roles, from the highest.</summary>
public enum CouncilRole
{
    Chair,
    ViceChair,
    SecretaryGeneral,
    CouncilMember,
}

/// <summary>A person a story names in a public role; loaded as a representative of their organization (name and title, never an email).</summary>
public sealed record StoryPerson(string Name, string Title);

/// <summary>
/// An organization a story names (or an invented filler, <see cref="IsIllustrative"/>). <see cref="Slug"/> is the
/// stable handle the stories refer to it by and the root of its Idempotency-Keys.
/// </summary>
public sealed record StoryOrganization(string Slug, string Name, OrganizationKind Kind, string Region, string Story)
{
    /// <summary>The Simplified Chinese name, only where known with confidence (see <see cref="StoryOrganizations"/>); null otherwise.</summary>
    public string? NameZh { get; init; }

    /// <summary>Invented to fill a council to the counts a story gives; its name says so too.</summary>
    public bool IsIllustrative { get; init; }

    public IReadOnlyList<StoryPerson> Representatives { get; init; } = [];
}

/// <summary>A member organization and, when the story designates one, its role on the first council session.</summary>
public sealed record StoryMember(string OrganizationSlug, CouncilRole? Role = null);

/// <summary>A council session's number and term.</summary>
public sealed record StoryCouncilSession(int Number, DateOnly StartsOn, DateOnly EndsOn);

/// <summary>A charter version as the story reports it.</summary>
public sealed record StoryCharter(DateOnly ApprovedOn, string Text);

/// <summary>A consortium with its members, council and charter as one story tells it.</summary>
public sealed record StoryConsortium(string Slug, string Name, ConsortiumKind Kind, string Region, string Story)
{
    /// <summary>The Simplified Chinese name, only where known with confidence; null otherwise.</summary>
    public string? NameZh { get; init; }

    public IReadOnlyList<string> Sectors { get; init; } = [];
    public IReadOnlyList<string> LeadOrganizationSlugs { get; init; } = [];
    public DateOnly? EstablishedOn { get; init; }
    public IReadOnlyList<StoryMember> Members { get; init; } = [];

    /// <summary>The session the members' roles are designated on; null when the story names no roles.</summary>
    public StoryCouncilSession? Council { get; init; }

    public StoryCharter? Charter { get; init; }
}
