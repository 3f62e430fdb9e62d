using Platform.DemoData.Seeds;

namespace Platform.DemoData.Api;

/// <summary>A program's status (talent-pipeline API).</summary>
public enum ProgramStatus
{
    Draft,
    Active,
    Paused,
    Completed,
    Cancelled,
}

/// <summary>A placement event's type, the funnel's stages in order and <c>withdrawn</c>.</summary>
public enum PlacementType
{
    Enrolled,
    InternshipStarted,
    InternshipCompleted,
    OfferMade,
    OfferAccepted,
    Employed,
    Retained6Months,
    Retained12Months,
    Withdrawn,
}

public sealed record ProgramDto(Guid Id, Guid ConsortiumId, ProgramKind Kind, string Title, IReadOnlyList<Guid> CollegeIds, IReadOnlyList<Guid> EnterpriseIds,
    ProgramStatus Status, Guid? AgreementId);

public sealed record CohortDto(Guid Id, Guid ConsortiumId, Guid CollegeId, string Major, string Occupation, int GraduationYear, int Headcount);

public sealed record DemandDto(Guid Id, Guid ConsortiumId, Guid EnterpriseId, string Occupation, int Headcount, DateOnly NeededBy);

/// <summary>One event as a college reports it.</summary>
public sealed record PlacementEventDto(string EventId, Guid CollegeId, Guid ProgramId, string TraineeRef, PlacementType Type, DateTimeOffset OccurredAt,
    Guid? EnterpriseId);

public sealed record PlacementReportDto(int Accepted, int Duplicates, int Rejected);

public sealed record FunnelCountsDto(int Enrolled, int InternshipStarted, int InternshipCompleted, int OfferMade, int OfferAccepted, int Employed,
    int Retained6Months, int Retained12Months, int Withdrawn);

public sealed record FunnelDto(FunnelCountsDto Counts, double? PlacementRate);

/// <summary>The talent-pipeline service's routes the loader uses (services/TalentPipeline/…/Features, API.md "talent-pipeline").</summary>
public sealed class TalentPipelineApi(HttpClient http)
{
    private readonly JsonApi _api = new(http);

    public Task<IReadOnlyList<ProgramDto>> ListProgramsAsync(Guid consortiumId, CancellationToken cancellationToken) =>
        _api.ListAllAsync<ProgramDto>($"/api/v1/programs?consortiumId={consortiumId}", cancellationToken);

    public Task<ProgramDto> CreateProgramAsync(StoryProgram program, Guid consortiumId, IReadOnlyList<Guid> collegeIds, IReadOnlyList<Guid> enterpriseIds,
        string idempotencyKey, CancellationToken cancellationToken) =>
        _api.PostAsync<ProgramDto>("/api/v1/programs",
            new
            {
                ConsortiumId = consortiumId, program.Kind, program.Title, CollegeIds = collegeIds, EnterpriseIds = enterpriseIds, program.Occupation,
                program.StartsOn,
            },
            idempotencyKey, cancellationToken);

    public Task<ProgramDto> LaunchAsync(Guid programId, string idempotencyKey, CancellationToken cancellationToken) =>
        _api.PostAsync<ProgramDto>($"/api/v1/programs/{programId}/launch", body: null, idempotencyKey, cancellationToken);

    public Task<IReadOnlyList<CohortDto>> ListCohortsAsync(Guid consortiumId, CancellationToken cancellationToken) =>
        _api.ListAllAsync<CohortDto>($"/api/v1/cohorts?consortiumId={consortiumId}", cancellationToken);

    public Task<CohortDto> DeclareCohortAsync(StoryCohort cohort, Guid consortiumId, Guid collegeId, string idempotencyKey, CancellationToken cancellationToken) =>
        _api.PostAsync<CohortDto>("/api/v1/cohorts",
            new { ConsortiumId = consortiumId, CollegeId = collegeId, cohort.Major, cohort.Occupation, cohort.GraduationYear, cohort.Headcount },
            idempotencyKey, cancellationToken);

    public Task<IReadOnlyList<DemandDto>> ListDemandsAsync(Guid consortiumId, CancellationToken cancellationToken) =>
        _api.ListAllAsync<DemandDto>($"/api/v1/demands?consortiumId={consortiumId}", cancellationToken);

    public Task<DemandDto> PostDemandAsync(StoryDemand demand, Guid consortiumId, Guid enterpriseId, string idempotencyKey, CancellationToken cancellationToken) =>
        _api.PostAsync<DemandDto>("/api/v1/demands",
            new { ConsortiumId = consortiumId, EnterpriseId = enterpriseId, demand.Occupation, demand.Skills, demand.Headcount, demand.Region, demand.NeededBy },
            idempotencyKey, cancellationToken);

    /// <summary>The batch route (≤ 1000 events); each event is accepted, a duplicate of one already stored, or rejected.</summary>
    public Task<PlacementReportDto> RecordPlacementsAsync(IReadOnlyList<PlacementEventDto> events, string idempotencyKey, CancellationToken cancellationToken) =>
        _api.PostAsync<PlacementReportDto>("/api/v1/placement-events", new { Events = events }, idempotencyKey, cancellationToken);

    public Task<FunnelDto> FunnelAsync(Guid programId, CancellationToken cancellationToken) =>
        _api.GetAsync<FunnelDto>($"/api/v1/kpis/funnel?programId={programId}", cancellationToken);
}
