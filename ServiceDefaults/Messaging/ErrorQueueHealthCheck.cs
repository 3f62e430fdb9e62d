using System.Collections.Concurrent;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace Platform.ServiceDefaults.Messaging;

/// <summary>The service's consumer queues, as MassTransit configured them (the error queues are these plus <c>_error</c>).</summary>
internal sealed class ConsumerQueues
{
    private readonly ConcurrentDictionary<string, bool> _names = new(StringComparer.Ordinal);

    public void Add(string queue) => _names.TryAdd(queue, true);

    public IReadOnlyList<string> Names => [.. _names.Keys.Order(StringComparer.Ordinal)];
}

/// <summary>
/// Messages parked in this service's <c>&lt;queue&gt;_error</c> queues: degraded when any (they need an operator:
/// replay or discard, e.g. from the operator dashboard), with the count per queue in the data. Also degraded, not
/// unhealthy, when the broker cannot be asked: readiness does not depend on the broker (events wait in the outbox).
/// Counted with passive queue declarations on a connection of its own (an error queue exists only once MassTransit
/// first moved a message there; a missing one counts 0). A count is reused for <see cref="Freshness"/>: load balancers
/// probe readiness every second, and the count never decides readiness (it is at worst Degraded).
/// </summary>
internal sealed class ErrorQueueHealthCheck(BrokerAddress broker, ConsumerQueues queues, TimeProvider clock) : IHealthCheck, IAsyncDisposable
{
    public static readonly TimeSpan Freshness = TimeSpan.FromSeconds(10);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private IConnection? _connection;
    private (HealthCheckResult Result, long At)? _last;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_last is { } last && clock.GetElapsedTime(last.At) < Freshness) return last.Result;
            var result = await CountAllAsync(cancellationToken);
            _last = (result, clock.GetTimestamp());
            return result;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<HealthCheckResult> CountAllAsync(CancellationToken cancellationToken)
    {
        var data = new Dictionary<string, object>();
        long total = 0;
        try
        {
            var connection = await ConnectAsync(cancellationToken);
            foreach (var queue in queues.Names)
            {
                var errorQueue = queue + "_error";
                var count = await CountAsync(connection, errorQueue, cancellationToken);
                total += count;
                if (count > 0) data[errorQueue] = count;
            }
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            // Whatever went wrong talking to the broker (unreachable, connection closed, timeout): ask again next time.
            if (_connection is not null) await _connection.DisposeAsync();
            _connection = null;
            return HealthCheckResult.Degraded("the broker cannot be asked for the error queues' depth", data: new Dictionary<string, object> { ["errorMessages"] = -1 });
        }

        data["errorMessages"] = total;
        return total > 0
            ? HealthCheckResult.Degraded($"{total} message(s) in error queues: replay or discard them", data: data)
            : HealthCheckResult.Healthy("no messages in error queues", data);
    }

    private static async Task<long> CountAsync(IConnection connection, string queue, CancellationToken cancellationToken)
    {
        // A passive declaration of a missing queue closes its channel: one channel per question.
        await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
        try
        {
            return (await channel.QueueDeclarePassiveAsync(queue, cancellationToken)).MessageCount;
        }
        catch (OperationInterruptedException exception) when (exception.ShutdownReason?.ReplyCode == 404)
        {
            return 0;
        }
    }

    private async Task<IConnection> ConnectAsync(CancellationToken cancellationToken)
    {
        if (_connection is { IsOpen: true }) return _connection;
        if (_connection is not null) await _connection.DisposeAsync();
        _connection = null;
        var factory = new ConnectionFactory
        {
            HostName = broker.Host,
            Port = broker.Port,
            VirtualHost = broker.VirtualHost,
            UserName = broker.User,
            Password = broker.Password,
            ClientProvidedName = "health: error queues",
            RequestedConnectionTimeout = TimeSpan.FromSeconds(5),
            AutomaticRecoveryEnabled = false,
        };
        if (broker.UseTls) factory.Ssl = new SslOption { Enabled = true, ServerName = broker.Host };
        // In a cluster, whichever node answers: quorum queues report the same depth on every node.
        var nodes = broker.Nodes.Select(node => node.Split(':')).Select(hostPort =>
            new AmqpTcpEndpoint(hostPort[0], int.Parse(hostPort[1], System.Globalization.CultureInfo.InvariantCulture), factory.Ssl)).ToList();
        _connection = nodes.Count > 1
            ? await factory.CreateConnectionAsync(nodes, cancellationToken)
            : await factory.CreateConnectionAsync(cancellationToken);
        return _connection;
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection is not null) await _connection.DisposeAsync();
        _gate.Dispose();
    }
}
