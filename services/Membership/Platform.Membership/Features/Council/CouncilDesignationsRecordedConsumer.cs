using MassTransit;
using Platform.Events.Contracts;
using DomainDesignation = Platform.Membership.Domain.CouncilDesignation;

namespace Platform.Membership.Features.Council;

/// <summary>
/// Council roles designated at a council meeting (recorded in the events service) are applied exactly as the
/// operator's bulk designation. A refusal is not silent: <see cref="CouncilDesignationsRejected"/> carries the
/// reasons back to the events service, which shows them on the meeting's outcome. Council roles are the operator's to
/// designate: a recording made with a partner key (any organizer of a held meeting can record one) is refused, as is
/// one that does not say who recorded it (sent before recorders were carried).
/// </summary>
public sealed class CouncilDesignationsRecordedConsumer(MembershipDbContext db, TimeProvider time) : IConsumer<CouncilDesignationsRecorded>
{
    public async Task Consume(ConsumeContext<CouncilDesignationsRecorded> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var recorded = context.Message;
        var now = time.GetUtcNow();
        var reasons = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var designations = new List<DomainDesignation>();
        if (RecorderProblem(recorded.RecordedBy) is { } recorderProblem) reasons["recordedBy"] = [recorderProblem];
        for (var i = 0; i < recorded.Designations.Count; i++)
        {
            if (!ApiEnum.TryParse<CouncilRole>(recorded.Designations[i].Role, out var role)) reasons[$"designations[{i}].role"] = [$"'{recorded.Designations[i].Role}' is not a council role (chair, viceChair, secretaryGeneral, councilMember)."];
            else designations.Add(new DomainDesignation(recorded.Designations[i].OrganizationId, role));
        }

        if (reasons.Count == 0)
        {
            switch (await CouncilRoleDesignation.DesignateAsync(db, recorded.ConsortiumId, recorded.SessionNumber, designations, now, context.CancellationToken))
            {
                case DesignationResult.Applied:
                    db.AddIntegrationEvent(new CouncilDesignationsApplied
                    {
                        RecordingId = recorded.RecordingId, ConsortiumId = recorded.ConsortiumId, SessionNumber = recorded.SessionNumber,
                        Designated = designations.Count, OccurredAt = now,
                    });
                    return;
                case null:
                    reasons["sessionNumber"] = [await db.Consortia.AnyAsync(c => c.Id == recorded.ConsortiumId, context.CancellationToken)
                        ? $"The consortium has no council session {recorded.SessionNumber}; open it first."
                        : "No such consortium."];
                    break;
                case DesignationResult.NotCurrent notCurrent:
                    reasons["sessionNumber"] = [$"Council session {recorded.SessionNumber} has been succeeded by session {notCurrent.CurrentNumber}."];
                    break;
                case DesignationResult.Refused refused:
                    foreach (var group in refused.Problems.GroupBy(p => $"designations[{p.Index}].organizationId"))
                        reasons[group.Key] = [.. group.Select(p => p.Reason)];
                    break;
            }
        }

        // Nothing of the designation was applied: forget whatever the attempt tracked, keep only the answer.
        db.ChangeTracker.Clear();
        db.AddIntegrationEvent(new CouncilDesignationsRejected
        {
            RecordingId = recorded.RecordingId, ConsortiumId = recorded.ConsortiumId, SessionNumber = recorded.SessionNumber, Reasons = reasons, OccurredAt = now,
        });
    }

    /// <summary>Why the recorder may not designate council roles, or null for the operator.</summary>
    internal static string? RecorderProblem(OutcomeRecorder? recorder) => recorder switch
    {
        { Kind: OutcomeRecorder.OperatorKind } => null,
        { Kind: OutcomeRecorder.PartnerKind, OrganizationId: { } organization } =>
            $"Recorded with a partner key of organization {organization}; council roles recorded at a meeting are applied only when the consortium's operator records them.",
        _ => "The recording does not say who recorded it; council roles are applied only when the consortium's operator records them.",
    };
}
