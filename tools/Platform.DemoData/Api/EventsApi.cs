using Platform.DemoData.Seeds;

namespace Platform.DemoData.Api;

/// <summary>An event's lifecycle status (events API).</summary>
public enum EventStatus
{
    Draft,
    Scheduled,
    RegistrationOpen,
    RegistrationClosed,
    Held,
    Cancelled,
}

public sealed record AgreementDto(Guid Id, AgreementKind Kind, string Title, IReadOnlyList<EventPartyDto> Parties, DateOnly SignedOn);

public sealed record EventPartyDto(Guid OrganizationId, string? Name);

/// <summary>State: recorded → pending → applied (a program launched) or rejected (with reasons).</summary>
public sealed record UnveilingDto(Guid Id, string Name, Guid HostOrganizationId, UnveilingKind Kind, string State, Guid? ProgramId);

public sealed record EntrantDto(string? TraineeRef, Guid CollegeId, string CollegeName, int Rank, string? Award);

public sealed record CompetitionResultsDto(Guid Id, IReadOnlyList<EntrantDto> Entrants);

public sealed record EventOutcomesDto(IReadOnlyList<AgreementDto> Agreements, IReadOnlyList<UnveilingDto> Unveilings, CompetitionResultsDto? CompetitionResults);

public sealed record EventDto(Guid Id, Guid ConsortiumId, EventKind Kind, string Title, DateTimeOffset StartsAt, EventStatus Status, EventOutcomesDto? Outcomes);

public sealed record EventMemberDto(Guid OrganizationId, string Name, MembershipStatus Status);

/// <summary>The events service's routes the loader uses (services/Events/…/Features, API.md "events").</summary>
public sealed class EventsApi(HttpClient http)
{
    private readonly JsonApi _api = new(http);

    public Task<IReadOnlyList<EventDto>> ListEventsAsync(Guid consortiumId, CancellationToken cancellationToken) =>
        _api.ListAllAsync<EventDto>($"/api/v1/events?consortiumId={consortiumId}", cancellationToken);

    public Task<EventDto> GetEventAsync(Guid eventId, CancellationToken cancellationToken) =>
        _api.GetAsync<EventDto>($"/api/v1/events/{eventId}", cancellationToken);

    /// <summary>The consortium's member directory as events knows it (from membership's events), or null while it knows nothing of the consortium.</summary>
    public Task<PageDto<EventMemberDto>?> FindMembersAsync(Guid consortiumId, CancellationToken cancellationToken) =>
        _api.FindAsync<PageDto<EventMemberDto>>($"/api/v1/members?consortiumId={consortiumId}&status=active&limit={JsonApi.MaxPageSize}", cancellationToken);

    public Task<EventDto> PlanAsync(StoryEvent e, Guid consortiumId, IReadOnlyList<Guid> organizerIds, string idempotencyKey, CancellationToken cancellationToken) =>
        _api.PostAsync<EventDto>("/api/v1/events",
            new
            {
                e.Kind, e.Title, ConsortiumId = consortiumId, OrganizerIds = organizerIds, e.Venue,
                StartsAt = e.StartsAt.ToString("yyyy-MM-dd'T'HH:mm:sszzz", System.Globalization.CultureInfo.InvariantCulture),
                EndsAt = e.EndsAt.ToString("yyyy-MM-dd'T'HH:mm:sszzz", System.Globalization.CultureInfo.InvariantCulture),
                e.Capacity,
            },
            idempotencyKey, cancellationToken);

    /// <summary>One lifecycle action (<c>schedule</c>, <c>hold</c>) without a body.</summary>
    public Task<EventDto> PerformAsync(Guid eventId, string action, string idempotencyKey, CancellationToken cancellationToken) =>
        _api.PostAsync<EventDto>($"/api/v1/events/{eventId}/{action}", body: null, idempotencyKey, cancellationToken);

    public Task<AgreementDto> RecordAgreementAsync(Guid eventId, StoryAgreement agreement, IReadOnlyList<Guid> parties, DateOnly signedOn, string idempotencyKey,
        CancellationToken cancellationToken) =>
        _api.PostAsync<AgreementDto>($"/api/v1/events/{eventId}/outcomes/agreements",
            new { Parties = parties, agreement.Kind, agreement.Title, agreement.Occupation, SignedOn = signedOn }, idempotencyKey, cancellationToken);

    public Task<UnveilingDto> RecordUnveilingAsync(Guid eventId, StoryUnveiling unveiling, Guid hostOrganizationId, DateOnly unveiledOn, string idempotencyKey,
        CancellationToken cancellationToken) =>
        _api.PostAsync<UnveilingDto>($"/api/v1/events/{eventId}/outcomes/unveilings",
            new { unveiling.Name, HostOrganizationId = hostOrganizationId, unveiling.Kind, UnveiledOn = unveiledOn }, idempotencyKey, cancellationToken);

    public Task<CompetitionResultsDto> PublishResultsAsync(Guid eventId, IReadOnlyList<(string TraineeRef, Guid CollegeId, int Rank, string? Award)> entrants,
        string idempotencyKey, CancellationToken cancellationToken) =>
        _api.PostAsync<CompetitionResultsDto>($"/api/v1/events/{eventId}/outcomes/competition-results",
            new { Entrants = entrants.Select(e => new { e.TraineeRef, e.CollegeId, e.Rank, e.Award }).ToList() }, idempotencyKey, cancellationToken);
}
