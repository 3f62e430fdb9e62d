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
/// A failed attempt rolls back and clears the change tracker, so a retry starts from the database's state, not
/// from the half-done entities of the failed attempt. Retries are configured outside this filter, so each attempt
/// is its own transaction.
/// </para>
/// </summary>
internal sealed partial class InboxFilter<TMessage>(PlatformDbContext dbContext, ILogger<InboxFilter<TMessage>> logger) : IFilter<ConsumeContext<TMessage>>
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
                return;
            }

            await next.Send(context);
            await dbContext.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        catch
        {
            // The transaction rolls back when disposed; drop what the failed attempt tracked.
            dbContext.ChangeTracker.Clear();
            throw;
        }
    }

    public void Probe(ProbeContext context) => context?.CreateFilterScope("inbox");

    [LoggerMessage(Level = LogLevel.Information, Message = "Message {MessageId} was already processed by {Consumer}; acknowledged without running it again")]
    private static partial void LogDuplicate(ILogger logger, Guid messageId, string consumer);
}
