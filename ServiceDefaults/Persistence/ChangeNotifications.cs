using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Platform.ServiceDefaults.Persistence;

/// <summary>
/// Something in the process that keeps a copy of database state and must hear when it changes: the NOTIFYs of one
/// channel, and whether the LISTEN connection is up. While it is not, notifications may be lost, so the copy must
/// not be trusted (clear it and read the database).
/// </summary>
public interface IChangeSubscriber
{
    /// <summary>A <c>NOTIFY channel, payload</c> committed by any instance. Called on the listener's loop: be quick, never throw.</summary>
    void Notified(string payload);

    /// <summary>True once <c>LISTEN</c> runs (again); false when the connection is lost or the service stops.</summary>
    void ListeningChanged(bool listening);
}

/// <summary>One channel and who hears it.</summary>
public sealed record ChangeSubscription(string Channel, IChangeSubscriber Subscriber);

public static class ChangeNotificationExtensions
{
    /// <summary>
    /// Makes <typeparamref name="TSubscriber"/> (a singleton) hear PostgreSQL <c>NOTIFY</c>s on <paramref name="channel"/>
    /// of the service's database. One connection per process listens on every registered channel.
    /// </summary>
    public static IServiceCollection AddChangeNotifications<TSubscriber>(this IServiceCollection services, string channel)
        where TSubscriber : class, IChangeSubscriber
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(channel);
        services.TryAddSingleton<TSubscriber>();
        services.AddSingleton(provider => new ChangeSubscription(channel, provider.GetRequiredService<TSubscriber>()));
        if (!services.Any(d => d.ServiceType == typeof(ChangeNotifications)))
        {
            services.AddSingleton<ChangeNotifications>();
            services.AddSingleton<IHostedService>(provider => provider.GetRequiredService<ChangeNotifications>());
        }
        return services;
    }
}

/// <summary>
/// Holds one Npgsql connection with <c>LISTEN</c> on every registered channel and hands each notification to its
/// subscribers; reconnects with back-off. Caches built on it stay correct across instances without a per-request query.
/// </summary>
public sealed partial class ChangeNotifications(ServiceDatabase database, IEnumerable<ChangeSubscription> subscriptions, ILogger<ChangeNotifications> logger)
    : BackgroundService
{
    private static readonly TimeSpan IdleProbe = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan MaxBackOff = TimeSpan.FromSeconds(10);
    private readonly ILookup<string, IChangeSubscriber> _subscribers = subscriptions.ToLookup(s => s.Channel, s => s.Subscriber, StringComparer.Ordinal);
    private volatile int _processId;

    /// <summary>The PostgreSQL backend pid of the listening connection, 0 while not listening (tests kill it).</summary>
    public int ProcessId => _processId;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var backOff = TimeSpan.FromMilliseconds(200);
        while (!stoppingToken.IsCancellationRequested)
        {
            var listening = false;
            try
            {
                var builder = new NpgsqlConnectionStringBuilder(database.ConnectionString) { KeepAlive = 10, Pooling = false };
                await using var connection = new NpgsqlConnection(builder.ConnectionString);
                await connection.OpenAsync(stoppingToken);
                connection.Notification += (_, e) => Dispatch(e.Channel, e.Payload);
                foreach (var channel in _subscribers.Select(g => g.Key))
                {
                    await using var listen = new NpgsqlCommand($"LISTEN \"{channel.Replace("\"", "\"\"", StringComparison.Ordinal)}\"", connection);
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }
                _processId = connection.ProcessID;
                listening = true;
                Tell(true);
                backOff = TimeSpan.FromMilliseconds(200);
                while (true)
                {
                    // A quiet connection is probed now and then: a half-open socket must not pass for listening.
                    if (!await connection.WaitAsync(IdleProbe, stoppingToken))
                    {
                        await using var probe = new NpgsqlCommand("SELECT 1", connection) { CommandTimeout = 5 };
                        await probe.ExecuteScalarAsync(stoppingToken);
                    }
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                // Stopping.
            }
#pragma warning disable CA1031 // Any failure of the connection means: fall back, wait, reconnect.
            catch (Exception e)
#pragma warning restore CA1031
            {
                LogLost(logger, e, backOff);
            }
            finally
            {
                _processId = 0;
                if (listening) Tell(false);
            }
            if (stoppingToken.IsCancellationRequested) break;
            try
            {
                await Task.Delay(backOff, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
            backOff = TimeSpan.FromTicks(Math.Min(backOff.Ticks * 2, MaxBackOff.Ticks));
        }
    }

    private void Dispatch(string channel, string payload)
    {
        foreach (var subscriber in _subscribers[channel]) subscriber.Notified(payload);
    }

    private void Tell(bool listening)
    {
        foreach (var subscriber in _subscribers.SelectMany(g => g)) subscriber.ListeningChanged(listening);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Change notifications: the LISTEN connection failed; caches read the database until it is back (retry in {BackOff})")]
    private static partial void LogLost(ILogger logger, Exception exception, TimeSpan backOff);
}
