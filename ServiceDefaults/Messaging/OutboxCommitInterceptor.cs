using System.Data.Common;
using System.Threading.Channels;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Platform.ServiceDefaults.Messaging;

/// <summary>Wakes the outbox delivery worker. Several wake-ups before the worker looks collapse into one.</summary>
internal sealed class OutboxSignal
{
    private readonly Channel<bool> _wakeUps = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    public void Notify() => _wakeUps.Writer.TryWrite(true);

    /// <summary>Waits for a wake-up or until <paramref name="timeout"/> passes (the sweep).</summary>
    public async Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var sweep = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        sweep.CancelAfter(timeout);
        try
        {
            await _wakeUps.Reader.ReadAsync(sweep.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // Sweep time.
        }
    }
}

/// <summary>
/// Wakes the delivery worker right after a transaction that wrote outbox rows commits, so the happy path has no
/// polling delay. Two shapes of commit: SaveChanges without an explicit transaction (EF commits its own; seen in
/// SavedChanges with no current transaction) and an explicit transaction (seen in TransactionCommitted).
/// </summary>
internal sealed class OutboxCommitInterceptor(OutboxSignal signal) : ISaveChangesInterceptor, IDbTransactionInterceptor
{
    public int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        WakeIfCommitted(eventData);
        return result;
    }

    public ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        WakeIfCommitted(eventData);
        return ValueTask.FromResult(result);
    }

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => Wake(eventData);

    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Wake(eventData);
        return Task.CompletedTask;
    }

    private void WakeIfCommitted(SaveChangesCompletedEventData eventData)
    {
        // Inside an explicit transaction nothing is visible to the worker yet; TransactionCommitted will wake it.
        if (eventData.Context is { } context && context.Database.CurrentTransaction is null)
            Wake(eventData);
    }

    private void Wake(DbContextEventData eventData)
    {
        if (eventData.Context is { } context && OutboxCommitWatch.TakeMark(context))
            signal.Notify();
    }
}
