using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Platform.ServiceDefaults.Health;
using Platform.Hosting;
using Platform.ServiceDefaults.Messaging;
using Platform.Testing;

namespace Platform.ServiceDefaults.Tests.Messaging;

/// <summary>
/// An instance is not ready before its queues exist on the broker: on a new broker, an event published to a queue not
/// yet bound is dropped, so "every service ready" must mean "every queue in place". The broker is kept away by
/// withholding the service user's permissions on its virtual host (MassTransit cannot connect), then granting them.
/// </summary>
public sealed class MessagingTopologyHealthTests(ThrowawayPostgres postgres, ThrowawayRabbitMq rabbit)
{
    [Fact]
    public async Task Readiness_fails_until_the_consumer_queues_are_declared_and_bound_then_succeeds()
    {
        var cancel = TestContext.Current.CancellationToken;
        var broker = await rabbit.CreateVirtualHostAsync("topology");
        var vhost = broker.AbsolutePath.Trim('/');
        using var management = rabbit.Server.ManagementClient(TimeSpan.FromSeconds(30));
        await SetPermissionsAsync(management, vhost, granted: false, cancel);

        await using var service = await ProbeService.StartAsync(await postgres.CreateDatabaseAsync(), broker, ProbeService.RecordOrders, waitForBus: false);
        var queue = Assert.Single(service.Services.GetRequiredService<ConsumerQueues>().Names, name => name == "probe-order-placed");

        var (status, topology) = await ReadyAsync(service, cancel);
        Assert.Equal(HealthStatus.Unhealthy, status);
        Assert.Equal(HealthStatus.Unhealthy, topology);
        Assert.Equal(HttpStatusCode.NotFound, await QueueStatusAsync(management, vhost, queue, cancel));

        await SetPermissionsAsync(management, vhost, granted: true, cancel);
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (status == HealthStatus.Unhealthy || topology != HealthStatus.Healthy)
        {
            Assert.True(DateTime.UtcNow < deadline, $"Readiness never passed with messaging-topology healthy (last {status}, {topology}).");
            await Task.Delay(100, cancel);
            (status, topology) = await ReadyAsync(service, cancel);
        }
        // The first ready answer comes with the consumer's queue declared, and the message's exchange bound to the
        // queue's own exchange (MassTransit's topology: message exchange → endpoint exchange → queue).
        Assert.Equal(HttpStatusCode.OK, await QueueStatusAsync(management, vhost, queue, cancel));
        using var bindings = await management.GetFromJsonAsync<JsonDocument>(new Uri($"api/exchanges/{vhost}/{queue}/bindings/destination", UriKind.Relative), cancel);
        Assert.Contains(bindings!.RootElement.EnumerateArray(), b => b.GetProperty("source").GetString()!.EndsWith(":OrderPlaced", StringComparison.Ordinal));
    }

    [Fact]
    public async Task After_the_grace_an_instance_without_the_broker_serves_degraded()
    {
        var cancel = TestContext.Current.CancellationToken;
        var broker = await rabbit.CreateVirtualHostAsync("topology-grace");
        using var management = rabbit.Server.ManagementClient(TimeSpan.FromSeconds(30));
        await SetPermissionsAsync(management, broker.AbsolutePath.Trim('/'), granted: false, cancel);

        await using var service = await ProbeService.StartAsync(await postgres.CreateDatabaseAsync(), broker, ProbeService.RecordOrders,
            settings: new Dictionary<string, string?> { ["Messaging:TopologyGrace"] = "00:00:00" }, waitForBus: false);

        var (status, topology) = await ReadyAsync(service, cancel);
        Assert.Equal(HealthStatus.Degraded, status);
        Assert.Equal(HealthStatus.Degraded, topology);
    }

    /// <summary>What <c>/health/ready</c> reports (the probe service maps no endpoints; the mapping's 503 for unhealthy is HealthTests').</summary>
    private static async Task<(HealthStatus Ready, HealthStatus Topology)> ReadyAsync(ProbeService service, CancellationToken cancel)
    {
        var report = await service.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(c => c.Tags.Contains(HealthEndpoints.Ready), cancel);
        return (report.Status, report.Entries["messaging-topology"].Status);
    }

    private static async Task<HttpStatusCode> QueueStatusAsync(HttpClient management, string vhost, string queue, CancellationToken cancel)
    {
        using var response = await management.GetAsync(new Uri($"api/queues/{vhost}/{queue}", UriKind.Relative), cancel);
        return response.StatusCode;
    }

    private static async Task SetPermissionsAsync(HttpClient management, string vhost, bool granted, CancellationToken cancel)
    {
        var path = new Uri($"api/permissions/{vhost}/{RabbitMqServer.User}", UriKind.Relative);
        using var response = granted
            ? await management.PutAsync(path, new StringContent("""{"configure":".*","write":".*","read":".*"}""", System.Text.Encoding.UTF8, "application/json"), cancel)
            : await management.DeleteAsync(path, cancel);
        response.EnsureSuccessStatusCode();
    }
}
