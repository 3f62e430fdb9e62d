using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Platform.ServiceDefaults.Messaging;
using Platform.ServiceDefaults.Persistence;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace Platform.Bench.Outbox;

/// <summary>
/// Ours: a producer service commits a state row and its event (AddIntegrationEvent + SaveChanges) one transaction at
/// a time; its outbox worker publishes; a consumer service consumes through the inbox and commits an effect row.
/// A run ends when the consumer has acknowledged the last message, i.e. after its effect was committed.
/// </summary>
internal sealed class OutboxPath : IAsyncDisposable
{
    private readonly WebApplication _producer;
    private readonly WebApplication _consumer;
    private readonly CompletionCounter _consumed;
    private readonly int _eventsPerCommit;
    private readonly int _producers;
    private int _nextSequence;

    private OutboxPath(WebApplication producer, WebApplication consumer, CompletionCounter consumed, BenchOptions options)
    {
        _producer = producer;
        _consumer = consumer;
        _consumed = consumed;
        _eventsPerCommit = options.EventsPerCommit;
        _producers = options.Producers;
    }

    public static async Task<OutboxPath> StartAsync(string producerDatabase, string consumerDatabase, Uri broker, BenchOptions options)
    {
        var producer = await StartServiceAsync("bench-producer", producerDatabase, broker, options, null);
        var consumer = await StartServiceAsync("bench-consumer", consumerDatabase, broker, options, bus => bus.AddConsumer<BenchItemRecordedConsumer>());
        var consumed = new CompletionCounter();
        consumer.Services.GetRequiredService<IBus>().ConnectReceiveObserver(new EndpointObserver("/bench-consumer-bench-item-recorded", consumed));
        return new OutboxPath(producer, consumer, consumed, options);
    }

    private static async Task<WebApplication> StartServiceAsync(string name, string database, Uri broker, BenchOptions options, Action<IBusRegistrationConfigurator>? consumers)
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:benchdb"] = database,
            ["ConnectionStrings:messaging"] = broker.ToString(),
            ["Messaging:ConcurrentMessageLimit"] = options.ConcurrentMessageLimit.ToString(CultureInfo.InvariantCulture),
            ["Messaging:PrefetchCount"] = options.Prefetch.ToString(CultureInfo.InvariantCulture),
            ["Messaging:Outbox:BatchSize"] = options.Window.ToString(CultureInfo.InvariantCulture),
        });
        builder.AddServiceDatabase<BenchDbContext>("benchdb");
        builder.AddServiceMessaging(name, consumers);
        var app = builder.Build();
        await app.StartAsync();
        var bus = app.Services.GetRequiredService<IBusControl>();
        var clock = Stopwatch.StartNew();
        while (bus.CheckHealth().Status != BusHealthStatus.Healthy)
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(60)) throw new TimeoutException($"The {name} bus did not become ready.");
            await Task.Delay(100);
        }
        return app;
    }

    public async Task<RunResult> RunAsync(int messages)
    {
        var done = _consumed.Expect(messages);
        var firstSequence = _nextSequence;
        _nextSequence += messages;
        var commits = (messages + _eventsPerCommit - 1) / _eventsPerCommit;
        var nextCommit = -1;
        var clock = Stopwatch.StartNew();

        // Each producer loop is one request handler after another; several loops are concurrent requests.
        async Task ProduceAsync()
        {
            int commit;
            while ((commit = Interlocked.Increment(ref nextCommit)) < commits)
            {
                await using var scope = _producer.Services.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<BenchDbContext>();
                var first = commit * _eventsPerCommit;
                for (var offset = first; offset < Math.Min(first + _eventsPerCommit, messages); offset++)
                {
                    var item = new BenchItem { Id = Guid.CreateVersion7(), Sequence = firstSequence + offset };
                    db.Items.Add(item);
                    db.AddIntegrationEvent(new BenchItemRecorded { ItemId = item.Id, Sequence = item.Sequence, Payload = BenchItemRecorded.SamplePayload });
                }
                await db.SaveChangesAsync();
            }
        }
        await Task.WhenAll(Enumerable.Range(0, _producers).Select(_ => Task.Run(ProduceAsync)));
        var producerDone = clock.Elapsed;
        await done.WaitAsync(TimeSpan.FromMinutes(5));
        clock.Stop();

        // Every event had exactly one effect, and nothing is left behind in the outbox.
        await using (var scope = _consumer.Services.CreateAsyncScope())
        {
            var effects = scope.ServiceProvider.GetRequiredService<BenchDbContext>().Effects;
            var (count, distinct) = (await effects.CountAsync(), await effects.Select(e => e.ItemId).Distinct().CountAsync());
            if (count != _nextSequence || distinct != _nextSequence)
                throw new InvalidOperationException($"Expected {_nextSequence} effects, one per event; found {count} ({distinct} distinct).");
        }
        await using (var scope = _producer.Services.CreateAsyncScope())
        {
            var left = await scope.ServiceProvider.GetRequiredService<PlatformDbContext>().OutboxMessages.CountAsync();
            if (left != 0) throw new InvalidOperationException($"{left} outbox rows left after the run.");
        }
        return RunResult.Measured(messages, clock, producerDone);
    }

    public async ValueTask DisposeAsync()
    {
        await _consumer.StopAsync();
        await _producer.StopAsync();
        await _consumer.DisposeAsync();
        await _producer.DisposeAsync();
    }

    private sealed class EndpointObserver(string endpoint, CompletionCounter counter) : IReceiveObserver
    {
        public Task PreReceive(ReceiveContext context) => Task.CompletedTask;

        // After the consumer, the inbox commit and the acknowledgement.
        public Task PostReceive(ReceiveContext context)
        {
            if (context.InputAddress.AbsolutePath.EndsWith(endpoint, StringComparison.Ordinal)) counter.Increment();
            return Task.CompletedTask;
        }

        public Task PostConsume<T>(ConsumeContext<T> context, TimeSpan duration, string consumerType) where T : class => Task.CompletedTask;
        public Task ConsumeFault<T>(ConsumeContext<T> context, TimeSpan duration, string consumerType, Exception exception) where T : class => Task.CompletedTask;
        public Task ReceiveFault(ReceiveContext context, Exception exception) => Task.CompletedTask;
    }
}

/// <summary>
/// The baseline: RabbitMQ.Client 7 alone, no database. Publishes the same event as JSON to a quorum queue in windows
/// of <see cref="BenchOptions.Window"/> publishes whose confirms are awaited together (the outbox batch does the same),
/// and consumes with manual acks and the same prefetch.
/// </summary>
internal sealed class BaselinePath : IAsyncDisposable
{
    private const string Queue = "bench-baseline";
    private readonly IConnection _publisherConnection;
    private readonly IConnection _consumerConnection;
    private readonly IChannel _publisher;
    private readonly IChannel _consumer;
    private readonly CompletionCounter _consumed = new();
    private readonly int _window;
    private int _nextSequence;

    private BaselinePath(IConnection publisherConnection, IConnection consumerConnection, IChannel publisher, IChannel consumer, int window)
    {
        _publisherConnection = publisherConnection;
        _consumerConnection = consumerConnection;
        _publisher = publisher;
        _consumer = consumer;
        _window = window;
    }

    public static async Task<BaselinePath> StartAsync(Uri broker, BenchOptions options)
    {
        var factory = new ConnectionFactory { Uri = broker };
        var publisherConnection = await factory.CreateConnectionAsync("bench-baseline-publisher");
        var consumerConnection = await factory.CreateConnectionAsync("bench-baseline-consumer");
        var publisher = await publisherConnection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
        var consumer = await consumerConnection.CreateChannelAsync();
        await consumer.QueueDeclareAsync(Queue, durable: true, exclusive: false, autoDelete: false, arguments: new Dictionary<string, object?> { ["x-queue-type"] = "quorum" });
        await consumer.BasicQosAsync(0, (ushort)options.Prefetch, global: false);

        var path = new BaselinePath(publisherConnection, consumerConnection, publisher, consumer, options.Window);
        var receiver = new AsyncEventingBasicConsumer(consumer);
        receiver.ReceivedAsync += path.OnReceivedAsync;
        await consumer.BasicConsumeAsync(Queue, autoAck: false, receiver);
        return path;
    }

    private async Task OnReceivedAsync(object sender, BasicDeliverEventArgs delivery)
    {
        await _consumer.BasicAckAsync(delivery.DeliveryTag, multiple: false);
        _consumed.Increment();
    }

    public async Task<RunResult> RunAsync(int messages)
    {
        var done = _consumed.Expect(messages);
        var clock = Stopwatch.StartNew();
        var confirms = new List<Task>(_window);
        for (var sent = 0; sent < messages; sent++)
        {
            var body = JsonSerializer.SerializeToUtf8Bytes(new BenchItemRecorded { ItemId = Guid.CreateVersion7(), Sequence = _nextSequence++, Payload = BenchItemRecorded.SamplePayload });
            var properties = new BasicProperties { Persistent = true, MessageId = Guid.CreateVersion7().ToString(), ContentType = "application/json" };
            confirms.Add(_publisher.BasicPublishAsync("", Queue, mandatory: false, properties, body).AsTask());
            if (confirms.Count == _window)
            {
                await Task.WhenAll(confirms);
                confirms.Clear();
            }
        }
        await Task.WhenAll(confirms);
        var producerDone = clock.Elapsed;
        await done.WaitAsync(TimeSpan.FromMinutes(5));
        clock.Stop();
        return RunResult.Measured(messages, clock, producerDone);
    }

    public async ValueTask DisposeAsync()
    {
        await _publisher.CloseAsync();
        await _consumer.CloseAsync();
        await _publisherConnection.CloseAsync();
        await _consumerConnection.CloseAsync();
    }
}

/// <summary>Completes when the expected number of messages has been counted.</summary>
internal sealed class CompletionCounter
{
    private int _count;
    private int _expected;
    private TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Expect(int messages)
    {
        _done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref _count, 0);
        Volatile.Write(ref _expected, messages);
        return _done.Task;
    }

    public void Increment()
    {
        if (Interlocked.Increment(ref _count) == Volatile.Read(ref _expected)) _done.TrySetResult();
    }
}

/// <summary>
/// A reference, not a competitor: the two commits per message the outbox path cannot avoid (the producer's state
/// change, the consumer's effect), as plain Npgsql inserts without EF, outbox, inbox or broker. Shows how much of
/// the outbox path's cost is the database itself on this machine.
/// </summary>
internal sealed class DatabaseFloorPath(string producerDatabase, string consumerDatabase, BenchOptions options)
{
    private int _nextSequence = 1_000_000_000;

    public async Task<RunResult> RunAsync(int messages)
    {
        await using var producer = Npgsql.NpgsqlDataSource.Create(producerDatabase);
        await using var consumer = Npgsql.NpgsqlDataSource.Create(consumerDatabase);
        var next = -1;
        var clock = Stopwatch.StartNew();
        async Task LoopAsync()
        {
            while (Interlocked.Increment(ref next) < messages)
            {
                var id = Guid.CreateVersion7();
                var sequence = Interlocked.Increment(ref _nextSequence);
                await using (var insert = producer.CreateCommand("INSERT INTO bench_items (id, sequence) VALUES ($1, $2)"))
                {
                    insert.Parameters.Add(new Npgsql.NpgsqlParameter { Value = id });
                    insert.Parameters.Add(new Npgsql.NpgsqlParameter { Value = sequence });
                    await insert.ExecuteNonQueryAsync();
                }
                await using (var effect = consumer.CreateCommand("INSERT INTO bench_effects (item_id, sequence) VALUES ($1, $2)"))
                {
                    effect.Parameters.Add(new Npgsql.NpgsqlParameter { Value = id });
                    effect.Parameters.Add(new Npgsql.NpgsqlParameter { Value = sequence });
                    await effect.ExecuteNonQueryAsync();
                }
            }
        }
        await Task.WhenAll(Enumerable.Range(0, Math.Max(options.Producers, options.ConcurrentMessageLimit)).Select(_ => Task.Run(LoopAsync)));
        clock.Stop();
        return RunResult.Measured(messages, clock, clock.Elapsed);
    }
}

/// <summary>
/// The database work of the outbox path in the path's own shape, as plain Npgsql: <see cref="BenchOptions.Producers"/>
/// loops each commit a state row and its outbox row in one transaction (what a request does), and hand the event on;
/// <see cref="BenchOptions.ConcurrentMessageLimit"/> loops commit an inbox record and an effect row per event (what the
/// consumer does). No EF, broker or delivery worker. With one producer this is the most the path could reach here:
/// every producer commit waits for its own WAL flush, one after another, which <see cref="DatabaseFloorPath"/>'s
/// independent loops share by group commit.
/// </summary>
internal sealed class ShapedFloorPath(string producerDatabase, string consumerDatabase, BenchOptions options)
{
    private int _nextSequence;

    public async Task<RunResult> RunAsync(int messages)
    {
        await using var producer = Npgsql.NpgsqlDataSource.Create(producerDatabase);
        await using var consumer = Npgsql.NpgsqlDataSource.Create(consumerDatabase);
        var handedOn = System.Threading.Channels.Channel.CreateUnbounded<(Guid Id, int Sequence)>();
        var next = -1;
        var clock = Stopwatch.StartNew();
        async Task ProduceAsync()
        {
            while (Interlocked.Increment(ref next) < messages)
            {
                var id = Guid.CreateVersion7();
                var sequence = Interlocked.Increment(ref _nextSequence);
                await using var connection = await producer.OpenConnectionAsync();
                await using var transaction = await connection.BeginTransactionAsync();
                await using var batch = new Npgsql.NpgsqlBatch(connection, transaction);
                batch.BatchCommands.Add(Command("INSERT INTO bench_items (id, sequence) VALUES ($1, $2)", id, sequence));
                batch.BatchCommands.Add(Command("""
                    INSERT INTO platform.outbox_messages (message_id, message_type, body, created_at, attempts)
                    VALUES ($1, 'BenchItemRecorded', $2::jsonb, now(), 0)
                    """, Guid.CreateVersion7(), JsonSerializer.Serialize(new BenchItemRecorded { ItemId = id, Sequence = sequence, Payload = BenchItemRecorded.SamplePayload })));
                await batch.ExecuteNonQueryAsync();
                await transaction.CommitAsync();
                handedOn.Writer.TryWrite((id, sequence));
            }
        }
        async Task ConsumeAsync()
        {
            await foreach (var (id, sequence) in handedOn.Reader.ReadAllAsync())
            {
                await using var connection = await consumer.OpenConnectionAsync();
                await using var transaction = await connection.BeginTransactionAsync();
                await using var batch = new Npgsql.NpgsqlBatch(connection, transaction);
                batch.BatchCommands.Add(Command("INSERT INTO platform.inbox_records (message_id, consumer, processed_at) VALUES ($1, 'bench-floor', now())", id));
                batch.BatchCommands.Add(Command("INSERT INTO bench_effects (item_id, sequence) VALUES ($1, $2)", id, sequence));
                await batch.ExecuteNonQueryAsync();
                await transaction.CommitAsync();
            }
        }
        var consumers = Enumerable.Range(0, options.ConcurrentMessageLimit).Select(_ => Task.Run(ConsumeAsync)).ToList();
        await Task.WhenAll(Enumerable.Range(0, options.Producers).Select(_ => Task.Run(ProduceAsync)));
        var producerDone = clock.Elapsed;
        handedOn.Writer.Complete();
        await Task.WhenAll(consumers);
        clock.Stop();
        return RunResult.Measured(messages, clock, producerDone);
    }

    private static Npgsql.NpgsqlBatchCommand Command(string sql, params object[] values)
    {
        var command = new Npgsql.NpgsqlBatchCommand(sql);
        foreach (var value in values) command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = value });
        return command;
    }
}
