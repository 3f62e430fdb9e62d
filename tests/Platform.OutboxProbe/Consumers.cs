using System.Diagnostics;
using MassTransit;
using Platform.OutboxProbe.Contracts;
using Platform.ServiceDefaults.Messaging;

namespace Platform.OutboxProbe;

/// <summary>Records every <see cref="OrderPlaced"/> it processes; what else it does depends on <see cref="OrderPlaced.Handling"/>.</summary>
public sealed class OrderPlacedConsumer(ProbeDbContext dbContext) : IConsumer<OrderPlaced>
{
    public async Task Consume(ConsumeContext<OrderPlaced> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var order = context.Message;
        if (order.Handling == OrderHandling.Poison)
            throw new InvalidOperationException($"Order {order.Number} is poison.");

        dbContext.ConsumedMessages.Add(new ConsumedMessage
        {
            Consumer = nameof(OrderPlacedConsumer),
            MessageId = context.MessageId!.Value,
            Number = order.Number,
            Kind = order.Handling.ToString(),
            TraceId = Activity.Current?.TraceId.ToHexString(),
        });
        if (order.Handling is OrderHandling.Acknowledge or OrderHandling.FailFirstAttempt)
            dbContext.AddIntegrationEvent(new OrderAcknowledged { OrderId = order.OrderId, Number = order.Number });

        await dbContext.SaveChangesAsync(context.CancellationToken);

        if (order.Handling == OrderHandling.FailFirstAttempt && context.GetRetryAttempt() == 0)
            throw new InvalidOperationException($"Order {order.Number} fails its first attempt, after saving.");
    }
}

public sealed class OrderAcknowledgedConsumer(ProbeDbContext dbContext) : IConsumer<OrderAcknowledged>
{
    public async Task Consume(ConsumeContext<OrderAcknowledged> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        dbContext.ConsumedMessages.Add(new ConsumedMessage
        {
            Consumer = nameof(OrderAcknowledgedConsumer),
            MessageId = context.MessageId!.Value,
            Number = context.Message.Number,
            Kind = "Acknowledged",
            TraceId = Activity.Current?.TraceId.ToHexString(),
        });
        await dbContext.SaveChangesAsync(context.CancellationToken);
    }
}
