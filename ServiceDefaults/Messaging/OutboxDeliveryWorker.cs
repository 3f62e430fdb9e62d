using System.Diagnostics;
using System.Text.Json;
using MassTransit;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using OpenTelemetry;
using Platform.ServiceDefaults.Persistence;

namespace Platform.ServiceDefaults.Messaging;

/// <summary>
/// Publishes outbox rows to RabbitMQ and deletes each row only after the broker confirmed it.
/// <para>
/// <b>When it runs.</b> Woken by <see cref="OutboxCommitInterceptor"/> right after a commit that wrote events, and
/// every <see cref="OutboxOptions.SweepInterval"/> for anything else (rows committed by other instances or by a
/// process that died before delivering, rows whose retry is due). A full batch is followed at once by the next one.
/// </para>
/// <para>
/// <b>Several instances.</b> Each batch runs in one database transaction that first takes a transaction-scoped
/// advisory lock, then claims rows with <c>FOR UPDATE SKIP LOCKED</c>. The lock makes one instance the deliverer
/// at a time, which is what keeps the outbox in order: with SKIP LOCKED alone two instances would publish
/// interleaved slices of the sequence concurrently. It is released by commit, by rollback, and by PostgreSQL when
/// the holder's connection dies, so if the deliverer crashes the next instance to look takes over: one already
/// blocked on the lock (woken by its own commit) at once, otherwise at its next sweep. Waiting on the lock rather
/// than trying it means a woken instance never gives up and leaves its own fresh rows to the sweep. SKIP LOCKED
/// stays as a second guard against anything else that claims rows without the lock.
/// </para>
/// <para>
/// <b>Order.</b> Rows are claimed in sequence order. A batch is published concurrently, but publishes are started
/// one after another so the broker receives them in sequence order (see <see cref="PublishInOrderAsync"/>), and
/// all confirms are awaited before the next batch is claimed, so batch N+1 never overtakes batch N. A lost
/// connection mid-batch stops the batch instead of letting MassTransit resend its rows on the next connection in
/// its own order; the rows from the first unconfirmed one on go out again, in order. So the first copy of every
/// message reaches the broker in sequence order; later copies (at least once) can come anywhere. Consumers running with
/// <see cref="MessagingOptions.ConcurrentMessageLimit"/> above 1, and retries, reorder anyway: a consumer that
/// needs order must use 1. Delivery is at least once: a crash after the broker's confirm but before the delete
/// commits publishes the row again with the same MessageId, which the consumers' inbox drops. The same holds for a
/// delete lost because the batch commits with <c>synchronous_commit = off</c> (no WAL flush wait per batch).
/// </para>
/// <para>
/// <b>Failures.</b> A broker failure (publish error, no confirm within <see cref="OutboxOptions.PublishTimeout"/>)
/// leaves the row where it is (attempts and last_error recorded) and makes the worker wait, doubling from
/// <see cref="OutboxOptions.BrokerRetryMinDelay"/> to <see cref="OutboxOptions.BrokerRetryMaxDelay"/>, ignoring
/// wake-ups meanwhile: no spinning while RabbitMQ is down, and order is kept because the row stays first. A row
/// that can never become a message in this build (unknown type, unreadable body) is set aside instead: it gets a
/// next_attempt_at (1 min doubling to 1 h by default) and the rows behind it flow on. It keeps being retried (a
/// later deploy may know its type), loses its place in the order, and shows in the outbox health check's count
/// and oldest age. After <see cref="OutboxOptions.ParkAfterAttempts"/> failures a row is parked (skipped until an
/// operator clears <c>parked_at</c>); a row the broker keeps refusing is parked the same way, but only while the
/// bus is healthy, so an outage parks nothing and a poison row cannot hold the outbox back forever.
/// </para>
/// </summary>
internal sealed partial class OutboxDeliveryWorker(
    ServiceDatabase database,
    IBus bus,
    BusReadiness busReadiness,
    OutboxSignal signal,
    IOptions<MessagingOptions> options,
    ILogger<OutboxDeliveryWorker> logger) : BackgroundService
{
    // Any constant distinct from the migration runner's; advisory locks are per database, so it is per outbox.
    private const long DeliveryLockKey = 0x6f75_7462_6f78; // "outbox"

    private readonly OutboxOptions _settings = options.Value.Outbox;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_settings.DeliveryEnabled)
        {
            LogDeliveryDisabled(logger);
            return;
        }
        try
        {
            await WaitForBusAsync(stoppingToken);
            var consecutiveFailures = 0;
            while (!stoppingToken.IsCancellationRequested)
            {
                BatchResult result;
                try
                {
                    result = await DeliverBatchAsync(stoppingToken);
                }
                catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
                {
                    // The database is unreachable, or the lock wait timed out: same treatment as a broker failure.
                    LogBatchFailed(logger, exception);
                    result = new BatchResult(0, BrokerFailed: true);
                }

                if (result.BrokerFailed)
                {
                    consecutiveFailures++;
                    await Task.Delay(BrokerRetryDelay(consecutiveFailures), stoppingToken);
                    continue;
                }

                consecutiveFailures = 0;
                if (result.Claimed < _settings.BatchSize)
                    await signal.WaitAsync(_settings.SweepInterval, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping; an interrupted batch rolled back and its rows will be published again.
        }
    }

    /// <summary>
    /// Waits (at most 30 s) until the bus has started and its consumer queues are declared and bound, so events a
    /// service sends to itself right at its first start are not published before its own queues exist. After that
    /// (or if the broker is down at start-up) publishing simply tries, and backs off on failure.
    /// </summary>
    private async Task WaitForBusAsync(CancellationToken cancellationToken)
    {
        try
        {
            await busReadiness.Ready.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
        }
        catch (TimeoutException)
        {
        }
    }

    /// <summary>Claims up to one batch, publishes it, and records the outcome of every row, all in one transaction.</summary>
    internal async Task<BatchResult> DeliverBatchAsync(CancellationToken cancellationToken)
    {
        // The worker's own queries (lock, claim, delete) are not traced: each sweep would start a trace, even one that
        // finds nothing. Each message's delivery is traced, in the trace of the request that wrote it (PublishAsync).
        using var untraced = SuppressInstrumentationScope.Begin();
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        // One round trip: the lock and the transaction's settings (TransactionSettings).
        await using (var begin = new NpgsqlBatch(connection, transaction))
        {
            foreach (var setting in TransactionSettings) begin.BatchCommands.Add(new NpgsqlBatchCommand(setting));
            var takeLock = new NpgsqlBatchCommand("SELECT pg_advisory_xact_lock($1)");
            takeLock.Parameters.Add(new NpgsqlParameter { Value = DeliveryLockKey });
            begin.BatchCommands.Add(takeLock);
            await begin.ExecuteNonQueryAsync(cancellationToken);
        }

        var rows = await ClaimAsync(connection, transaction, cancellationToken);
        if (rows.Count == 0)
        {
            await transaction.CommitAsync(cancellationToken);
            return new BatchResult(0, BrokerFailed: false);
        }

        var outcomes = await PublishInOrderAsync(rows, cancellationToken);

        var delivered = rows.Where((_, i) => outcomes[i].Status == PublishStatus.Delivered).Select(row => row.Sequence).ToArray();
        await using (var delete = new NpgsqlCommand("DELETE FROM platform.outbox_messages WHERE sequence = ANY($1)", connection, transaction))
        {
            delete.Parameters.Add(new NpgsqlParameter { Value = delivered });
            await delete.ExecuteNonQueryAsync(cancellationToken);
        }

        for (var i = 0; i < rows.Count; i++)
        {
            if (outcomes[i].Status is PublishStatus.BrokerFailed or PublishStatus.Unpublishable)
                await RecordFailureAsync(connection, transaction, rows[i], outcomes[i], cancellationToken);
        }
        var brokerFailed = outcomes.Any(o => o.Status == PublishStatus.BrokerFailed);

        await transaction.CommitAsync(cancellationToken);
        untraced.Dispose(); // before logging: suppression drops log records too
        MessagingTelemetry.OutboxPublished.Add(delivered.Length);
        if (delivered.Length > 0)
            LogDelivered(logger, delivered.Length, rows.Count);
        return new BatchResult(rows.Count, brokerFailed);
    }

    /// <summary>
    /// Publishes a batch concurrently without letting a message overtake an earlier one. Publishes are started one
    /// after another and only their confirms are awaited together: once MassTransit has a channel and has declared
    /// the message type's exchange, a publish runs synchronously up to the socket write, so the broker receives the
    /// messages in the order they were started (the ordering test checks exactly this). The first publish of a
    /// message type on a channel is not like that: it creates the send endpoint and declares the exchange, and the
    /// publishes queued behind it resume in no particular order (measured: nearly reversed). So the first row of
    /// each message type in a batch is published alone and awaited before the rows behind it start; per batch
    /// rather than once, because MassTransit may have reconnected (new channel, exchanges to declare again) since
    /// the last batch without telling us.
    /// <para>
    /// When the connection drops mid-batch, MassTransit retries each failed publish on the next connection, each on
    /// its own schedule: in no particular order, and ahead of nothing we control. So every row may reach the broker
    /// through one attempt only, made on the channel the batch started on (<see cref="SendOnce"/>); the first
    /// failure stops the batch (<see cref="BatchStop"/>), and everything from the first unconfirmed row on is
    /// published again, in order, by the next batch.
    /// </para>
    /// </summary>
    private async Task<PublishOutcome[]> PublishInOrderAsync(List<OutboxRow> rows, CancellationToken cancellationToken)
    {
        using var stop = new BatchStop(cancellationToken);
        var publishes = Enumerable.Repeat(Task.FromResult(PublishOutcome.NotAttempted), rows.Count).ToArray();
        var seenTypes = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < rows.Count && !stop.Stopped; i++)
        {
            var alone = seenTypes.Add(rows[i].MessageType);
            publishes[i] = PublishAsync(rows[i], stop, mayWaitForChannel: alone, cancellationToken);
            if (alone) await publishes[i];
        }
        return await Task.WhenAll(publishes);
    }

    /// <summary>Stops a batch at its first broker failure: rows not yet sent are not sent, rows waiting are cancelled.</summary>
    private sealed class BatchStop(CancellationToken stopping) : IDisposable
    {
        private readonly CancellationTokenSource _source = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        private int _stopped;

        public CancellationToken Token => _source.Token;

        // Stopping the service stops the batch too: an abandoned publish's late attempt is refused, not let through.
        public bool Stopped => Volatile.Read(ref _stopped) == 1 || stopping.IsCancellationRequested;

        public void Stop()
        {
            if (Interlocked.Exchange(ref _stopped, 1) == 1) return;
            // Not Cancel(): that would run the other publishes' continuations inline, inside MassTransit's send pipe.
            _ = _source.CancelAsync();
        }

        public void Dispose() => _source.Dispose();
    }

    /// <summary>
    /// Runs in MassTransit's send pipe at every attempt to send one row, and lets through only its first attempt,
    /// made on the channel the batch started on: synchronously inside <c>Publish</c> (unless the row is published
    /// alone, see <see cref="PublishInOrderAsync"/>), while the batch has not stopped. A refused attempt throws, which
    /// MassTransit's retry policy does not retry: the publish fails at once.
    /// </summary>
    private sealed class SendOnce(BatchStop stop, Guid messageId, bool mayWaitForChannel)
    {
        private int _attempts;
        private volatile bool _publishing;

        public void Publishing(bool publishing) => _publishing = publishing;

        public void Admit(PublishContext context)
        {
            context.MessageId = messageId;
            if (stop.Stopped)
                throw new BatchStoppedException();
            if (Interlocked.Increment(ref _attempts) > 1)
            {
                stop.Stop();
                throw new SendRefusedException("the broker failed the first attempt and MassTransit retried it, possibly on another connection behind later messages");
            }
            if (!mayWaitForChannel && !_publishing)
            {
                stop.Stop();
                throw new SendRefusedException("it waited for a channel, which the connection lost since the batch started");
            }
        }
    }

    private sealed class BatchStoppedException() : Exception("An earlier message of the outbox batch failed; this one waits for the next batch.");

    private sealed class SendRefusedException(string reason) : Exception($"Not sent, to keep the outbox order: {reason}.");

    /// <summary>
    /// Set at the start of every batch's transaction.
    /// <list type="bullet">
    /// <item>No waiting for the WAL flush at this transaction's commit. Losing a commit of it in a crash only brings
    /// confirmed rows back, which are published again and dropped by the inbox (at least once, as already); the
    /// producer's and the inbox's commits stay synchronous.</item>
    /// <item>The claim walks the primary key. An outbox is nearly always empty and its statistics say so; when a burst
    /// arrived, the planner believed them, read the whole table and sorted every row with its body as text
    /// (<c>LockRows</c> keeps the sort from stopping at the batch) to take the first 100: a burst drained at a tenth
    /// of its speed until autovacuum analyzed the table (bench/pipeline-ingestion/README.md).</item>
    /// </list>
    /// </summary>
    internal static readonly string[] TransactionSettings = ["SET LOCAL synchronous_commit = off", "SET LOCAL enable_seqscan = off"];

    /// <summary>The next batch in sequence order, rows due and not parked, skipping rows another transaction holds.</summary>
    internal const string ClaimSql = """
        SELECT sequence, message_id, message_type, body::text, trace_parent, trace_state, attempts
          FROM platform.outbox_messages
         WHERE parked_at IS NULL AND (next_attempt_at IS NULL OR next_attempt_at <= now())
         ORDER BY sequence
         LIMIT $1
           FOR UPDATE SKIP LOCKED
        """;

    private async Task<List<OutboxRow>> ClaimAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        await using var claim = new NpgsqlCommand(ClaimSql, connection, transaction);
        claim.Parameters.Add(new NpgsqlParameter { Value = _settings.BatchSize });
        await using var reader = await claim.ExecuteReaderAsync(cancellationToken);
        var rows = new List<OutboxRow>(_settings.BatchSize);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new OutboxRow(
                reader.GetInt64(0), reader.GetGuid(1), reader.GetString(2), reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetString(4), reader.IsDBNull(5) ? null : reader.GetString(5), reader.GetInt32(6)));
        }
        return rows;
    }

    private async Task<PublishOutcome> PublishAsync(OutboxRow row, BatchStop stop, bool mayWaitForChannel, CancellationToken cancellationToken)
    {
        // Traced again, unlike the caller's queries: the delivery span, MassTransit's spans, and these log records.
        using var traced = SuppressInstrumentationScope.Begin(false);
        Type type;
        object message;
        try
        {
            type = MessageTypeName.Resolve(row.MessageType)
                ?? throw new InvalidOperationException($"Unknown message type '{row.MessageType}': this build has no such type.");
            message = JsonSerializer.Deserialize(row.Body, type, IntegrationEventJson.Options)
                ?? throw new JsonException("The body is JSON null.");
        }
        catch (Exception exception) when (exception is InvalidOperationException or JsonException or NotSupportedException)
        {
            LogUnpublishable(logger, exception, row.MessageId, row.MessageType);
            MessagingTelemetry.OutboxPublishFailures.Add(1);
            return new PublishOutcome(PublishStatus.Unpublishable, exception);
        }

        // Continue the trace of the request that wrote the event: MassTransit's send span becomes a child of this one
        // and carries the context in the message headers to the consumer.
        ActivityContext.TryParse(row.TraceParent, row.TraceState, isRemote: true, out var parent);
        using var activity = MessagingTelemetry.ActivitySource.StartActivity($"outbox deliver {type.Name}", ActivityKind.Internal, parent);
        activity?.SetTag("messaging.message.id", row.MessageId.ToString());
        activity?.SetTag("platform.outbox.sequence", row.Sequence);

        // MassTransit's RabbitMQ transport completes Publish only when the broker has confirmed the message.
        // WaitAsync as well as the token: while the broker is down, MassTransit's first publish of a type can wait
        // for a connection without observing the token. A publish given up on may still go out later; the row
        // stays and is published again with the same MessageId, and the inbox drops the extra copy.
        using var timeLimit = new CancellationTokenSource(_settings.PublishTimeout);
        using var giveUp = CancellationTokenSource.CreateLinkedTokenSource(stop.Token, timeLimit.Token);
        var sendOnce = new SendOnce(stop, row.MessageId, mayWaitForChannel);
        sendOnce.Publishing(true);
        var publish = bus.Publish(message, type, Pipe.Execute<PublishContext>(sendOnce.Admit), giveUp.Token);
        sendOnce.Publishing(false);
        try
        {
            await publish.WaitAsync(giveUp.Token);
            return PublishOutcome.Delivered;
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            if (!publish.IsCompleted)
                _ = publish.ContinueWith(static abandoned => abandoned.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            if (exception is BatchStoppedException || (exception is OperationCanceledException && !timeLimit.IsCancellationRequested))
            {
                // Stopped by an earlier row's failure: left as it was, for the next batch.
                activity?.SetStatus(ActivityStatusCode.Error, "an earlier message of the batch failed");
                return PublishOutcome.NotAttempted;
            }
            stop.Stop();
            activity?.SetStatus(ActivityStatusCode.Error, exception.Message);
            LogBrokerFailure(logger, exception, row.MessageId);
            MessagingTelemetry.OutboxPublishFailures.Add(1);
            return new PublishOutcome(PublishStatus.BrokerFailed, exception);
        }
    }

    private async Task RecordFailureAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, OutboxRow row, PublishOutcome outcome, CancellationToken cancellationToken)
    {
        // A broker failure keeps the row first in line (no next_attempt_at): the whole worker waits instead.
        // An unpublishable row steps aside until its own retry time.
        var unpublishable = outcome.Status == PublishStatus.Unpublishable;
        var attempts = row.Attempts + 1;
        // Parked after too many failures: a row this build cannot read, or one the broker keeps refusing while it
        // accepts everything else (during an outage the bus is not healthy, and nothing is parked).
        var park = attempts >= _settings.ParkAfterAttempts
            && (unpublishable || (bus as IBusControl)?.CheckHealth().Status == BusHealthStatus.Healthy);
        await using var update = new NpgsqlCommand(unpublishable
            ? "UPDATE platform.outbox_messages SET attempts = attempts + 1, last_error = $2, next_attempt_at = now() + $3, parked_at = CASE WHEN $4 THEN now() END WHERE sequence = $1"
            : "UPDATE platform.outbox_messages SET attempts = attempts + 1, last_error = $2, parked_at = CASE WHEN $3 THEN now() END WHERE sequence = $1",
            connection, transaction);
        update.Parameters.Add(new NpgsqlParameter { Value = row.Sequence });
        var error = $"{outcome.Error!.GetType().Name}: {outcome.Error.Message}";
        update.Parameters.Add(new NpgsqlParameter { Value = error.Length > 2000 ? error[..2000] : error });
        if (unpublishable)
            update.Parameters.Add(new NpgsqlParameter { Value = Doubling(_settings.UnpublishableRetryMinDelay, _settings.UnpublishableRetryMaxDelay, attempts) });
        update.Parameters.Add(new NpgsqlParameter { Value = park });
        await update.ExecuteNonQueryAsync(cancellationToken);
        if (park)
            LogParked(logger, row.MessageId, row.MessageType, attempts, error);
    }

    private TimeSpan BrokerRetryDelay(int consecutiveFailures)
    {
        var delay = Doubling(_settings.BrokerRetryMinDelay, _settings.BrokerRetryMaxDelay, consecutiveFailures);
        // Jitter, so several instances that lost the broker together do not come back in lockstep.
        return delay * (0.8 + (Random.Shared.NextDouble() * 0.4));
    }

    /// <summary><paramref name="min"/> for the first failure, doubling with each further one, never above <paramref name="max"/>.</summary>
    internal static TimeSpan Doubling(TimeSpan min, TimeSpan max, int failures)
    {
        var factor = Math.Pow(2, Math.Clamp(failures - 1, 0, 30));
        return TimeSpan.FromTicks((long)Math.Min(max.Ticks, min.Ticks * factor));
    }

    internal sealed record BatchResult(int Claimed, bool BrokerFailed);

    private sealed record OutboxRow(long Sequence, Guid MessageId, string MessageType, string Body, string? TraceParent, string? TraceState, int Attempts);

    private enum PublishStatus
    {
        Delivered,
        /// <summary>The broker did not confirm (error or timeout): the row keeps its place, the worker backs off.</summary>
        BrokerFailed,
        /// <summary>The row cannot become a message in this build: it is set aside until its own retry time.</summary>
        Unpublishable,
        /// <summary>Not tried because the broker had just failed: the row is left as it was.</summary>
        NotAttempted,
    }

    private sealed record PublishOutcome(PublishStatus Status, Exception? Error = null)
    {
        public static readonly PublishOutcome Delivered = new(PublishStatus.Delivered);
        public static readonly PublishOutcome NotAttempted = new(PublishStatus.NotAttempted);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Published {Delivered} of {Claimed} outbox messages")]
    private static partial void LogDelivered(ILogger logger, int delivered, int claimed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Publishing outbox message {MessageId} failed; it stays first in line and the worker backs off")]
    private static partial void LogBrokerFailure(ILogger logger, Exception exception, Guid messageId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Outbox message {MessageId} ({MessageType}) cannot be published by this build; it is set aside and retried later, the messages behind it go on")]
    private static partial void LogUnpublishable(ILogger logger, Exception exception, Guid messageId, string messageType);

    [LoggerMessage(Level = LogLevel.Error, Message = "Outbox message {MessageId} ({MessageType}) failed {Attempts} times and is parked: it is no longer published until an operator replays it (clear platform.outbox_messages.parked_at); last error: {LastError}")]
    private static partial void LogParked(ILogger logger, Guid messageId, string messageType, int attempts, string lastError);

    [LoggerMessage(Level = LogLevel.Information, Message = "Outbox delivery is disabled on this instance (Messaging:Outbox:DeliveryEnabled=false); events are written but not published")]
    private static partial void LogDeliveryDisabled(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox delivery failed; retrying after a pause")]
    private static partial void LogBatchFailed(ILogger logger, Exception exception);
}
