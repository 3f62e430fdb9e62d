using System.Collections;
using System.Globalization;
using System.Security.Cryptography;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace Platform.Dashboard.Features.Messaging;

/// <summary>Why MassTransit gave up on a message, from its <c>MT-Fault-*</c> headers.</summary>
public sealed record FaultView(string? ExceptionType, string? Message, string? StackTrace, string? ConsumerType, string? Timestamp, string? Reason);

/// <summary>One message waiting in an error queue.</summary>
/// <param name="TraceId">The W3C trace id the message travelled in (from its <c>MT-Activity-Id</c> or <c>traceparent</c> header):
/// the failed consume is a span of that trace, which the Aspire dashboard shows.</param>
public sealed record ErrorMessageView(
    string MessageId, string? MessageType, string? ContentType, IReadOnlyDictionary<string, string> Headers, string Body, bool BodyTruncated, FaultView Fault,
    string? TraceId);

/// <summary>What happened to a replay or discard.</summary>
public enum ErrorQueueOutcome
{
    Replayed,
    Discarded,
    NotFound,
    QueueMissing,
    OriginalQueueMissing,
}

/// <summary>
/// Opens, replays and discards messages of <c>&lt;queue&gt;_error</c> queues over AMQP. RabbitMQ only hands out
/// messages from the head of a queue, so an operation takes messages one by one without acknowledging them until
/// it finds the one asked for; the others go back to the queue (requeued) when the channel closes.
/// </summary>
public sealed class ErrorQueues(BrokerSettings settings)
{
    private const int BodyLimit = 64 * 1024;

    /// <summary>How many messages an operation looks through before it gives up.</summary>
    public const int ScanLimit = 5_000;

    /// <summary>The first <paramref name="limit"/> messages, left in the queue; null when the queue does not exist.</summary>
    public async Task<List<ErrorMessageView>?> PeekAsync(string virtualHost, string queue, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await ConnectAsync(virtualHost, cancellationToken);
        if (!await ExistsAsync(connection, queue, cancellationToken)) return null;
        await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
        var messages = new List<ErrorMessageView>();
        ulong last = 0;
        while (messages.Count < limit && await channel.BasicGetAsync(queue, autoAck: false, cancellationToken) is { } delivery)
        {
            last = delivery.DeliveryTag;
            messages.Add(View(delivery.BasicProperties, delivery.Body.Span));
        }
        if (last != 0) await channel.BasicNackAsync(last, multiple: true, requeue: true, cancellationToken);
        return messages;
    }

    /// <summary>Moves the message back to its original queue (the name without <c>_error</c>), without its fault headers.</summary>
    public Task<ErrorQueueOutcome> ReplayAsync(string virtualHost, string queue, string messageId, CancellationToken cancellationToken) =>
        TakeAsync(virtualHost, queue, messageId, replay: true, cancellationToken);

    public Task<ErrorQueueOutcome> DiscardAsync(string virtualHost, string queue, string messageId, CancellationToken cancellationToken) =>
        TakeAsync(virtualHost, queue, messageId, replay: false, cancellationToken);

    public static string OriginalQueue(string errorQueue) => errorQueue[..^BrokerManagement.ErrorSuffix.Length];

    private async Task<ErrorQueueOutcome> TakeAsync(string virtualHost, string queue, string messageId, bool replay, CancellationToken cancellationToken)
    {
        await using var connection = await ConnectAsync(virtualHost, cancellationToken);
        var original = OriginalQueue(queue);
        if (replay && !await ExistsAsync(connection, original, cancellationToken)) return ErrorQueueOutcome.OriginalQueueMissing;

        if (!await ExistsAsync(connection, queue, cancellationToken)) return ErrorQueueOutcome.QueueMissing;
        await using var channel = await connection.CreateChannelAsync(
            new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true), cancellationToken);
        var passedOver = new List<ulong>();
        try
        {
            for (var scanned = 0; scanned < ScanLimit; scanned++)
            {
                if (await channel.BasicGetAsync(queue, autoAck: false, cancellationToken) is not { } delivery) break;
                if (Id(delivery.BasicProperties, delivery.Body.Span) != messageId)
                {
                    passedOver.Add(delivery.DeliveryTag);
                    continue;
                }
                if (replay)
                {
                    var properties = new BasicProperties(delivery.BasicProperties);
                    if (properties.Headers is { } headers)
                    {
                        properties.Headers = headers.Where(h => !IsFaultHeader(h.Key)).ToDictionary(h => h.Key, h => h.Value);
                    }
                    // Mandatory, with confirms: the method returns only once the broker has the message in the original queue.
                    await channel.BasicPublishAsync("", original, mandatory: true, properties, delivery.Body.ToArray(), cancellationToken);
                }
                await channel.BasicAckAsync(delivery.DeliveryTag, multiple: false, cancellationToken);
                return replay ? ErrorQueueOutcome.Replayed : ErrorQueueOutcome.Discarded;
            }
            return ErrorQueueOutcome.NotFound;
        }
        finally
        {
            foreach (var tag in passedOver)
                await channel.BasicNackAsync(tag, multiple: false, requeue: true, CancellationToken.None);
        }
    }

    /// <summary>A passive declare fails (and closes its channel) when the queue does not exist: it gets a channel of its own.</summary>
    private static async Task<bool> ExistsAsync(IConnection connection, string queue, CancellationToken cancellationToken)
    {
        await using var probe = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
        try
        {
            await probe.QueueDeclarePassiveAsync(queue, cancellationToken);
            return true;
        }
        catch (OperationInterruptedException e) when (e.ShutdownReason?.ReplyCode == 404)
        {
            return false;
        }
    }

    /// <summary>RabbitMQ refuses a connection to a virtual host that does not exist with 530 NOT_ALLOWED.</summary>
    public static bool IsUnknownVirtualHost(Exception e)
    {
        for (Exception? inner = e; inner is not null; inner = inner.InnerException)
        {
            if (inner is OperationInterruptedException { ShutdownReason.ReplyCode: 530 }) return true;
            if (inner is AggregateException aggregate && aggregate.InnerExceptions.Any(IsUnknownVirtualHost)) return true;
        }
        return false;
    }

    private static bool IsFaultHeader(string name) =>
        name.StartsWith("MT-Fault-", StringComparison.OrdinalIgnoreCase) || name.Equals("MT-Reason", StringComparison.OrdinalIgnoreCase);

    private async Task<IConnection> ConnectAsync(string virtualHost, CancellationToken cancellationToken)
    {
        var factory = new ConnectionFactory
        {
            Uri = settings.AmqpFor(virtualHost),
            AutomaticRecoveryEnabled = false,
            ClientProvidedName = "platform-dashboard",
            RequestedConnectionTimeout = TimeSpan.FromSeconds(5),
        };
        return await factory.CreateConnectionAsync(cancellationToken);
    }

    /// <summary>The message's id: its AMQP message-id (MassTransit sets it), else a hash of its body.</summary>
    internal static string Id(IReadOnlyBasicProperties properties, ReadOnlySpan<byte> body) =>
        !string.IsNullOrEmpty(properties.MessageId) ? properties.MessageId : "sha256-" + Convert.ToHexStringLower(SHA256.HashData(body))[..32];

    internal static ErrorMessageView View(IReadOnlyBasicProperties properties, ReadOnlySpan<byte> body)
    {
        var headers = (properties.Headers ?? new Dictionary<string, object?>())
            .OrderBy(h => h.Key, StringComparer.Ordinal)
            .ToDictionary(h => h.Key, h => HeaderText(h.Value), StringComparer.Ordinal);
        string? Header(string name) => headers.TryGetValue(name, out var value) ? value : null;
        var truncated = body.Length > BodyLimit;
        var text = Encoding.UTF8.GetString(truncated ? body[..BodyLimit] : body);
        var envelope = Envelope(text);
        return new ErrorMessageView(
            Id(properties, body),
            envelope.MessageType ?? properties.Type,
            properties.ContentType,
            headers,
            Pretty(text),
            truncated,
            new FaultView(Header("MT-Fault-ExceptionType"), Header("MT-Fault-Message"), Header("MT-Fault-StackTrace"),
                Header("MT-Fault-ConsumerType"), Header("MT-Fault-Timestamp"), Header("MT-Reason")),
            TraceIdOf(Header) ?? TraceIdOf(envelope.Headers));
    }

    /// <summary>
    /// MassTransit's envelope names the message type(s) as <c>urn:message:Namespace:Type</c> and repeats the send
    /// headers in its <c>headers</c> object (the trace context among them when the transport headers lack it).
    /// </summary>
    private static (string? MessageType, Func<string, string?> Headers) Envelope(string body)
    {
        static string? None(string _) => null;
        try
        {
            using var json = JsonDocument.Parse(body);
            if (json.RootElement.ValueKind != JsonValueKind.Object) return (null, None);
            var type = json.RootElement.TryGetProperty("messageType", out var types) && types.ValueKind == JsonValueKind.Array
                ? types.EnumerateArray().Select(t => t.ValueKind == JsonValueKind.String ? t.GetString() : null).FirstOrDefault()
                : null;
            var headers = json.RootElement.TryGetProperty("headers", out var h) && h.ValueKind == JsonValueKind.Object
                ? h.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.String)
                    .GroupBy(p => p.Name, StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.First().Value.GetString(), StringComparer.OrdinalIgnoreCase)
                : [];
            return (type, name => headers.GetValueOrDefault(name));
        }
        catch (JsonException)
        {
            return (null, None);
        }
    }

    /// <summary>
    /// The trace id of the message's W3C trace context. MassTransit 8 writes the sending activity's id as
    /// <c>MT-Activity-Id</c> (<c>00-trace-span-flags</c>); <c>traceparent</c> and <c>Diagnostic-Id</c> are what other
    /// publishers write in the same format.
    /// </summary>
    private static string? TraceIdOf(Func<string, string?> header) =>
        new[] { "traceparent", "MT-Activity-Id", "Diagnostic-Id" }.Select(name => W3CTraceId(header(name))).FirstOrDefault(id => id is not null);

    /// <summary><c>00-{32 hex trace id}-{16 hex span id}-{2 hex flags}</c>; an all-zero trace id is invalid.</summary>
    private static string? W3CTraceId(string? traceParent)
    {
        var parts = traceParent?.Trim().Split('-');
        if (parts is not { Length: >= 4 } || parts[0].Length != 2 || parts[1].Length != 32 || parts[2].Length != 16) return null;
        var traceId = parts[1].ToLowerInvariant();
        return traceId.All(char.IsAsciiHexDigitLower) && traceId.Any(c => c != '0') ? traceId : null;
    }

    private static string Pretty(string body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            return JsonSerializer.Serialize(json.RootElement, Indented);
        }
        catch (JsonException)
        {
            return body;
        }
    }

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>AMQP header values: strings arrive as bytes, tables and arrays nest.</summary>
    private static string HeaderText(object? value) => value switch
    {
        null => "",
        byte[] bytes => Encoding.UTF8.GetString(bytes),
        string text => text,
        AmqpTimestamp timestamp => DateTimeOffset.FromUnixTimeSeconds(timestamp.UnixTime).ToString("O", CultureInfo.InvariantCulture),
        IDictionary<string, object?> table => "{" + string.Join(", ", table.Select(kv => $"{kv.Key}: {HeaderText(kv.Value)}")) + "}",
        IEnumerable list => "[" + string.Join(", ", list.Cast<object?>().Select(HeaderText)) + "]",
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
