using MassTransit;
using Microsoft.EntityFrameworkCore;
using Platform.Events.Contracts;
using Platform.Membership.Contracts;
using Platform.Membership.Domain;
using Platform.Membership.Persistence;
using Platform.ServiceDefaults.Http;
using Platform.ServiceDefaults.Messaging;
using DomainDesignation = Platform.Membership.Domain.CouncilDesignation;

namespace Platform.Membership.Features.Council;

/// <summary>
/// Council roles designated at a council meeting (recorded in the events service) are applied exactly as the
/// operator's bulk designation. A refusal is not silent: <see cref="CouncilDesignationsRejected"/> carries the
/// reasons back to the events service, which shows them on the meeting's outcome.
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
        for (var i = 0; i < recorded.Designations.Count; i++)
        {
            if (!ApiEnum.TryParse<CouncilRole>(recorded.Designations[i].Role, out var role)) reasons[$"designations[{i}].role"] = [$"'{recorded.Designations[i].Role}' is not a council role (chair, viceChair, secretaryGeneral, councilMember)."];
            else designations.Add(new DomainDesignation(recorded.Designations[i].OrganizationId, role));
        }

        if (reasons.Count == 0)
        {
            switch (await CouncilRoleDesignation.DesignateAsync(db, recorded.ConsortiumId, recorded.SessionNumber, designations, now, context.CancellationToken))
            {
                case DesignationOutcome.Applied applied:
                    db.AddIntegrationEvent(new CouncilDesignationsApplied
                    {
                        RecordingId = recorded.RecordingId, ConsortiumId = recorded.ConsortiumId, SessionNumber = recorded.SessionNumber,
                        Designated = designations.Count, OccurredAt = now,
                    });
                    return;
                case DesignationOutcome.NoSuchSession:
                    reasons["sessionNumber"] = [await db.Consortia.AnyAsync(c => c.Id == recorded.ConsortiumId, context.CancellationToken)
                        ? $"The consortium has no council session {recorded.SessionNumber}; open it first."
                        : "No such consortium."];
                    break;
                case DesignationOutcome.NotCurrent notCurrent:
                    reasons["sessionNumber"] = [$"Council session {recorded.SessionNumber} has been succeeded by session {notCurrent.CurrentNumber}."];
                    break;
                case DesignationOutcome.Refused refused:
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
}
