using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Npgsql;
using Platform.ServiceDefaults.Persistence;

namespace Platform.ServiceDefaults.Messaging;

/// <summary>
/// Reports the outbox backlog: how many events wait, how old the oldest is, how many have failed at least once,
/// how many are parked. Degraded above the thresholds in <see cref="OutboxOptions"/> (a growing backlog means the
/// broker is unreachable, delivery is disabled or stuck) or when a row is parked; never unhealthy: a backlog is
/// no reason to take an instance out of service, it still takes requests and its events wait safely.
/// </summary>
internal sealed class OutboxBacklogHealthCheck(ServiceDatabase database, IOptions<MessagingOptions> options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var settings = options.Value.Outbox;
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var query = new NpgsqlCommand("""
            SELECT count(*) FILTER (WHERE parked_at IS NULL),
                   coalesce(extract(epoch FROM now() - min(created_at) FILTER (WHERE parked_at IS NULL)), 0)::float8,
                   count(*) FILTER (WHERE attempts > 0 AND parked_at IS NULL),
                   count(*) FILTER (WHERE parked_at IS NOT NULL)
              FROM platform.outbox_messages
            """, connection);
        await using var reader = await query.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var count = reader.GetInt64(0);
        var oldest = TimeSpan.FromSeconds(Math.Max(0, reader.GetDouble(1)));
        var failing = reader.GetInt64(2);
        var parked = reader.GetInt64(3);

        var data = new Dictionary<string, object>
        {
            ["pendingMessages"] = count,
            ["oldestAgeSeconds"] = Math.Round(oldest.TotalSeconds, 1),
            ["failingMessages"] = failing,
            ["parkedMessages"] = parked,
        };
        var description = $"{count} message(s) waiting, oldest {oldest.TotalSeconds:0.#} s, {failing} failed at least once, {parked} parked";
        if (count >= settings.UnhealthyCount || oldest >= settings.UnhealthyAge)
            return HealthCheckResult.Degraded("critical backlog: " + description, data: data);
        if (count >= settings.DegradedCount || oldest >= settings.DegradedAge || parked > 0)
            return HealthCheckResult.Degraded(description, data: data);
        return HealthCheckResult.Healthy(description, data);
    }
}
