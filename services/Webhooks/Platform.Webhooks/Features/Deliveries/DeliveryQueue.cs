using System.Data.Common;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Platform.Webhooks.Features.Deliveries;

/// <summary>
/// Puts a message on the durable queue: the message and one delivery per endpoint are added to <c>db</c> and commit
/// with the caller's work (a consumer's inbox transaction), so what was taken from RabbitMQ is never lost; the
/// dispatcher is woken right after that commit.
/// </summary>
public static class DeliveryQueue
{
    /// <summary>
    /// Adds a message of <paramref name="eventType"/> carrying <paramref name="data"/> for each of
    /// <paramref name="endpointIds"/> (nothing when there are none). The body is <c>{ type, timestamp, data }</c>.
    /// </summary>
    public static WebhookMessage? Enqueue(WebhooksDbContext db, WebhookEventType eventType, object data, IEnumerable<Guid> endpointIds, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(data);
        var endpoints = endpointIds.Distinct().ToList();
        if (endpoints.Count == 0) return null;
        var message = WebhookMessage.Create(WebhookSigner.NewMessageId(), ApiEnum.Name(eventType), Body(eventType, data, now), now);
        db.Messages.Add(message);
        foreach (var endpointId in endpoints)
            db.Deliveries.Add(WebhookDelivery.Create(Guid.CreateVersion7(now), endpointId, message, now));
        DeliveryCommitWatch.Mark(db);
        return message;
    }

    /// <summary>The Standard Webhooks body: <c>{ "type", "timestamp", "data" }</c>, camelCase, enums as their wire names.</summary>
    public static string Body(WebhookEventType eventType, object data, DateTimeOffset timestamp) =>
        JsonSerializer.Serialize(new WebhookBody(ApiEnum.Name(eventType), DeliverySchedule.Stored(timestamp), data), PlatformJson.Options);

    private sealed record WebhookBody(string Type, DateTimeOffset Timestamp, object Data);
}

/// <summary>Wakes the dispatcher. Several wake-ups before it looks collapse into one.</summary>
public sealed class DeliverySignal
{
    private readonly Channel<bool> _wakeUps = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    public void Notify() => _wakeUps.Writer.TryWrite(true);

    /// <summary>Waits for a wake-up or until <paramref name="timeout"/> passes (the sweep for due retries and other instances' work).</summary>
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

/// <summary>Which DbContexts hold queued deliveries not committed yet, so only those commits wake the dispatcher.</summary>
internal static class DeliveryCommitWatch
{
    private static readonly ConditionalWeakTable<object, object> Pending = [];
    private static readonly object Marker = new();

    public static void Mark(object dbContext) => Pending.AddOrUpdate(dbContext, Marker);

    public static bool TakeMark(object dbContext) => Pending.Remove(dbContext);
}

/// <summary>
/// Wakes the dispatcher after a commit that queued deliveries: SaveChanges without an explicit transaction, or the
/// commit of an explicit one (a consumer's inbox transaction).
/// </summary>
internal sealed class DeliveryCommitInterceptor(DeliverySignal signal) : ISaveChangesInterceptor, IDbTransactionInterceptor
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
        if (eventData.Context is { } context && context.Database.CurrentTransaction is null) Wake(eventData);
    }

    private void Wake(DbContextEventData eventData)
    {
        if (eventData.Context is { } context && DeliveryCommitWatch.TakeMark(context)) signal.Notify();
    }
}

public static class DeliveryRegistration
{
    /// <summary>
    /// The durable delivery queue: the signal, the commit interceptor that fires it, the dispatcher and the retention
    /// sweep, with their settings (<c>Webhooks:Delivery</c>, checked at start).
    /// </summary>
    public static WebApplicationBuilder AddWebhookDeliveries(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<DeliveryOptions>().Bind(builder.Configuration.GetSection(DeliveryOptions.Section)).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<DeliveryOptions>, DeliveryOptionsValidator>();
        builder.Services.AddSingleton<DeliveryRecorder>();
        builder.Services.AddHostedService(provider => provider.GetRequiredService<DeliveryRecorder>());
        builder.Services.AddSingleton<DeliveryDispatcher>();
        builder.Services.AddHostedService(provider => provider.GetRequiredService<DeliveryDispatcher>());
        builder.Services.AddSingleton<DeliveryRetention>();
        builder.Services.AddHostedService(provider => provider.GetRequiredService<DeliveryRetention>());
        builder.Services.AddSingleton<DeliverySignal>();
        builder.Services.AddDbContextInterceptor<WebhooksDbContext, DeliveryCommitInterceptor>();
        return builder;
    }
}
