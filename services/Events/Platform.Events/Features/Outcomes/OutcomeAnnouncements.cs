namespace Platform.Events.Features.Outcomes;

/// <summary>
/// The one place an outcome recorded on a held event becomes its integration event, from what the domain recorded
/// (the time of the record is the event's <c>OccurredAt</c>).
/// </summary>
public static class OutcomeAnnouncements
{
    public static AgreementSigned Signed(Agreement agreement, ConsortiumEvent held, Caller caller) => new AgreementSigned
    {
        AgreementId = agreement.Id,
        EventId = agreement.EventId,
        EventTitle = held.Title,
        ConsortiumId = agreement.ConsortiumId,
        Kind = ApiEnum.Name(agreement.Kind),
        Title = agreement.Title,
        Occupation = agreement.Occupation,
        Parties = [.. agreement.Parties.Select(p => new AgreementParty { OrganizationId = p.OrganizationId, OrganizationName = p.Name, OrganizationNameZh = p.NameZh, OrganizationKind = p.Kind })],
        SignedOn = agreement.SignedOn,
        OccurredAt = agreement.RecordedAt,
        RecordedBy = RecorderOf(caller),
    };

    public static PlaqueUnveiled Unveiled(Unveiling unveiling, Caller caller) => new PlaqueUnveiled
    {
        UnveilingId = unveiling.Id,
        EventId = unveiling.EventId,
        ConsortiumId = unveiling.ConsortiumId,
        Name = unveiling.Name,
        HostOrganizationId = unveiling.HostOrganizationId,
        HostOrganizationName = unveiling.HostOrganizationName,
        HostOrganizationNameZh = unveiling.HostOrganizationNameZh,
        Kind = ApiEnum.Name(unveiling.Kind),
        UnveiledOn = unveiling.UnveiledOn,
        OccurredAt = unveiling.RecordedAt,
        RecordedBy = RecorderOf(caller),
    };

    public static CouncilDesignationsRecorded DesignationsRecorded(CouncilDesignationRecording recording, Caller caller) => new CouncilDesignationsRecorded
    {
        RecordingId = recording.Id,
        EventId = recording.EventId,
        ConsortiumId = recording.ConsortiumId,
        SessionNumber = recording.SessionNumber,
        Designations = [.. recording.Designations.Select(d => new CouncilDesignation { OrganizationId = d.OrganizationId, Role = ApiEnum.Name(d.Role) })],
        OccurredAt = recording.RecordedAt,
        RecordedBy = RecorderOf(caller),
    };

    public static CompetitionResultsPublished ResultsPublished(CompetitionResults results, ConsortiumEvent held, Caller caller) => new CompetitionResultsPublished
    {
        ResultsId = results.Id,
        EventId = results.EventId,
        EventTitle = held.Title,
        ConsortiumId = results.ConsortiumId,
        Entrants = [.. results.Entrants.Select(e => new CompetitionEntrant { TraineeRef = e.TraineeRef, CollegeId = e.CollegeId, CollegeName = e.CollegeName, CollegeNameZh = e.CollegeNameZh, Rank = e.Rank, Award = e.Award })],
        OccurredAt = results.PublishedAt,
        RecordedBy = RecorderOf(caller),
    };

    /// <summary>Who records the outcome: consumers grant privileged effects (council roles, launching programs) by it.</summary>
    private static OutcomeRecorder RecorderOf(Caller caller) => caller.IsOperator
        ? new OutcomeRecorder { Kind = OutcomeRecorder.OperatorKind }
        : new OutcomeRecorder { Kind = OutcomeRecorder.PartnerKind, OrganizationId = caller.OrganizationId };
}
