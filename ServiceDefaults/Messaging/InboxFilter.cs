using MassTransit;
using MassTransit.Transports;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Platform.ServiceDefaults.Persistence;

namespace Platform.ServiceDefaults.Messaging;

/// <summary>
/// Runs every consumer through the inbox. A scoped consume filter: MassTransit resolves it from the message's
/// scope, the same scope the consumer is resolved from, so <paramref name="dbContext"/> is the very instance the
/// consumer uses.
/// <para>
/// It opens a transaction, records (MessageId, endpoint) in <c>platform.inbox_records</c>, runs the consumer,
/// saves whatever the consumer left unsaved (including events it added to the outbox) and commits: the record,
/// the consumer's effects and its outgoing events become durable together, before MassTransit acknowledges the
/// delivery. The record is inserted first with <c>ON CONFLICT DO NOTHING</c>: a copy delivered after the first
/// committed inserts nothing and is acknowledged without running the consumer; a copy delivered while the first
/// is still running waits on the first's row lock and then does the same (or runs, if the first rolled back).
/// </para>
/// <para>
/// A batch consumer (<c>IConsumer&lt;Batch&lt;T&gt;&gt;</c>) gets the same, once per batch: one transaction records every
/// message of the batch (in MessageId order, so two batches sharing a redelivered copy lock in one order) and the
/// consumer's effects. The messages that were already recorded are duplicates; <see cref="InboxBatch"/> (scoped, so
/// the consumer can take it) tells the consumer which messages are new, and a batch of duplicates only is
/// acknowledged without running the consumer.
/// </para>
/// <para>
/// A failed attempt rolls back and clears the change tracker, so a retry starts from the database's state, not
/// from the half-done entities of the failed attempt. Retries are configured outside this filter, so each attempt
/// is its own transaction.
/// </para>
/// <para>
/// MassTransit counts a delivery as done when the consumer returns, before this filter commits. The consumer gets a
/// context that holds that notice until the commit: otherwise a batch whose commit failed (its database went away)
/// acknowledged its last message as done and lost it instead of retrying it with the others.
/// </para>
/// </summary>
internal sealed partial class InboxFilter<TMessage>(PlatformDbContext dbContext, InboxBatch inboxBatch, ILogger<InboxFilter<TMessage>> logger)
    : IFilter<ConsumeContext<TMessage>>
    where TMessage : class
{
    public async Task Send(ConsumeContext<TMessage> context, IPipe<ConsumeContext<TMessage>> next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var messageId = context.MessageId
            ?? throw new InvalidOperationException($"A {typeof(TMessage).Name} arrived without a MessageId; the inbox cannot tell a redelivery from a new message.");
        var consumer = context.ReceiveContext.InputAddress.GetEndpointName() ?? "unknown";
        var cancellationToken = context.CancellationToken;

        // A failed attempt rolls back as a whole, so EF's automatic savepoints around SaveChanges would only cost
        // two round trips per save.
        dbContext.Database.AutoSavepointsEnabled = false;
        await using var transaction = await dbContext.Database.BeginTransactionAsync(cancellationToken);
        try
        {
            if (context.Message is IEnumerable<ConsumeContext> batch)
            {
                if (!await RecordBatchAsync(batch, consumer, cancellationToken))
                {
                    await transaction.RollbackAsync(cancellationToken);
                    return;
                }
            }
            else
            {
                var recorded = await dbContext.Database.ExecuteSqlAsync($"""
                    INSERT INTO platform.inbox_records (message_id, consumer, processed_at)
                    VALUES ({messageId}, {consumer}, now())
                    ON CONFLICT DO NOTHING
                    """, cancellationToken);
                if (recorded == 0)
                {
                    await transaction.RollbackAsync(cancellationToken);
                    MessagingTelemetry.InboxDuplicates.Add(1);
                    LogDuplicate(logger, messageId, consumer);
                    // Done, not "no consumer for it": without this MassTransit moves the copy to the _skipped queue.
                    await context.NotifyConsumed(TimeSpan.Zero, DuplicateConsumer);
                    return;
                }
            }

            var held = new ConsumedAfterCommit(context);
            await next.Send(held);
            await dbContext.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            await held.NotifyHeldAsync();
        }
        catch
        {
            // The transaction rolls back when disposed; drop what the failed attempt tracked.
            dbContext.ChangeTracker.Clear();
            throw;
        }
    }

    /// <summary>Records every message of a batch; false when all of them were recorded before (nothing to do).</summary>
    private async Task<bool> RecordBatchAsync(IEnumerable<ConsumeContext> batch, string consumer, CancellationToken cancellationToken)
    {
        var ids = batch.Select(m => m.MessageId
                ?? throw new InvalidOperationException($"A message of a {typeof(TMessage).Name} arrived without a MessageId; the inbox cannot tell a redelivery from a new message."))
            .Distinct().Order().ToArray();
        var fresh = await dbContext.Database.SqlQuery<Guid>($"""
            INSERT INTO platform.inbox_records (message_id, consumer, processed_at)
            SELECT id, {consumer}, now() FROM unnest({ids}) AS id
            ON CONFLICT DO NOTHING
            RETURNING message_id AS "Value"
            """).ToListAsync(cancellationToken);
        inboxBatch.Recorded(fresh);
        var duplicates = ids.Length - fresh.Count;
        if (duplicates > 0)
        {
            MessagingTelemetry.InboxDuplicates.Add(duplicates);
            foreach (var id in ids.Except(fresh)) LogDuplicate(logger, id, consumer);
        }
        return fresh.Count > 0;
    }

    public void Probe(ProbeContext context) => context?.CreateFilterScope("inbox");

    private const string DuplicateConsumer = "inbox (duplicate)";

    /// <summary>The context the consumer runs in: its "consumed" notices wait for <see cref="NotifyHeldAsync"/> (after the commit).</summary>
    private sealed class ConsumedAfterCommit(ConsumeContext<TMessage> context) : MassTransit.Context.ConsumeContextProxy<TMessage>(context)
    {
        private readonly List<(TimeSpan Duration, string ConsumerType)> _held = [];

        public override Task NotifyConsumed(TimeSpan duration, string consumerType)
        {
            lock (_held) _held.Add((duration, consumerType));
            return Task.CompletedTask;
        }

        public async Task NotifyHeldAsync()
        {
            foreach (var (duration, consumerType) in _held) await base.NotifyConsumed(duration, consumerType);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Message {MessageId} was already processed by {Consumer}; acknowledged without running it again")]
    private static partial void LogDuplicate(ILogger logger, Guid messageId, string consumer);
}

/// <summary>
/// For a batch consumer (<c>IConsumer&lt;Batch&lt;T&gt;&gt;</c>): which messages of the batch the inbox recorded now, i.e. are
/// not duplicates. Scoped: the inbox filter fills it in the consumer's own scope before the consumer runs.
/// </summary>
public sealed class InboxBatch
{
    private HashSet<Guid> _new = [];

    internal void Recorded(IEnumerable<Guid> messageIds) => _new = [.. messageIds];

    /// <summary>The messages of <paramref name="batch"/> to act on: those not processed before, in batch order.</summary>
    public IReadOnlyList<ConsumeContext<T>> New<T>(Batch<T> batch) where T : class
    {
        ArgumentNullException.ThrowIfNull(batch);
        return [.. batch.Where(m => m.MessageId is { } id && _new.Contains(id))];
    }
}
