namespace Platform.Events.Consumers;

/// <summary>Shows on the ceremony what talent-pipeline did with an unveiled plaque: the base program it activated, or why it refused.</summary>
public sealed class UnveilingOutcomeConsumer(EventsDbContext db) :
    IConsumer<PlaqueUnveilingApplied>,
    IConsumer<PlaqueUnveilingRejected>
{
    public async Task Consume(ConsumeContext<PlaqueUnveilingApplied> context)
    {
        var unveiling = await db.Unveilings.SingleOrDefaultAsync(u => u.Id == context.Message.UnveilingId, context.CancellationToken);
        unveiling?.MarkApplied(context.Message.ProgramId, context.Message.OccurredAt.ToUniversalTime());
    }

    public async Task Consume(ConsumeContext<PlaqueUnveilingRejected> context)
    {
        var unveiling = await db.Unveilings.SingleOrDefaultAsync(u => u.Id == context.Message.UnveilingId, context.CancellationToken);
        unveiling?.MarkRejected(context.Message.Reasons.Select(r => new DesignationRefusal { Field = r.Key, Reasons = [.. r.Value] }),
            context.Message.OccurredAt.ToUniversalTime());
    }
}
