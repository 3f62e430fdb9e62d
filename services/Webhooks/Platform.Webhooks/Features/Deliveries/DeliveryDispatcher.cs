using System.Collections.Concurrent;
using Npgsql;

namespace Platform.Webhooks.Features.Deliveries;

/// <summary>
/// Sends the due deliveries of enabled endpoints and records each attempt.
/// <para>
/// <b>Claim.</b> Woken by <see cref="DeliverySignal"/> (a commit that queued deliveries, a finished attempt, a
/// redelivery) or every <see cref="DeliveryOptions.PollInterval"/>. One statement leases due deliveries
/// (<c>leased_until</c>, <c>FOR UPDATE SKIP LOCKED</c>), so several instances never take the same one; a holder that
/// dies leaves a lease that expires, and the delivery is taken again with the same <c>webhook-id</c> (the receiver
/// de-duplicates).
/// </para>
/// <para>
/// <b>Isolation.</b> A delivery leased and not yet recorded is in flight. The claim takes per endpoint at most
/// <see cref="DeliveryOptions.MaxConcurrentPerEndpoint"/> minus what is in flight to it (over all instances), and
/// overall at most the free part of <see cref="DeliveryOptions.MaxInFlight"/>: a hanging receiver holds a few slots,
/// never the others' deliveries. Nothing waits in memory; the table is the queue.
/// </para>
/// </summary>
internal sealed partial class DeliveryDispatcher(IServiceScopeFactory scopes, ServiceDatabase database, DeliverySignal signal, WebhookSender sender,
    DeliveryRecorder recorder, TimeProvider time, IOptions<DeliveryOptions> options, ILogger<DeliveryDispatcher> logger) : BackgroundService
{
    private readonly DeliveryOptions _settings = options.Value;
    private readonly ConcurrentDictionary<Guid, Task> _inFlight = new();

    /// <summary>A leased delivery: the lease value is the token that proves this dispatcher still holds it when it records.</summary>
    private sealed record Claimed(Guid Id, Guid EndpointId, string MessageId, DateTimeOffset LeasedUntil);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    await DispatchDueAsync(stoppingToken);
                }
                catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
                {
                    // Database unreachable and the like: the dispatcher must outlive it (claimed leases expire and are taken again).
                    LogClaimFailed(logger, exception);
                }
                await signal.WaitAsync(_settings.PollInterval, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        // Attempts stop with the service (their sends are cancelled); unrecorded ones are taken again when their lease expires.
        await Task.WhenAll(_inFlight.Values);
    }

    private async Task DispatchDueAsync(CancellationToken stoppingToken)
    {
        var free = _settings.MaxInFlight - _inFlight.Count;
        if (free <= 0) return;
        var claimed = await ClaimAsync(free, stoppingToken);
        if (claimed.Count == 0) return;

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<WebhooksDbContext>();
        var endpointIds = claimed.Select(c => c.EndpointId).Distinct().ToList();
        var messageIds = claimed.Select(c => c.MessageId).Distinct().ToList();
        var endpoints = await db.Endpoints.AsNoTracking().Where(e => endpointIds.Contains(e.Id)).ToDictionaryAsync(e => e.Id, stoppingToken);
        var bodies = await db.Messages.AsNoTracking().Where(m => messageIds.Contains(m.Id)).ToDictionaryAsync(m => m.Id, m => m.Body, stoppingToken);
        foreach (var delivery in claimed)
        {
            // Deleted meanwhile (the cascade took the delivery too): nothing to send or record.
            if (!endpoints.TryGetValue(delivery.EndpointId, out var endpoint) || !bodies.TryGetValue(delivery.MessageId, out var body)) continue;
            // Registered before it starts, so its own removal when done never comes first.
            var attempt = new Task<Task>(() => AttemptAsync(delivery, endpoint, body, stoppingToken), CancellationToken.None);
            _inFlight[delivery.Id] = attempt.Unwrap();
            attempt.Start(TaskScheduler.Default);
        }
    }

    /// <summary>
    /// Leases up to <paramref name="free"/> due deliveries of enabled endpoints, each endpoint's oldest first and at
    /// most its free slots, taking every endpoint's first before any endpoint's second (fair when slots are short).
    /// </summary>
    private async Task<List<Claimed>> ClaimAsync(int free, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var leasedUntil = DeliverySchedule.Stored(now + _settings.LeaseDuration);
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        // The lease and status are checked again in `chosen`: a row another instance leased and committed after this
        // statement's snapshot is re-read there when locked (READ COMMITTED), and dropped.
        await using var claim = new NpgsqlCommand("""
            WITH in_flight AS (
                SELECT endpoint_id, count(*) AS busy
                  FROM deliveries
                 WHERE leased_until > $1 AND status = 'Pending'
                 GROUP BY endpoint_id
            ), candidates AS (
                -- Per enabled endpoint its oldest due deliveries, at most its free slots: an index probe per endpoint,
                -- so neither a large backlog nor a hanging endpoint's queue makes a claim slow or starves the others.
                SELECT c.id, c.next_attempt_at, c.place
                  FROM endpoints e
                  LEFT JOIN in_flight f ON f.endpoint_id = e.id
                 CROSS JOIN LATERAL (
                       SELECT d.id, d.next_attempt_at, row_number() OVER (ORDER BY d.next_attempt_at, d.id) AS place
                         FROM deliveries d
                        WHERE d.endpoint_id = e.id AND d.status = 'Pending' AND d.next_attempt_at <= $1
                          AND (d.leased_until IS NULL OR d.leased_until <= $1)
                        ORDER BY d.next_attempt_at, d.id
                        LIMIT greatest($2 - coalesce(f.busy, 0), 0)) c
                 WHERE e.status = 'Enabled'
            ), chosen AS (
                SELECT d.id
                  FROM deliveries d
                  JOIN candidates c ON c.id = d.id
                 WHERE d.status = 'Pending' AND (d.leased_until IS NULL OR d.leased_until <= $1)
                 ORDER BY c.place, c.next_attempt_at
                 LIMIT $3
                   FOR UPDATE OF d SKIP LOCKED
            )
            UPDATE deliveries d
               SET leased_until = $4
              FROM chosen c
             WHERE d.id = c.id
            RETURNING d.id, d.endpoint_id, d.message_id
            """, connection);
        claim.Parameters.Add(new NpgsqlParameter { Value = now });
        claim.Parameters.Add(new NpgsqlParameter { Value = (long)_settings.MaxConcurrentPerEndpoint });
        claim.Parameters.Add(new NpgsqlParameter { Value = (long)free });
        claim.Parameters.Add(new NpgsqlParameter { Value = leasedUntil });
        await using var reader = await claim.ExecuteReaderAsync(cancellationToken);
        var claimed = new List<Claimed>();
        while (await reader.ReadAsync(cancellationToken))
            claimed.Add(new Claimed(reader.GetGuid(0), reader.GetGuid(1), reader.GetString(2), leasedUntil));
        return claimed;
    }

    private async Task AttemptAsync(Claimed delivery, WebhookEndpoint endpoint, string body, CancellationToken stoppingToken)
    {
        try
        {
            var attemptedAt = time.GetUtcNow();
            var outcome = await sender.SendAsync(endpoint, delivery.MessageId, body, attemptedAt, stoppingToken);
            await recorder.RecordAsync(new FinishedAttempt(delivery.Id, delivery.LeasedUntil, outcome, attemptedAt));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: give the delivery back so the next instance need not wait for the lease to expire.
            await ReleaseAsync(delivery);
        }
        catch (Exception exception)
        {
            // Not recorded: the lease expires and the delivery is attempted again; the dispatcher itself goes on.
            LogAttemptFailed(logger, exception, delivery.Id);
        }
        finally
        {
            _inFlight.TryRemove(delivery.Id, out _);
            signal.Notify(); // a slot is free
        }
    }

    /// <summary>Best effort, while stopping: when it fails, the lease simply expires.</summary>
    private async Task ReleaseAsync(Claimed delivery)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await using var connection = new NpgsqlConnection(database.ConnectionString);
            await connection.OpenAsync(timeout.Token);
            await using var release = new NpgsqlCommand("UPDATE deliveries SET leased_until = NULL WHERE id = $1 AND leased_until = $2", connection);
            release.Parameters.Add(new NpgsqlParameter { Value = delivery.Id });
            release.Parameters.Add(new NpgsqlParameter { Value = delivery.LeasedUntil });
            await release.ExecuteNonQueryAsync(timeout.Token);
        }
        catch (Exception exception) when (exception is NpgsqlException or OperationCanceledException or TimeoutException)
        {
            LogReleaseFailed(logger, exception, delivery.Id);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Claiming due webhook deliveries failed; trying again at the next wake-up")]
    private static partial void LogClaimFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook delivery {DeliveryId}: the attempt could not be recorded; it is attempted again when its lease expires")]
    private static partial void LogAttemptFailed(ILogger logger, Exception exception, Guid deliveryId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Webhook delivery {DeliveryId}: not given back while stopping; it is attempted again when its lease expires")]
    private static partial void LogReleaseFailed(ILogger logger, Exception exception, Guid deliveryId);
}
