using RabbitMQ.Client;

namespace Platform.ServiceDefaults.Tests.Messaging;

/// <summary>
/// A plain queue bound to a message type's exchange, read with RabbitMQ.Client: sees every copy the broker
/// accepted, before any inbox deduplicates them.
/// </summary>
internal sealed class SpyQueue : IAsyncDisposable
{
    private readonly IConnection _connection;
    private readonly IChannel _channel;
    private readonly string _queue;

    private SpyQueue(IConnection connection, IChannel channel, string queue)
    {
        _connection = connection;
        _channel = channel;
        _queue = queue;
    }

    /// <summary>The spy's connection name, so a test that cuts the service's connections can leave the spy's alone.</summary>
    public const string ConnectionName = "spy";

    /// <summary>Binds a new queue to the exchange MassTransit publishes <typeparamref name="TMessage"/> to (declared the way MassTransit declares it).</summary>
    public static async Task<SpyQueue> BindAsync<TMessage>(Uri virtualHost)
    {
        var exchange = $"{typeof(TMessage).Namespace}:{typeof(TMessage).Name}";
        var connection = await new ConnectionFactory { Uri = virtualHost, ClientProvidedName = ConnectionName }.CreateConnectionAsync(TestContext.Current.CancellationToken);
        var channel = await connection.CreateChannelAsync(cancellationToken: TestContext.Current.CancellationToken);
        var queue = $"spy-{typeof(TMessage).Name}";
        await channel.ExchangeDeclareAsync(exchange, ExchangeType.Fanout, durable: true, autoDelete: false, cancellationToken: TestContext.Current.CancellationToken);
        await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false, cancellationToken: TestContext.Current.CancellationToken);
        await channel.QueueBindAsync(queue, exchange, "", cancellationToken: TestContext.Current.CancellationToken);
        return new SpyQueue(connection, channel, queue);
    }

    public async Task<uint> CountAsync() => await _channel.MessageCountAsync(_queue, TestContext.Current.CancellationToken);

    /// <summary>Takes every message now in the queue and returns their AMQP message ids.</summary>
    public async Task<List<string>> DrainMessageIdsAsync() => [.. (await DrainAsync()).Select(m => m.MessageId)];

    /// <summary>Takes every message now in the queue: AMQP message id and body.</summary>
    public async Task<List<(string MessageId, string Body)>> DrainAsync()
    {
        var messages = new List<(string, string)>();
        while (await _channel.BasicGetAsync(_queue, autoAck: true, TestContext.Current.CancellationToken) is { } message)
            messages.Add((message.BasicProperties.MessageId ?? "(none)", System.Text.Encoding.UTF8.GetString(message.Body.Span)));
        return messages;
    }

    public async ValueTask DisposeAsync()
    {
        await _channel.CloseAsync();
        await _connection.CloseAsync();
        _channel.Dispose();
        _connection.Dispose();
    }
}
