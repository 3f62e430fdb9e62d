using System.Threading.Channels;

namespace Platform.Webhooks.Features.Deliveries;

/// <summary>An attempt to record: the leased delivery, what the endpoint answered and when it was sent.</summary>
internal sealed record FinishedAttempt(Guid DeliveryId, DateTimeOffset LeasedUntil, AttemptOutcome Outcome, DateTimeOffset AttemptedAt)
{
    public TaskCompletionSource Recorded { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}

/// <summary>
/// Records finished attempts in groups: what finished while the previous group was being written goes into one
/// transaction (the attempt rows, each delivery's next step, the endpoints whose health changed), so a burst costs
/// one commit per group instead of one per attempt. Each caller waits until its attempt is committed.
/// </summary>
internal sealed partial class DeliveryRecorder(IServiceScopeFactory scopes, TimeProvider time, IOptions<DeliveryOptions> options,
    ILogger<DeliveryRecorder> logger) : BackgroundService
{
    private const int MaxGroup = 500;
    private readonly Channel<FinishedAttempt> _finished = Channel.CreateUnbounded<FinishedAttempt>(new UnboundedChannelOptions { SingleReader = true });
    private readonly DeliverySchedule _schedule = options.Value.Schedule();

    /// <summary>Completes when the attempt is committed (or was not ours to record any more); throws when it could not be written.</summary>
    public Task RecordAsync(FinishedAttempt attempt)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        if (!_finished.Writer.TryWrite(attempt)) attempt.Recorded.TrySetException(new InvalidOperationException("The recorder has stopped."));
        return attempt.Recorded.Task;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var group = new List<FinishedAttempt>(MaxGroup);
        try
        {
            while (await _finished.Reader.WaitToReadAsync(stoppingToken))
            {
                group.Clear();
                while (group.Count < MaxGroup && _finished.Reader.TryRead(out var attempt)) group.Add(attempt);
                try
                {
                    await WriteAsync(group, stoppingToken);
                    foreach (var attempt in group) attempt.Recorded.TrySetResult();
                }
                catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
                {
                    // Database unreachable and the like: these attempts are not recorded; their leases expire and they are sent again.
                    LogGroupFailed(logger, exception, group.Count);
                    foreach (var attempt in group) attempt.Recorded.TrySetException(exception);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        _finished.Writer.TryComplete();
        while (_finished.Reader.TryRead(out var left)) left.Recorded.TrySetCanceled(stoppingToken);
        foreach (var attempt in group) attempt.Recorded.TrySetCanceled(stoppingToken);
    }

    private async Task WriteAsync(IReadOnlyList<FinishedAttempt> group, CancellationToken cancellationToken)
    {
        for (var round = 1; ; round++)
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<WebhooksDbContext>();
            db.Database.AutoSavepointsEnabled = false;
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var ids = group.Select(a => a.DeliveryId).Order().ToArray();
            // Locked in id order, so two recorders (two instances) never deadlock on one another's rows.
            var deliveries = await db.Deliveries.FromSql($"SELECT * FROM deliveries WHERE id = ANY({ids}) ORDER BY id FOR UPDATE")
                .ToDictionaryAsync(d => d.Id, cancellationToken);
            var endpointIds = deliveries.Values.Select(d => d.EndpointId).Distinct().ToArray();
            var endpoints = await db.Endpoints.Where(e => endpointIds.Contains(e.Id)).ToDictionaryAsync(e => e.Id, cancellationToken);
            var now = time.GetUtcNow();
            var disabled = new List<WebhookEndpoint>();
            foreach (var attempt in group.OrderBy(a => a.AttemptedAt))
            {
                // Deleted, or our lease expired and another dispatcher took it: its attempt counts, not ours.
                if (!deliveries.TryGetValue(attempt.DeliveryId, out var delivery) || delivery.Status != DeliveryStatus.Pending || delivery.LeasedUntil != attempt.LeasedUntil)
                {
                    LogLeaseLost(logger, attempt.DeliveryId);
                    continue;
                }
                db.DeliveryAttempts.Add(DeliveryAttempt.Of(delivery.Id, attempt.Outcome, attempt.AttemptedAt));
                delivery.RecordAttempt(attempt.Outcome, now, _schedule);
                // EF writes the endpoint only when its health changed.
                if (endpoints.TryGetValue(delivery.EndpointId, out var endpoint) && endpoint.RecordAttempt(attempt.Outcome, now)) disabled.Add(endpoint);
            }
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                foreach (var endpoint in disabled) LogEndpointDisabled(logger, endpoint.Id, endpoint.DisabledReason);
                return;
            }
            catch (DbUpdateConcurrencyException) when (round < 5)
            {
                // An endpoint changed meanwhile (updated, disabled by its organization): read everything again.
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Recording {Count} webhook delivery attempts failed; they are attempted again when their leases expire")]
    private static partial void LogGroupFailed(ILogger logger, Exception exception, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Webhook delivery {DeliveryId}: lease lost (deleted, or taken by another dispatcher after it expired); this attempt is not recorded")]
    private static partial void LogLeaseLost(ILogger logger, Guid deliveryId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook endpoint {EndpointId} disabled: {Reason}")]
    private static partial void LogEndpointDisabled(ILogger logger, Guid endpointId, string? reason);
}
