using Platform.DemoData.Seeds;

namespace Platform.DemoData.Api;

/// <summary>A membership's status (membership API).</summary>
public enum MembershipStatus
{
    Applied,
    Active,
    Rejected,
    Suspended,
    Withdrawn,
}

public sealed record OrganizationDto(Guid Id, string Name, string? NameZh, OrganizationKind Kind, string Region, string? UnifiedSocialCreditCode, bool IsIllustrative);

public sealed record ConsortiumDto(Guid Id, string Name, string? NameZh, ConsortiumKind Kind, string Region, IReadOnlyList<string> Sectors, IReadOnlyList<Guid> LeadOrganizationIds,
    DateOnly? EstablishedOn);

public sealed record MembershipDto(Guid Id, Guid ConsortiumId, Guid OrganizationId, string OrganizationName, OrganizationKind OrganizationKind,
    MembershipStatus Status, CouncilRole? CouncilRole);

public sealed record CouncilDesignationDto(Guid OrganizationId, string OrganizationName, CouncilRole Role);

public sealed record CouncilSessionDto(Guid Id, int Number, DateOnly StartsOn, DateOnly EndsOn, bool IsCurrent, IReadOnlyList<CouncilDesignationDto> Designations);

public sealed record CharterDto(Guid Id, int Version, string? Text, DateOnly ApprovedOn, int? ApprovedBySession);

public sealed record PersonDto(Guid Id, Guid OrganizationId, string Name, string? Title);

/// <summary>The membership service's routes the loader uses (services/Membership/…/Features, API.md "membership").</summary>
public sealed class MembershipApi(HttpClient http)
{
    private readonly JsonApi _api = new(http);

    /// <summary>The organization registered under exactly this name (case-insensitive, as the search is), or null.</summary>
    public async Task<OrganizationDto?> FindOrganizationAsync(string name, CancellationToken cancellationToken)
    {
        // The search matches name fragments; the exact name decides.
        var matches = await _api.ListAllAsync<OrganizationDto>($"/api/v1/organizations?name={Uri.EscapeDataString(name)}", cancellationToken);
        return matches.Where(o => string.Equals(o.Name.Trim(), name.Trim(), StringComparison.OrdinalIgnoreCase)).MinBy(o => o.Id);
    }

    public Task<OrganizationDto> RegisterOrganizationAsync(StoryOrganization organization, string idempotencyKey, CancellationToken cancellationToken) =>
        _api.PostAsync<OrganizationDto>("/api/v1/organizations",
            new { organization.Name, organization.NameZh, organization.Kind, organization.Region, organization.IsIllustrative }, idempotencyKey, cancellationToken);

    public Task<IReadOnlyList<ConsortiumDto>> ListConsortiaAsync(CancellationToken cancellationToken) =>
        _api.ListAllAsync<ConsortiumDto>("/api/v1/consortia", cancellationToken);

    public Task<ConsortiumDto> EstablishConsortiumAsync(StoryConsortium consortium, IReadOnlyList<Guid> leadOrganizationIds, string idempotencyKey,
        CancellationToken cancellationToken) =>
        _api.PostAsync<ConsortiumDto>("/api/v1/consortia",
            new { consortium.Name, consortium.NameZh, consortium.Kind, consortium.Region, consortium.Sectors, LeadOrganizationIds = leadOrganizationIds, consortium.EstablishedOn },
            idempotencyKey, cancellationToken);

    public Task<IReadOnlyList<MembershipDto>> ListMembershipsAsync(Guid consortiumId, CancellationToken cancellationToken) =>
        _api.ListAllAsync<MembershipDto>($"/api/v1/consortia/{consortiumId}/memberships", cancellationToken);

    public Task<MembershipDto> ApplyAsync(Guid consortiumId, Guid organizationId, string reason, string idempotencyKey, CancellationToken cancellationToken) =>
        _api.PostAsync<MembershipDto>($"/api/v1/consortia/{consortiumId}/memberships", new { organizationId, reason }, idempotencyKey, cancellationToken);

    public Task<MembershipDto> ApproveAsync(Guid consortiumId, Guid membershipId, string reason, string idempotencyKey, CancellationToken cancellationToken) =>
        _api.PostAsync<MembershipDto>($"/api/v1/consortia/{consortiumId}/memberships/{membershipId}/approve", new { reason }, idempotencyKey, cancellationToken);

    public Task<CouncilSessionDto?> FindCouncilSessionAsync(Guid consortiumId, int number, CancellationToken cancellationToken) =>
        _api.FindAsync<CouncilSessionDto>($"/api/v1/consortia/{consortiumId}/council-sessions/{number}", cancellationToken);

    public Task<CouncilSessionDto> OpenCouncilSessionAsync(Guid consortiumId, StoryCouncilSession session, string idempotencyKey, CancellationToken cancellationToken) =>
        _api.PostAsync<CouncilSessionDto>($"/api/v1/consortia/{consortiumId}/council-sessions",
            new { session.Number, session.StartsOn, session.EndsOn }, idempotencyKey, cancellationToken);

    /// <summary>Replaces the session's roles as a whole (PUT: idempotent by itself).</summary>
    public Task<CouncilSessionDto> DesignateAsync(Guid consortiumId, int number, IReadOnlyList<(Guid OrganizationId, CouncilRole Role)> designations,
        CancellationToken cancellationToken) =>
        _api.PutAsync<CouncilSessionDto>($"/api/v1/consortia/{consortiumId}/council-sessions/{number}/roles",
            designations.Select(d => new { d.OrganizationId, d.Role }).ToList(), cancellationToken);

    public Task<IReadOnlyList<CharterDto>> ListChartersAsync(Guid consortiumId, CancellationToken cancellationToken) =>
        _api.ListAllAsync<CharterDto>($"/api/v1/consortia/{consortiumId}/charters", cancellationToken);

    public Task<CharterDto> ApproveCharterAsync(Guid consortiumId, StoryCharter charter, string idempotencyKey, CancellationToken cancellationToken) =>
        _api.PostAsync<CharterDto>($"/api/v1/consortia/{consortiumId}/charters", new { charter.ApprovedOn, charter.Text }, idempotencyKey, cancellationToken);

    public Task<IReadOnlyList<PersonDto>> ListRepresentativesAsync(Guid organizationId, CancellationToken cancellationToken) =>
        _api.ListAllAsync<PersonDto>($"/api/v1/organizations/{organizationId}/representatives", cancellationToken);

    public Task<PersonDto> AddRepresentativeAsync(Guid organizationId, StoryPerson person, string idempotencyKey, CancellationToken cancellationToken) =>
        _api.PostAsync<PersonDto>($"/api/v1/organizations/{organizationId}/representatives", new { person.Name, person.Title }, idempotencyKey, cancellationToken);
}
