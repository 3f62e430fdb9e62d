using Platform.Events.Contracts;

namespace Platform.Webhooks.Consumers;

/// <summary>
/// Tells a consortium's events and signed agreements to its current members (active or suspended): the organizations
/// that may read its feed and agreements register. Runs through the inbox.
/// </summary>
public sealed class ConsortiumEventConsumer(WebhooksDbContext db, TimeProvider time) :
    IConsumer<ConsortiumEventScheduled>, IConsumer<ConsortiumEventCancelled>, IConsumer<AgreementSigned>
{
    public async Task Consume(ConsumeContext<ConsortiumEventScheduled> context)
    {
        var m = context.Message;
        var organizers = await OrganizationNames.OfAsync(db, m.OrganizerIds, context.CancellationToken);
        var data = new ConsortiumEventWebhook(m.EventId, m.ConsortiumId, m.Title, m.Kind, "scheduled", m.Venue, m.StartsAt, m.EndsAt, organizers, null, m.OccurredAt);
        await SendAsync(WebhookEventType.EventScheduled, data, m.ConsortiumId, context.CancellationToken);
    }

    // RegistrantIds are registrations, not organizations: the members hear of the cancellation, registered or not.
    public Task Consume(ConsumeContext<ConsortiumEventCancelled> context)
    {
        var m = context.Message;
        var data = new ConsortiumEventWebhook(m.EventId, m.ConsortiumId, m.Title, null, "cancelled", null, null, null, [], m.Reason, m.OccurredAt);
        return SendAsync(WebhookEventType.EventCancelled, data, m.ConsortiumId, context.CancellationToken);
    }

    public Task Consume(ConsumeContext<AgreementSigned> context)
    {
        var m = context.Message;
        var data = new AgreementSignedWebhook(m.AgreementId, m.EventId, m.EventTitle, m.ConsortiumId, m.Kind, m.Title, m.Occupation,
            [.. m.Parties.Select(p => new AgreementSignedParty(p.OrganizationId, p.OrganizationName, p.OrganizationKind))], m.SignedOn, m.OccurredAt);
        return SendAsync(WebhookEventType.AgreementSigned, data, m.ConsortiumId, context.CancellationToken);
    }

    private async Task SendAsync(WebhookEventType type, object data, Guid consortiumId, CancellationToken cancellationToken)
    {
        var members = await db.Members.AsNoTracking().Where(m => m.ConsortiumId == consortiumId).ToListAsync(cancellationToken);
        await Fanout.SendAsync(db, type, data, Audience.ForConsortium(members), time.GetUtcNow(), cancellationToken);
    }
}
