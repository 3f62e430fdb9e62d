using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using OpenTelemetry;
using Platform.ServiceDefaults.Persistence;

namespace Platform.ServiceDefaults.Messaging;

/// <summary>
/// Deletes inbox records older than <see cref="InboxOptions.Retention"/>, at start-up and then every
/// <see cref="InboxOptions.CleanupInterval"/>. Deletes in chunks so a large backlog never holds long locks.
/// Several instances may run it at once; they just delete disjoint or already-deleted rows.
/// </summary>
internal sealed partial class InboxCleanupWorker(ServiceDatabase database, IOptions<MessagingOptions> options, ILogger<InboxCleanupWorker> logger) : BackgroundService
{
    private const int ChunkSize = 5_000;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var inbox = options.Value.Inbox;
        using var timer = new PeriodicTimer(inbox.CleanupInterval);
        try
        {
            do
            {
                try
                {
                    var deleted = await DeleteExpiredAsync(inbox.Retention, stoppingToken);
                    if (deleted > 0) LogDeleted(logger, deleted, inbox.Retention);
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

    /// <summary>Deletes the records processed more than <paramref name="retention"/> ago; returns how many.</summary>
    internal async Task<int> DeleteExpiredAsync(TimeSpan retention, CancellationToken cancellationToken)
    {
        // Housekeeping, not traced: it would start a trace every interval.
        using var untraced = SuppressInstrumentationScope.Begin();
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        var total = 0;
        int deleted;
        do
        {
            await using var delete = new NpgsqlCommand("""
                DELETE FROM platform.inbox_records
                 WHERE ctid IN (SELECT ctid FROM platform.inbox_records WHERE processed_at < now() - $1 LIMIT $2)
                """, connection);
            delete.Parameters.Add(new NpgsqlParameter { Value = retention });
            delete.Parameters.Add(new NpgsqlParameter { Value = ChunkSize });
            deleted = await delete.ExecuteNonQueryAsync(cancellationToken);
            total += deleted;
        }
        while (deleted == ChunkSize);
        return total;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted {Count} inbox records older than {Retention}")]
    private static partial void LogDeleted(ILogger logger, int count, TimeSpan retention);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Inbox cleanup failed; it runs again at the next interval")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
