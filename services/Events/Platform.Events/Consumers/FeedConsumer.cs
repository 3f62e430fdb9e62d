namespace Platform.Events.Consumers;

/// <summary>
/// Builds the activity feed from every service's integration events, this service's own included (they come back
/// through the broker like the others, so the feed has one way in and can be rebuilt the same way). Placement
/// events, by far the most frequent, have their own batch consumer (<see cref="PlacementFeedConsumer"/>).
/// </summary>
public sealed class FeedConsumer(FeedProjection feed) :
    IConsumer<ConsortiumEstablished>,
    IConsumer<MembershipActivated>,
    IConsumer<MembershipSuspended>,
    IConsumer<MembershipReinstated>,
    IConsumer<MembershipWithdrawn>,
    IConsumer<CouncilSessionOpened>,
    IConsumer<CouncilRoleAssigned>,
    IConsumer<CouncilRoleRevoked>,
    IConsumer<CharterApproved>,
    IConsumer<ProgramLaunched>,
    IConsumer<ProgramStatusChanged>,
    IConsumer<ConsortiumEventScheduled>,
    IConsumer<ConsortiumEventHeld>,
    IConsumer<ConsortiumEventCancelled>,
    IConsumer<AgreementSigned>,
    IConsumer<PlaqueUnveiled>,
    IConsumer<CompetitionResultsPublished>
{
    public Task Consume(ConsumeContext<ConsortiumEstablished> context) => Record(context);
    public Task Consume(ConsumeContext<MembershipActivated> context) => Record(context);
    public Task Consume(ConsumeContext<MembershipSuspended> context) => Record(context);
    public Task Consume(ConsumeContext<MembershipReinstated> context) => Record(context);
    public Task Consume(ConsumeContext<MembershipWithdrawn> context) => Record(context);
    public Task Consume(ConsumeContext<CouncilSessionOpened> context) => Record(context);
    public Task Consume(ConsumeContext<CouncilRoleAssigned> context) => Record(context);
    public Task Consume(ConsumeContext<CouncilRoleRevoked> context) => Record(context);
    public Task Consume(ConsumeContext<CharterApproved> context) => Record(context);
    public Task Consume(ConsumeContext<ProgramLaunched> context) => Record(context);
    public Task Consume(ConsumeContext<ProgramStatusChanged> context) => Record(context);
    public Task Consume(ConsumeContext<ConsortiumEventScheduled> context) => Record(context);
    public Task Consume(ConsumeContext<ConsortiumEventHeld> context) => Record(context);
    public Task Consume(ConsumeContext<ConsortiumEventCancelled> context) => Record(context);
    public Task Consume(ConsumeContext<AgreementSigned> context) => Record(context);
    public Task Consume(ConsumeContext<PlaqueUnveiled> context) => Record(context);
    public Task Consume(ConsumeContext<CompetitionResultsPublished> context) => Record(context);

    private Task Record<T>(ConsumeContext<T> context) where T : class =>
        feed.RecordAsync(context.MessageId ?? throw new InvalidOperationException("A message without a MessageId cannot be told once."),
            context.Message, context.CancellationToken);
}
