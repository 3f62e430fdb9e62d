namespace Platform.TalentPipeline.Features.Kpis;

/// <summary>Trainees who first reached each stage (each trainee counts once per stage).</summary>
public sealed record FunnelCounts(int Enrolled, int InternshipStarted, int InternshipCompleted, int OfferMade, int OfferAccepted, int Employed,
    int Retained6Months, int Retained12Months, int Withdrawn, int EmployedAfterInternship)
{
    public static FunnelCounts From(IReadOnlyDictionary<FunnelStage, int> counts)
    {
        int Of(FunnelStage stage) => counts.GetValueOrDefault(stage);
        return new(Of(FunnelStage.Enrolled), Of(FunnelStage.InternshipStarted), Of(FunnelStage.InternshipCompleted), Of(FunnelStage.OfferMade),
            Of(FunnelStage.OfferAccepted), Of(FunnelStage.Employed), Of(FunnelStage.Retained6Months), Of(FunnelStage.Retained12Months),
            Of(FunnelStage.Withdrawn), Of(FunnelStage.EmployedAfterInternship));
    }
}

/// <summary>One month of the funnel (by the month the stage was first reached, UTC).</summary>
public sealed record FunnelMonth(DateOnly Month, FunnelCounts Counts);

/// <summary>
/// Funnel KPIs. Rates are null when their denominator is zero. placementRate = employed / enrolled;
/// internshipToEmploymentConversion = employedAfterInternship / internshipStarted; retention6Months = retained6Months / employed;
/// retention12Months = retained12Months / employed.
/// </summary>
public sealed record FunnelResponse(FunnelCounts Counts, double? PlacementRate, double? InternshipToEmploymentConversion, double? Retention6Months,
    double? Retention12Months, IReadOnlyList<FunnelMonth> ByMonth);
