using System.Collections.Concurrent;
using System.Reflection;
using System.Text;
using System.Text.Json;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using Platform.ServiceDefaults.Http;

namespace Platform.Testing;

/// <summary>
/// Reads what a service published, from a real RabbitMQ queue: a plain queue bound to the exchange MassTransit
/// publishes <typeparamref name="TMessage"/> to, consumed with RabbitMQ.Client. Create it before the operation
/// (the queue only sees what is published after it is bound).
/// </summary>
/// <example>
/// <code>
/// await using var applied = await service.WatchAsync&lt;MembershipApplied&gt;();
/// await client.PostAsJsonAsync(...);
/// var evt = await applied.NextAsync(e => e.OrganizationId == organizationId);
/// </code>
/// </example>
public sealed class PublishedEvents<TMessage> : IAsyncDisposable where TMessage : class
{
    private readonly IConnection _connection;
    private readonly IChannel _channel;
    private readonly ConcurrentQueue<TMessage> _received = new();
    private readonly SemaphoreSlim _arrived = new(0);
    private readonly List<TMessage> _seen = [];
    private readonly List<TMessage> _untaken = [];

    private PublishedEvents(IConnection connection, IChannel channel)
    {
        _connection = connection;
        _channel = channel;
    }

    internal static async Task<PublishedEvents<TMessage>> BindAsync(Uri virtualHost)
    {
        // MassTransit's exchange name: the type's [EntityName] (a type that moved keeps its former one), else namespace:name.
        var exchange = typeof(TMessage).GetCustomAttribute<MassTransit.EntityNameAttribute>()?.EntityName ?? $"{typeof(TMessage).Namespace}:{typeof(TMessage).Name}";
        var connection = await new ConnectionFactory { Uri = virtualHost }.CreateConnectionAsync();
        var channel = await connection.CreateChannelAsync();
        // Declared as MassTransit declares a message type's exchange, so it does not matter who comes first.
        await channel.ExchangeDeclareAsync(exchange, ExchangeType.Fanout, durable: true, autoDelete: false);
        var queue = (await channel.QueueDeclareAsync($"watch-{typeof(TMessage).Name}-{Guid.NewGuid():N}", durable: false, exclusive: true, autoDelete: true)).QueueName;
        await channel.QueueBindAsync(queue, exchange, "");
        var watcher = new PublishedEvents<TMessage>(connection, channel);
        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += (_, delivery) =>
        {
            watcher._received.Enqueue(ReadEnvelope(delivery.Body.Span));
            watcher._arrived.Release();
            return Task.CompletedTask;
        };
        await channel.BasicConsumeAsync(queue, autoAck: true, consumer);
        return watcher;
    }

    /// <summary>The message inside a MassTransit JSON envelope (<c>{ "message": {...}, ... }</c>).</summary>
    private static TMessage ReadEnvelope(ReadOnlySpan<byte> body)
    {
        using var envelope = JsonDocument.Parse(body.ToArray());
        return envelope.RootElement.GetProperty("message").Deserialize<TMessage>(PlatformJson.Options)
               ?? throw new InvalidOperationException($"An empty {typeof(TMessage).Name} arrived: {Encoding.UTF8.GetString(body)}");
    }

    /// <summary>
    /// Waits for the next published message that matches <paramref name="match"/> (any, when null) and takes it.
    /// Messages that did not match stay for later calls (and are listed in <see cref="Seen"/>).
    /// </summary>
    public async Task<TMessage> NextAsync(Func<TMessage, bool>? match = null, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (true)
        {
            while (_received.TryDequeue(out var message))
            {
                _seen.Add(message);
                _untaken.Add(message);
            }
            var index = _untaken.FindIndex(m => match is null || match(m));
            if (index >= 0)
            {
                var found = _untaken[index];
                _untaken.RemoveAt(index);
                return found;
            }
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero || !await _arrived.WaitAsync(left))
                throw new TimeoutException($"No matching {typeof(TMessage).Name} was published in time; saw {_seen.Count}: "
                                           + string.Join("; ", _seen.Select(m => JsonSerializer.Serialize(m, PlatformJson.Options))));
        }
    }

    /// <summary>Waits for <paramref name="count"/> messages matching <paramref name="match"/>.</summary>
    public async Task<IReadOnlyList<TMessage>> TakeAsync(int count, Func<TMessage, bool>? match = null, TimeSpan? timeout = null)
    {
        var taken = new List<TMessage>();
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (taken.Count < count)
            taken.Add(await NextAsync(match, deadline - DateTime.UtcNow));
        return taken;
    }

    /// <summary>
    /// Waits <paramref name="quiet"/> and returns every message not taken yet, for asserting that nothing (more)
    /// was published, e.g. by a rejected request.
    /// </summary>
    public async Task<IReadOnlyList<TMessage>> DrainAfterAsync(TimeSpan quiet)
    {
        await Task.Delay(quiet);
        while (_received.TryDequeue(out var message))
        {
            _seen.Add(message);
            _untaken.Add(message);
        }
        var all = _untaken.ToList();
        _untaken.Clear();
        return all;
    }

    /// <summary>Every message taken so far.</summary>
    public IReadOnlyList<TMessage> Seen => _seen;

    public async ValueTask DisposeAsync()
    {
        await _channel.CloseAsync();
        await _connection.CloseAsync();
        _channel.Dispose();
        _connection.Dispose();
        _arrived.Dispose();
    }
}
