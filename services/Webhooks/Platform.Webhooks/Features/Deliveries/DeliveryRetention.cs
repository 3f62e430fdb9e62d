using Npgsql;
using OpenTelemetry;

namespace Platform.Webhooks.Features.Deliveries;

/// <summary>
/// Deletes finished (succeeded or failed) deliveries created more than <see cref="DeliveryOptions.Retention"/> ago
/// with their attempts, then the messages no delivery refers to any more. Pending deliveries are never deleted (a
/// disabled endpoint's wait until it is enabled). In batches, so a large backlog never holds long locks; several
/// instances may sweep at once.
/// </summary>
public sealed partial class DeliveryRetention(ServiceDatabase database, TimeProvider time, IOptions<DeliveryOptions> options,
    ILogger<DeliveryRetention> logger) : BackgroundService
{
    private const int BatchSize = 1_000;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.RetentionSweepInterval, time);
        try
        {
            do
            {
                try
                {
                    var (deliveries, messages) = await SweepAsync(stoppingToken);
                    if (deliveries + messages > 0) LogDeleted(logger, deliveries, messages, options.Value.Retention);
                }
                catch (NpgsqlException exception)
                {
                    LogFailed(logger, exception);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>One sweep; returns how many deliveries and messages it deleted.</summary>
    public async Task<(int Deliveries, int Messages)> SweepAsync(CancellationToken cancellationToken)
    {
        // Housekeeping, not traced: it would start a trace every interval.
        using var untraced = SuppressInstrumentationScope.Begin();
        var cutoff = time.GetUtcNow() - options.Value.Retention;
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        // Attempts go with their delivery (ON DELETE CASCADE).
        var deliveries = await DeleteInBatchesAsync(connection, """
            DELETE FROM deliveries
             WHERE id IN (SELECT id FROM deliveries WHERE status <> 'Pending' AND created_at < $1 LIMIT $2)
            """, cutoff, cancellationToken);
        // Only messages older than the cutoff: a newer one's deliveries may still be committing with it.
        var messages = await DeleteInBatchesAsync(connection, """
            DELETE FROM messages
             WHERE id IN (SELECT m.id FROM messages m
                           WHERE m.created_at < $1 AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.message_id = m.id)
                           LIMIT $2)
            """, cutoff, cancellationToken);
        return (deliveries, messages);
    }

    private static async Task<int> DeleteInBatchesAsync(NpgsqlConnection connection, string sql, DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        var total = 0;
        int deleted;
        do
        {
            await using var delete = new NpgsqlCommand(sql, connection);
            delete.Parameters.Add(new NpgsqlParameter { Value = cutoff });
            delete.Parameters.Add(new NpgsqlParameter { Value = BatchSize });
            deleted = await delete.ExecuteNonQueryAsync(cancellationToken);
            total += deleted;
        }
        while (deleted == BatchSize);
        return total;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted {Deliveries} finished webhook deliveries and {Messages} messages older than {Retention}")]
    private static partial void LogDeleted(ILogger logger, int deliveries, int messages, TimeSpan retention);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook delivery retention sweep failed; it runs again at the next interval")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
