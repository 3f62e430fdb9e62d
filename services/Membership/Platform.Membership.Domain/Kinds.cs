namespace Platform.Membership.Domain;

public enum ConsortiumKind
{
    /// <summary>职业教育集团: a group of colleges and enterprises around one sector or region.</summary>
    VocationalEducationGroup,
    /// <summary>产教联合体 / 产教融合共同体: a municipal or industry consortium of government, industry, enterprises and schools.</summary>
    IndustryEducationConsortium,
}

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

/// <summary>A unit's role on a council session, from the highest.</summary>
public enum CouncilRole
{
    Chair,
    ViceChair,
    SecretaryGeneral,
    CouncilMember,
}
