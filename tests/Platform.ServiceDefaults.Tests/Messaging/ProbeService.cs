using System.Collections.Concurrent;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Platform.OutboxProbe;
using Platform.OutboxProbe.Contracts;
using Platform.ServiceDefaults.Messaging;
using Platform.ServiceDefaults.Persistence;

namespace Platform.ServiceDefaults.Tests.Messaging;

/// <summary>
/// The probe service hosted in the test process: <see cref="ProbeDbContext"/> on its own database,
/// <c>AddServiceMessaging</c> on its own virtual host, with the consumers and settings a test asks for.
/// </summary>
internal sealed class ProbeService : IAsyncDisposable
{
    private readonly WebApplication _app;

    private readonly TestOutputLogger _log;

    private ProbeService(WebApplication app, string database, TestOutputLogger log)
    {
        _app = app;
        Database = database;
        _log = log;
    }

    /// <summary>The warnings and errors the service logged so far (its outbox worker's broker failures among them).</summary>
    public IReadOnlyCollection<string> Problems => _log.Problems;

    public IServiceProvider Services => _app.Services;
    public HttpClient Client() => _app.GetTestClient();
    public string Database { get; }

    /// <summary>Settings every test starts from: quick retries, so failure paths finish within a test's time.</summary>
    private static readonly Dictionary<string, string?> TestDefaults = new()
    {
        ["Messaging:RetryLimit"] = "2",
        ["Messaging:RetryMinInterval"] = "00:00:00.050",
        ["Messaging:RetryMaxInterval"] = "00:00:00.200",
        ["Messaging:Outbox:PublishTimeout"] = "00:00:05",
        ["Messaging:Outbox:BrokerRetryMinDelay"] = "00:00:00.200",
        ["Messaging:Outbox:BrokerRetryMaxDelay"] = "00:00:01",
    };

    /// <param name="configure">Runs before AddServiceDatabase, as a service's own registrations would (e.g. AddServiceDefaults).</param>
    /// <param name="map">Maps endpoints before the host starts.</param>
    public static async Task<ProbeService> StartAsync(
        string database,
        Uri broker,
        Action<IBusRegistrationConfigurator>? consumers = null,
        IReadOnlyDictionary<string, string?>? settings = null,
        string serviceName = "probe",
        bool waitForBus = true,
        Action<WebApplicationBuilder>? configure = null,
        Action<WebApplication>? map = null)
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>(TestDefaults)
        {
            ["ConnectionStrings:probedb"] = database,
            ["ConnectionStrings:messaging"] = broker.ToString(),
        });
        if (settings is not null) builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.ClearProviders();
        var log = new TestOutputLogger();
        builder.Logging.AddProvider(log);

        configure?.Invoke(builder);
        builder.AddServiceDatabase<ProbeDbContext>("probedb");
        builder.AddServiceMessaging(serviceName, consumers);

        var app = builder.Build();
        map?.Invoke(app);
        await app.StartAsync(TestContext.Current.CancellationToken);
        if (waitForBus)
        {
            // The bus connects in the background; tests publish only once its queues are declared and bound.
            var bus = app.Services.GetRequiredService<IBusControl>();
            await Eventually.ReturnsAsync(() => Task.FromResult(bus.CheckHealth().Status), status => status == BusHealthStatus.Healthy, TimeSpan.FromSeconds(60), "the bus to be ready");
        }
        return new ProbeService(app, database, log);
    }

    public static void RecordOrders(IBusRegistrationConfigurator bus) => bus.AddConsumer<OrderPlacedConsumer>();

    public static void RecordOrdersAndAcknowledgements(IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<OrderPlacedConsumer>();
        bus.AddConsumer<OrderAcknowledgedConsumer>();
    }

    /// <summary>What a request handler does: one transaction with the state change and its events.</summary>
    public async Task<IReadOnlyList<Guid>> CommitOrdersAsync(IEnumerable<int> numbers, OrderHandling handling = OrderHandling.Record)
    {
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ProbeDbContext>();
        var messageIds = new List<Guid>();
        foreach (var number in numbers)
        {
            var order = new Order { Id = Guid.CreateVersion7(), Number = number };
            db.Orders.Add(order);
            messageIds.Add(db.AddIntegrationEvent(new OrderPlaced { OrderId = order.Id, Number = number, Handling = handling }));
        }
        await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        return messageIds;
    }

    public Task<IReadOnlyList<Guid>> CommitOrderAsync(int number, OrderHandling handling = OrderHandling.Record) =>
        CommitOrdersAsync([number], handling);

    public async Task<T> QueryAsync<T>(Func<ProbeDbContext, Task<T>> query)
    {
        await using var scope = Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<ProbeDbContext>());
    }

    public Task<List<ConsumedMessage>> ConsumedAsync(string consumer = nameof(OrderPlacedConsumer)) =>
        QueryAsync(db => db.ConsumedMessages.AsNoTracking().Where(c => c.Consumer == consumer).OrderBy(c => c.Id).ToListAsync());

    public Task<List<OutboxMessage>> OutboxAsync() =>
        QueryAsync(db => db.OutboxMessages.AsNoTracking().OrderBy(m => m.Sequence).ToListAsync());

    /// <summary>Where a stream stands, for a failure message: what is consumed, what still waits in the outbox.</summary>
    public async Task<string> DescribeAsync()
    {
        var consumed = await ConsumedAsync();
        var outbox = await OutboxAsync();
        return $"{consumed.Count} consumed (last number {consumed.LastOrDefault()?.Number}); {outbox.Count} in the outbox" +
               (outbox.Count > 0 ? $" (first: attempts {outbox[0].Attempts}, last error '{outbox[0].LastError}')" : "") +
               $"; bus {Services.GetRequiredService<IBusControl>().CheckHealth().Status}";
    }

    public async ValueTask DisposeAsync()
    {
        // Bounded: a bus stuck reconnecting must not hang the test.
        using var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        await _app.StopAsync(stopping.Token);
        await _app.DisposeAsync();
    }
}

/// <summary>Warnings and errors of the hosted services, in the test's output (helps when a test times out).</summary>
internal sealed class TestOutputLogger : ILoggerProvider, ILogger
{
    private readonly ITestOutputHelper? _output = TestContext.Current.TestOutputHelper;
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _problems = new();

    public IReadOnlyCollection<string> Problems => _problems;

    public ILogger CreateLogger(string categoryName) => this;
    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!IsEnabled(logLevel)) return;
        var line = $"[{DateTime.Now:HH:mm:ss.fff} {logLevel}] {formatter(state, exception)}{(exception is null ? "" : " — " + exception.GetType().Name + ": " + exception.Message)}";
        _problems.Enqueue(line);
        if (_output is null) return;
        try
        {
            _output.WriteLine(line);
        }
        catch (InvalidOperationException)
        {
            // The test has finished; its output is closed.
        }
    }

    public void Dispose()
    {
    }
}

/// <summary>Polls a condition until it holds or the time is up: the way to wait for asynchronous effects without sleeping.</summary>
internal static class Eventually
{
    public static async Task<T> ReturnsAsync<T>(Func<Task<T>> probe, Func<T, bool> condition, TimeSpan timeout, string what, Func<Task<string>>? describe = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var value = await probe();
            if (condition(value)) return value;
            if (DateTime.UtcNow > deadline)
            {
                var state = describe is null ? "" : $" ({await describe()})";
                throw new TimeoutException($"Waited {timeout.TotalSeconds:0} s for {what}; last value: {Describe(value)}{state}");
            }
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
    }

    private static string Describe<T>(T value) => value switch
    {
        System.Collections.ICollection collection => $"{collection.Count} item(s)",
        _ => value?.ToString() ?? "null",
    };
}

/// <summary>Counts deliveries an endpoint finished handling (acknowledged), including duplicates the inbox skipped.</summary>
internal sealed class DeliveryCounter(string endpointSuffix) : IReceiveObserver
{
    private readonly ConcurrentQueue<Uri> _handled = new();

    public int Count => _handled.Count;

    public Task PreReceive(ReceiveContext context) => Task.CompletedTask;

    public Task PostReceive(ReceiveContext context)
    {
        if (context.InputAddress.AbsolutePath.EndsWith(endpointSuffix, StringComparison.Ordinal))
            _handled.Enqueue(context.InputAddress);
        return Task.CompletedTask;
    }

    public Task PostConsume<T>(ConsumeContext<T> context, TimeSpan duration, string consumerType) where T : class => Task.CompletedTask;
    public Task ConsumeFault<T>(ConsumeContext<T> context, TimeSpan duration, string consumerType, Exception exception) where T : class => Task.CompletedTask;
    public Task ReceiveFault(ReceiveContext context, Exception exception) => Task.CompletedTask;
}
