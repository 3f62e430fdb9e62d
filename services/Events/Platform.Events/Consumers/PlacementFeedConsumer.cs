namespace Platform.Events.Consumers;

/// <summary>
/// Counts placement events into the feed's per-program daily lines, in batches. Colleges push hundreds of placement
/// events a second, and every event of a program and day lands on one line. One transaction per event made each wait
/// for the previous one's lock on that line and its commit: the feed topped out around 360 events/s and fell seconds
/// behind (bench/pipeline-ingestion). A batch takes one transaction for all its events: the inbox records each message
/// (duplicates are dropped through <see cref="InboxBatch"/>), the sources are inserted, then each line is locked and
/// rewritten once. Counts stay exact because all of that commits or rolls back together (a failed batch's messages
/// are retried). Simpler than the alternatives: one consumer at a time still pays a commit per event, and
/// per-event tally rows summed on read would make every feed read aggregate and page over sums.
/// </summary>
public sealed class PlacementFeedConsumer(FeedProjection feed, InboxBatch inbox) : IConsumer<Batch<PlacementRecorded>>
{
    public Task Consume(ConsumeContext<Batch<PlacementRecorded>> context) =>
        feed.RecordPlacementsAsync([.. inbox.New(context.Message).Select(m => (m.MessageId!.Value, m.Message))], context.CancellationToken);
}

/// <summary>
/// Batches of up to 200 messages, delivered at the latest 10 ms after their first message arrived (what the feed's
/// latency may spend waiting; a college's request reaches the queue as one burst, well within it), one batch at a
/// time per instance while the next one fills (two at once measured no better: they wait on the same lines' locks).
/// At 500 events/s a batch carries about a request's worth of events, and it grows with the load.
/// </summary>
public sealed class PlacementFeedConsumerDefinition : ConsumerDefinition<PlacementFeedConsumer>
{
    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<PlacementFeedConsumer> consumerConfigurator,
        IRegistrationContext context)
    {
        ArgumentNullException.ThrowIfNull(consumerConfigurator);
        consumerConfigurator.Options<BatchOptions>(batch => batch.SetMessageLimit(200).SetTimeLimit(ms: 10).SetConcurrencyLimit(1));
    }
}
