using Platform.ServiceDefaults.Messaging;
using Platform.TalentPipeline.Contracts;

namespace Platform.Webhooks.Consumers;

/// <summary>
/// Tells a college about its own flagged placement events (placement.flagged). Every accepted placement event reaches
/// this queue and almost none is flagged, so they are taken in batches: one inbox transaction per batch instead of one
/// per event, which was most of what webhooks spent under a college's bulk upload.
/// </summary>
public sealed class FlaggedPlacementConsumer(WebhooksDbContext db, InboxBatch inbox, TimeProvider time) : IConsumer<Batch<PlacementRecorded>>
{
    public async Task Consume(ConsumeContext<Batch<PlacementRecorded>> context)
    {
        var flagged = inbox.New(context.Message).Select(m => m.Message).Where(m => m.Flagged).ToList();
        if (flagged.Count == 0) return;
        var colleges = (await OrganizationNames.OfAsync(db, flagged.Select(m => m.CollegeId), context.CancellationToken)).ToDictionary(o => o.OrganizationId);
        var now = time.GetUtcNow();
        foreach (var m in flagged)
        {
            var data = new PlacementFlaggedWebhook(m.EventId, m.CollegeId, colleges[m.CollegeId].Name, m.ProgramId, m.ProgramTitle, m.ConsortiumId, m.TraineeRef,
                m.Type, m.Stage, m.OccurredAt, m.AcceptedAt);
            await Fanout.SendAsync(db, WebhookEventType.PlacementFlagged, data, Audience.ForFlaggedPlacement(m.CollegeId), now, context.CancellationToken);
        }
    }
}

/// <summary>Batches of up to 200, delivered at the latest 20 ms after their first message arrived, one at a time per instance.</summary>
public sealed class FlaggedPlacementConsumerDefinition : ConsumerDefinition<FlaggedPlacementConsumer>
{
    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<FlaggedPlacementConsumer> consumerConfigurator,
        IRegistrationContext context)
    {
        ArgumentNullException.ThrowIfNull(consumerConfigurator);
        consumerConfigurator.Options<BatchOptions>(batch => batch.SetMessageLimit(200).SetTimeLimit(ms: 20).SetConcurrencyLimit(1));
    }
}
