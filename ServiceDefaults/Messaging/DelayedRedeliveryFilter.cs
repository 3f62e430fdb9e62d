using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using MassTransit;
using MassTransit.RabbitMqTransport;
using MassTransit.Transports;
using Microsoft.Extensions.Logging;
using RabbitMQ.Client;

namespace Platform.ServiceDefaults.Messaging;

/// <summary>
/// Delayed redelivery of messages that failed for a transient reason (<see cref="TransientFaults"/>), after the
/// in-memory retries: first in the error pipe, so a message goes to <c>&lt;queue&gt;_error</c> only when its fault is
/// not transient or every delay of <see cref="MessagingOptions.RedeliveryIntervals"/> has passed.
/// <para>
/// How: our RabbitMQ 3.10 has no delayed-message exchange plugin (what MassTransit's <c>UseDelayedRedelivery</c>
/// needs), so the delay is the broker's own message TTL. One quorum queue per interval
/// (<c>platform-redelivery-&lt;ms&gt;</c>, fed by a fanout exchange of the same name, shared by every endpoint of the
/// virtual host) holds the copy for exactly that long (a queue-level TTL, so expiry is first in, first out) and then
/// dead-letters it, at least once, to the default exchange with the routing key it was published with: the name
/// of the consumer's own queue. The copy is the original delivery (body, MessageId, headers) plus an attempt count
/// header, so the inbox still drops a copy that was in fact processed. The original delivery is acknowledged only
/// after the broker confirmed the copy; if that publish fails the exception goes back to MassTransit and the
/// delivery is not acknowledged.
/// </para>
/// </summary>
internal sealed partial class DelayedRedeliveryFilter(IReadOnlyList<TimeSpan> intervals, ILogger logger) : IFilter<ExceptionReceiveContext>
{
    /// <summary>How many delayed redeliveries a message has had.</summary>
    public const string AttemptHeader = "x-platform-redelivery";

    // Per channel (a reconnect brings a new one, and the broker may have lost nothing, but we do not assume it).
    private static readonly ConditionalWeakTable<ChannelContext, ConcurrentDictionary<string, Task>> Declared = [];

    public async Task Send(ExceptionReceiveContext context, IPipe<ExceptionReceiveContext> next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var attempt = AttemptOf(context);
        if (attempt >= intervals.Count || !TransientFaults.IsTransient(context.Exception)
            || !context.TryGetPayload<ChannelContext>(out var channel) || !context.TryGetPayload<RabbitMqBasicConsumeContext>(out var delivery))
        {
            await next.Send(context);
            return;
        }

        var queue = context.InputAddress.GetEndpointName() ?? throw new InvalidOperationException($"No queue name in {context.InputAddress}.");
        var delay = intervals[attempt];
        var exchange = DelayExchangeName(delay);
        var declared = Declared.GetValue(channel, _ => new ConcurrentDictionary<string, Task>(StringComparer.Ordinal));
        var declaration = declared.GetOrAdd(exchange, name => DeclareAsync(channel, name, delay));
        try
        {
            await declaration.WaitAsync(context.CancellationToken);
        }
        catch
        {
            declared.TryRemove(new KeyValuePair<string, Task>(exchange, declaration));
            throw;
        }

        var properties = new BasicProperties(delivery.Properties)
        {
            Persistent = true,
            Expiration = null,
            Headers = new Dictionary<string, object?>(delivery.Properties.Headers ?? new Dictionary<string, object?>(), StringComparer.Ordinal)
            {
                [AttemptHeader] = attempt + 1,
            },
        };
        // The receive channel has publisher confirms on (host setting), so this completes once the broker has the copy.
        await channel.BasicPublishAsync(exchange, queue, true, properties, context.Body.GetBytes(), true, context.CancellationToken);
        MessagingTelemetry.DelayedRedeliveries.Add(1);
        LogDelayed(logger, context.GetMessageId(), queue, attempt + 1, intervals.Count, delay, context.Exception.GetType().Name, context.Exception.Message);
        // Not passing the context on: no fault event, no error queue; the delivery is acknowledged as handled. Marked
        // faulted, as the error pipe's first filter would: one neither consumed nor faulted goes to the _skipped queue.
        if (!context.IsFaulted) await context.NotifyFaulted(context.Exception);
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("delayedRedelivery");

    public static string DelayExchangeName(TimeSpan delay) => $"platform-redelivery-{(long)delay.TotalMilliseconds}ms";

    private static int AttemptOf(ReceiveContext context) =>
        context.TransportHeaders.TryGetHeader(AttemptHeader, out var value) && value is not null
            ? value switch
            {
                int i => i,
                long l => (int)l,
                byte[] bytes when int.TryParse(System.Text.Encoding.UTF8.GetString(bytes), out var parsed) => parsed,
                _ => int.TryParse(value.ToString(), out var parsed) ? parsed : 0,
            }
            : 0;

    private static async Task DeclareAsync(ChannelContext channel, string name, TimeSpan delay)
    {
        await channel.ExchangeDeclare(name, ExchangeType.Fanout, true, false, new Dictionary<string, object>(), CancellationToken.None);
        await channel.QueueDeclare(name, true, false, false, new Dictionary<string, object>
        {
            ["x-queue-type"] = "quorum",
            ["x-message-ttl"] = (long)delay.TotalMilliseconds,
            ["x-dead-letter-exchange"] = "",
            // At-least-once dead-lettering (quorum queues, RabbitMQ 3.10+) needs reject-publish overflow.
            ["x-dead-letter-strategy"] = "at-least-once",
            ["x-overflow"] = "reject-publish",
        }, CancellationToken.None);
        await channel.QueueBind(name, name, "", new Dictionary<string, object>(), CancellationToken.None);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Message {MessageId} on {Queue} failed transiently; redelivery {Attempt} of {Attempts} in {Delay} ({ExceptionType}: {ExceptionMessage})")]
    private static partial void LogDelayed(ILogger logger, Guid? messageId, string queue, int attempt, int attempts, TimeSpan delay, string exceptionType, string exceptionMessage);
}
