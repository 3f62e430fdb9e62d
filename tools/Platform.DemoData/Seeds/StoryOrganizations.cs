namespace Platform.DemoData.Seeds;

/// <summary>
/// Every organization the seed stories name, with its kind and region, and the people the stories name in a
/// public role (as representatives: name and title only). Regions are "Province, City[, District]" where the
/// story says or the name implies it, the province alone where it does not. No unified social credit codes:
/// the stories give none and invented ones would look real.
/// Chinese names (<c>NameZh</c>): the seed texts are English and give none, so only an English name that renders one
/// official Chinese name without doubt (a named college, a municipal government or bureau) has one; enterprises,
/// party committees and every name that could be rendered more than one way are left without, rather than guessed.
/// </summary>
public static class StoryOrganizations
{
    // --- 000/001: Jining Technician Education Group --------------------------------------------------------

    public static readonly StoryOrganization JiningTechnicianCollege = new("jining-technician-college",
        "Jining Technician College", OrganizationKind.TechnicianCollege, "Shandong, Jining", Story.JiningTrainingBase)
    {
        NameZh = "济宁技师学院",
        Representatives =
        [
            new("He Yonghong", "Secretary of the Party Committee"),
            new("Zhu Qingrong", "Dean"),
            new("Xu Feng", "Deputy Secretary of the Party Committee"),
        ],
    };

    public static readonly StoryOrganization ChinaCoalGroup = new("china-coal-group-shandong-lvbei",
        "China Coal Group (Shandong Lvbei)", OrganizationKind.Enterprise, "Shandong, Jining", Story.JiningTrainingBase)
    {
        Representatives = [new("Li Zhenbo", "Executive Deputy General Manager and General Manager of Informatization")],
    };

    public static readonly StoryOrganization JiningMunicipalGovernment = new("jining-municipal-government",
        "Jining Municipal Government", OrganizationKind.GovernmentAgency, "Shandong, Jining", Story.JiningTrainingBase)
    {
        NameZh = "济宁市人民政府",
        Representatives = [new("Zhang Shengming", "Deputy Mayor, Member of the Party Group")],
    };

    public static readonly StoryOrganization JiningHiTechZone = new("jining-hi-tech-zone",
        "Jining Hi-tech Zone Party Working Committee", OrganizationKind.GovernmentAgency, "Shandong, Jining", Story.JiningTrainingBase)
    {
        Representatives = [new("Liu Zhangjian", "Secretary of the Party Working Committee")],
    };

    public static readonly StoryOrganization JiningHumanResourcesBureau = new("jining-human-resources-bureau",
        "Jining Municipal Human Resources and Social Security Bureau", OrganizationKind.GovernmentAgency, "Shandong, Jining", Story.JiningTrainingBase)
    {
        NameZh = "济宁市人力资源和社会保障局",
        Representatives = [new("Zhang Maorui", "Secretary of the Party Group; Deputy Director of the Organization Department of the Municipal Party Committee")],
    };

    // China Coal Group's partners in its own words ("domestic and foreign vocational colleges").
    public static readonly StoryOrganization JiningVocationalAndTechnicalCollege = new("jining-vocational-and-technical-college",
        "Jining Vocational and Technical College", OrganizationKind.VocationalCollege, "Shandong, Jining", Story.JiningTrainingBase)
    {
        NameZh = "济宁职业技术学院",
    };

    public static readonly StoryOrganization ShandongInstituteOfTechnology = new("shandong-institute-of-technology",
        "Shandong Institute of Technology", OrganizationKind.VocationalCollege, "Shandong", Story.JiningTrainingBase);

    public static readonly StoryOrganization CologneHmkwUniversity = new("cologne-hmkw-university",
        "Cologne HMKW University", OrganizationKind.University, "Germany, Cologne", Story.JiningTrainingBase);

    public static readonly StoryOrganization SchoolEnterpriseCooperationAlliance = new("china-school-enterprise-cooperation-alliance",
        "China School-Enterprise Cooperation Alliance", OrganizationKind.IndustryAssociation, "China", Story.JiningTrainingBase);

    public static readonly StoryOrganization JiningPropagandaDepartment = new("jining-propaganda-department",
        "Propaganda Department of the Jining Municipal Party Committee", OrganizationKind.GovernmentAgency, "Shandong, Jining", Story.JiningSymposium);

    public static readonly StoryOrganization JiningBusinessEnvironmentOffice = new("jining-business-environment-office",
        "Jining Leading Group Office for Optimizing the Business Environment", OrganizationKind.GovernmentAgency, "Shandong, Jining", Story.JiningSymposium);

    // --- 002: Jinan Economic Development Zone Industry-Education Consortium --------------------------------

    public static readonly StoryOrganization ChangqingManagementCommittee = new("changqing-university-town-management-committee",
        "Jinan Changqing University Town (Jinan Economic Development Zone) Management Committee", OrganizationKind.GovernmentAgency,
        "Shandong, Jinan", Story.JinanConsortium)
    {
        Representatives = [new("Zhao Chen", "Deputy Director")],
    };

    public static readonly StoryOrganization ShandongLaborCollege = new("shandong-labor-vocational-and-technical-college",
        "Shandong Labor Vocational and Technical College", OrganizationKind.VocationalCollege, "Shandong, Jinan", Story.JinanConsortium)
    {
        NameZh = "山东劳动职业技术学院",
        Representatives =
        [
            new("Sun Zhongzhi", "Secretary of the Party Committee"),
            new("Zhao Yaopei", "Deputy Secretary of the Party Committee and President"),
            new("Zhang Lifang", "Member of the Party Committee and Deputy Dean"),
            new("Zhang Zhengmei", "Head of the Intelligent Manufacturing Department"),
            new("Sun Daming", "Deputy Secretary of the Party Committee, Intelligent Manufacturing Department"),
            new("Li Dongchen", "Teacher representative, Electrical and Automation Department"),
        ],
    };

    public static readonly StoryOrganization JinanDieselPower = new("cnpc-jinan-diesel-power",
        "China National Petroleum Corporation Jinan Diesel Power Co., Ltd.", OrganizationKind.Enterprise, "Shandong, Jinan", Story.JinanConsortium)
    {
        Representatives = [new("Li Guochen", "Human Resources Department; Deputy Head of the Party Committee Organization Department")],
    };

    public static readonly StoryOrganization ShandongHumanResourcesDepartment = new("shandong-human-resources-department",
        "Shandong Provincial Human Resources and Social Security Department", OrganizationKind.GovernmentAgency, "Shandong", Story.JinanConsortium)
    {
        NameZh = "山东省人力资源和社会保障厅",
        Representatives = [new("Cheng Li", "Second-level Researcher, Vocational Capacity Building Department")],
    };

    public static readonly StoryOrganization JinanEducationBureau = new("jinan-education-bureau",
        "Jinan Education Bureau", OrganizationKind.GovernmentAgency, "Shandong, Jinan", Story.JinanConsortium)
    {
        NameZh = "济南市教育局",
        Representatives = [new("Ma Bingguang", "Chief Inspector")],
    };

    public static readonly StoryOrganization ChangqingDistrictGovernment = new("changqing-district-government",
        "Changqing District People's Government", OrganizationKind.GovernmentAgency, "Shandong, Jinan, Changqing", Story.JinanConsortium)
    {
        Representatives = [new("Chen Nan", "Deputy District Mayor")],
    };

    public static readonly StoryOrganization ShandongBeichen = new("shandong-beichen",
        "Shandong Beichen Machinery and Equipment Co., Ltd.", OrganizationKind.Enterprise, "Shandong", Story.JinanConsortium)
    {
        Representatives = [new("Jin Yanjun", "Deputy General Manager")],
    };

    public static readonly StoryOrganization GuoshunGroup = new("guoshun-group",
        "Guoshun Group", OrganizationKind.Enterprise, "Shandong", Story.JinanConsortium)
    {
        Representatives = [new("Lu Shengtao", "General Manager")],
    };

    public static readonly StoryOrganization JinanAotto = new("jinan-aotto",
        "Jinan Aotto", OrganizationKind.Enterprise, "Shandong, Jinan", Story.JinanConsortium)
    {
        Representatives = [new("Wang Xiaochen", "Department Director")],
    };

    public static readonly StoryOrganization ShandongYingsheng = new("shandong-yingsheng-automotive",
        "Shandong Yingsheng Automotive Technology Co., Ltd.", OrganizationKind.Enterprise, "Shandong", Story.JinanConsortium);

    // --- 003: Tianjin Advanced Manufacturing Vocational Education Group ------------------------------------

    public static readonly StoryOrganization TianjinVocationalInstitute = new("tianjin-vocational-institute",
        "Tianjin Vocational Institute", OrganizationKind.VocationalCollege, "Tianjin", Story.TianjinGroup)
    {
        Representatives = [new("Hao Zhigang", "Director of the Cooperation Office")],
    };

    public static readonly StoryOrganization BeichenYouthLeague = new("tianjin-beichen-youth-league",
        "Tianjin Beichen District Communist Youth League Committee", OrganizationKind.GovernmentAgency, "Tianjin, Beichen", Story.TianjinGroup)
    {
        Representatives = [new("Tian Haichao", "Deputy Secretary")],
    };

    public static readonly StoryOrganization TianjinMouldIndustryAssociation = new("tianjin-mould-industry-association",
        "Tianjin Mould Industry Association", OrganizationKind.IndustryAssociation, "Tianjin", Story.TianjinGroup)
    {
        Representatives = [new("Wang Zhenyun", "Secretary General")],
    };

    public static readonly StoryOrganization TsinghuaTianjinInstitute = new("tsinghua-tianjin-high-end-equipment-institute",
        "Tsinghua University Tianjin High-end Equipment Research Institute", OrganizationKind.ResearchInstitute, "Tianjin", Story.TianjinGroup)
    {
        Representatives = [new("Li Zhenbang", "Deputy General Manager")],
    };

    public static readonly StoryOrganization ShenzhenVocationalCollege = new("shenzhen-vocational-and-technical-college",
        "Shenzhen Vocational and Technical College", OrganizationKind.VocationalCollege, "Guangdong, Shenzhen", Story.TianjinGroup)
    {
        Representatives = [new("Liao Qianghua", "Dean")],
    };

    // --- 004: visit to Shandong Deep Spring Technician College ---------------------------------------------
    // "Pan Jianjun, deputy secretary of Party Committee of Jinan County" is left out: there is no Jinan County,
    // and guessing which committee the story means would put a real person in the wrong office.

    public static readonly StoryOrganization DeepSpringTechnicianCollege = new("shandong-deep-spring-technician-college",
        "Shandong Deep Spring Technician College", OrganizationKind.TechnicianCollege, "Shandong, Jinan, Pingyin", Story.DeepSpringVisit)
    {
        Representatives = [new("Dong Qiang", "Secretary of the Party Committee")],
    };

    public static readonly StoryOrganization JinanOrganizationDepartment = new("jinan-organization-department",
        "Organization Department of the Jinan Municipal Party Committee", OrganizationKind.GovernmentAgency, "Shandong, Jinan", Story.DeepSpringVisit)
    {
        Representatives = [new("Liu Guoting", "Deputy Head"), new("Wu Botao", "Deputy Head")],
    };

    public static readonly StoryOrganization PingyinPartyCommittee = new("pingyin-county-party-committee",
        "Pingyin County Party Committee", OrganizationKind.GovernmentAgency, "Shandong, Jinan, Pingyin", Story.DeepSpringVisit)
    {
        Representatives = [new("Wang Xiucheng", "Secretary")],
    };

    public static readonly StoryOrganization PingyinCountyGovernment = new("pingyin-county-government",
        "Pingyin County People's Government", OrganizationKind.GovernmentAgency, "Shandong, Jinan, Pingyin", Story.DeepSpringVisit);

    /// <summary>Every organization a story names, in story order.</summary>
    public static IReadOnlyList<StoryOrganization> Named { get; } =
    [
        JiningTechnicianCollege, ChinaCoalGroup, JiningMunicipalGovernment, JiningHiTechZone, JiningHumanResourcesBureau,
        JiningVocationalAndTechnicalCollege, ShandongInstituteOfTechnology, CologneHmkwUniversity, SchoolEnterpriseCooperationAlliance,
        JiningPropagandaDepartment, JiningBusinessEnvironmentOffice,
        ChangqingManagementCommittee, ShandongLaborCollege, JinanDieselPower, ShandongHumanResourcesDepartment, JinanEducationBureau,
        ChangqingDistrictGovernment, ShandongBeichen, GuoshunGroup, JinanAotto, ShandongYingsheng,
        TianjinVocationalInstitute, BeichenYouthLeague, TianjinMouldIndustryAssociation, TsinghuaTianjinInstitute, ShenzhenVocationalCollege,
        DeepSpringTechnicianCollege, JinanOrganizationDepartment, PingyinPartyCommittee, PingyinCountyGovernment,
    ];

    // --- Invented fillers --------------------------------------------------------------------------------
    // Story 002 gives the Jinan council's size (3 chairs, 19 vice-chairs, 1 secretary-general, 6 council members)
    // but names only a few members; these make up the numbers, of the kinds the story says the consortium
    // includes (enterprises and research institutions of the zone, universities and vocational schools of
    // Changqing University Town, intelligent-manufacturing bodies). Marked illustrative in name and flag.

    public const string IllustrativeSuffix = " (illustrative)";

    public static IReadOnlyList<StoryOrganization> JinanViceChairFillers { get; } =
    [
        Filler("changqing-applied-technology-university", "Changqing University Town Applied Technology University", OrganizationKind.University),
        Filler("changqing-engineering-university", "Changqing University Town Engineering University", OrganizationKind.University),
        Filler("changqing-information-engineering-college", "Changqing University Town Vocational College of Information Engineering", OrganizationKind.VocationalCollege),
        Filler("changqing-technician-college", "Changqing University Town Technician College", OrganizationKind.TechnicianCollege),
        Filler("jinan-intelligent-manufacturing-institute", "Jinan Intelligent Manufacturing Research Institute", OrganizationKind.ResearchInstitute),
        Filler("jinan-digital-manufacturing-center", "Jinan Digital Manufacturing Engineering Center", OrganizationKind.ResearchInstitute),
        Filler("edz-industrial-robotics", "Jinan EDZ Industrial Robotics Co., Ltd.", OrganizationKind.Enterprise),
        Filler("edz-cnc-machine-tool", "Jinan EDZ CNC Machine Tool Co., Ltd.", OrganizationKind.Enterprise),
        Filler("edz-welding-equipment", "Jinan EDZ Intelligent Welding Equipment Co., Ltd.", OrganizationKind.Enterprise),
        Filler("edz-auto-parts", "Jinan EDZ Auto Parts Manufacturing Co., Ltd.", OrganizationKind.Enterprise),
        Filler("edz-industrial-internet", "Jinan EDZ Industrial Internet Technology Co., Ltd.", OrganizationKind.Enterprise),
        Filler("edz-hydraulic-components", "Jinan EDZ Hydraulic Components Co., Ltd.", OrganizationKind.Enterprise),
        Filler("edz-precision-casting", "Jinan EDZ Precision Casting Co., Ltd.", OrganizationKind.Enterprise),
        Filler("edz-new-energy-equipment", "Jinan EDZ New Energy Equipment Co., Ltd.", OrganizationKind.Enterprise),
        Filler("edz-smart-logistics-equipment", "Jinan EDZ Smart Logistics Equipment Co., Ltd.", OrganizationKind.Enterprise),
    ];

    public static StoryOrganization JinanSecretaryGeneralFiller { get; } =
        Filler("jinan-intelligent-manufacturing-association", "Jinan Intelligent Manufacturing Industry Association", OrganizationKind.IndustryAssociation);

    public static IReadOnlyList<StoryOrganization> JinanCouncilMemberFillers { get; } =
    [
        Filler("jinan-skill-evaluation-center", "Jinan Vocational Skill Evaluation Center", OrganizationKind.EvaluationOrganization),
        Filler("changqing-secondary-vocational-school", "Changqing University Town Secondary Vocational School", OrganizationKind.VocationalCollege),
        Filler("edz-electrical-automation", "Jinan EDZ Electrical Automation Co., Ltd.", OrganizationKind.Enterprise),
        Filler("edz-sensor-technology", "Jinan EDZ Sensor Technology Co., Ltd.", OrganizationKind.Enterprise),
        Filler("edz-mould-manufacturing", "Jinan EDZ Mould Manufacturing Co., Ltd.", OrganizationKind.Enterprise),
        Filler("edz-industrial-software", "Jinan EDZ Industrial Software Co., Ltd.", OrganizationKind.Enterprise),
    ];

    /// <summary>Every invented organization.</summary>
    public static IReadOnlyList<StoryOrganization> Illustrative { get; } =
        [.. JinanViceChairFillers, JinanSecretaryGeneralFiller, .. JinanCouncilMemberFillers];

    /// <summary>Named first, then the fillers: everything the membership step registers.</summary>
    public static IReadOnlyList<StoryOrganization> All { get; } = [.. Named, .. Illustrative];

    private static StoryOrganization Filler(string slug, string name, OrganizationKind kind) =>
        new("illustrative-" + slug, name + IllustrativeSuffix, kind, "Shandong, Jinan", Story.JinanConsortium) { IsIllustrative = true };
}
