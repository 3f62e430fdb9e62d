using static Platform.DemoData.Seeds.StoryOrganizations;

namespace Platform.DemoData.Seeds;

/// <summary>The three consortia the stories tell of, with their members, councils and charters.</summary>
public static class StoryConsortia
{
    /// <summary>
    /// Story 002. Jointly led by the management committee, the college and Jinan Diesel Power, which are its three
    /// chair organizations; the first council session has 3 chairs, 19 vice-chairs, 1 secretary-general and
    /// 6 council members. The story names four more enterprises (the signing partners and the Yingsheng training
    /// base) without their roles; they are placed among the vice-chairs, the rest are illustrative fillers.
    /// </summary>
    public static readonly StoryConsortium Jinan = new("jinan-edz-industry-education-consortium",
        "Jinan Economic Development Zone Industry-Education Consortium", ConsortiumKind.IndustryEducationConsortium, "Shandong, Jinan",
        Story.JinanConsortium)
    {
        Sectors = ["intelligent manufacturing", "information engineering", "equipment manufacturing"],
        LeadOrganizationSlugs = [ChangqingManagementCommittee.Slug, ShandongLaborCollege.Slug, JinanDieselPower.Slug],
        EstablishedOn = StoryCalendar.JinanConstructionMeeting,
        Members =
        [
            new(ChangqingManagementCommittee.Slug, CouncilRole.Chair),
            new(ShandongLaborCollege.Slug, CouncilRole.Chair),
            new(JinanDieselPower.Slug, CouncilRole.Chair),
            new(ShandongBeichen.Slug, CouncilRole.ViceChair),
            new(GuoshunGroup.Slug, CouncilRole.ViceChair),
            new(JinanAotto.Slug, CouncilRole.ViceChair),
            new(ShandongYingsheng.Slug, CouncilRole.ViceChair),
            .. JinanViceChairFillers.Select(o => new StoryMember(o.Slug, CouncilRole.ViceChair)),
            new(JinanSecretaryGeneralFiller.Slug, CouncilRole.SecretaryGeneral),
            .. JinanCouncilMemberFillers.Select(o => new StoryMember(o.Slug, CouncilRole.CouncilMember)),
        ],
        Council = new(1, StoryCalendar.JinanConstructionMeeting, StoryCalendar.JinanConstructionMeeting.AddYears(5).AddDays(-1)),
        Charter = new(StoryCalendar.JinanConstructionMeeting,
            """
            Charter of the Jinan Economic Development Zone Industry-Education Consortium, reviewed and approved at the
            preparatory meeting held before the construction meeting at Shandong Labor Vocational and Technical College,
            together with the consortium's organizational structure and institutional documents.

            The source story does not publish the charter's articles; this record keeps what it says of the consortium:
            a municipal industry-education consortium of government, industry, enterprises, schools and research
            institutions, jointly led by the Jinan Changqing University Town (Jinan Economic Development Zone)
            Management Committee, Shandong Labor Vocational and Technical College and China National Petroleum
            Corporation Jinan Diesel Power Co., Ltd.; its members are key enterprises and research institutions of the
            zone, universities and vocational schools of Changqing University Town and intelligent-manufacturing
            entities of Jinan; it serves the intelligent transformation and digital transition of equipment
            manufacturing enterprises through joint school-local-enterprise projects, a talent supply and demand
            information platform, a public training base, and joint research and technological innovation.
            """),
    };

    /// <summary>
    /// Stories 000 and 001. China Coal Group (Shandong Lvbei) is its vice-chair unit; Jining Technician College,
    /// whose leaders host the group's events, leads it. The stories name no other roles.
    /// </summary>
    public static readonly StoryConsortium Jining = new("jining-technician-education-group",
        "Jining Technician Education Group", ConsortiumKind.VocationalEducationGroup, "Shandong, Jining", Story.JiningTrainingBase)
    {
        NameZh = "济宁技师教育集团",
        Sectors = ["intelligent manufacturing", "emergency safety", "e-commerce"],
        LeadOrganizationSlugs = [JiningTechnicianCollege.Slug],
        Members =
        [
            new(JiningTechnicianCollege.Slug),
            new(ChinaCoalGroup.Slug, CouncilRole.ViceChair),
        ],
        Council = new(1, StoryCalendar.JiningTrainingBaseUnveiled, StoryCalendar.JiningTrainingBaseUnveiled.AddYears(5).AddDays(-1)),
    };

    /// <summary>
    /// Story 003. The members who spoke or were named at the founding meeting; the story names no council roles.
    /// The Beichen District Youth League committee attended as a guest, not a member.
    /// </summary>
    public static readonly StoryConsortium Tianjin = new("tianjin-advanced-manufacturing-vocational-education-group",
        "Tianjin Advanced Manufacturing Vocational Education Group", ConsortiumKind.VocationalEducationGroup, "Tianjin", Story.TianjinGroup)
    {
        Sectors = ["advanced manufacturing"],
        EstablishedOn = StoryCalendar.TianjinFoundingMeeting,
        Members =
        [
            new(TianjinVocationalInstitute.Slug),
            new(TianjinMouldIndustryAssociation.Slug),
            new(TsinghuaTianjinInstitute.Slug),
            new(ShenzhenVocationalCollege.Slug),
        ],
    };

    public static IReadOnlyList<StoryConsortium> All { get; } = [Jinan, Jining, Tianjin];
}
