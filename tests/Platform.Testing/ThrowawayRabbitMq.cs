using Platform.Hosting;
using Xunit;

namespace Platform.Testing;

/// <summary>
/// A throwaway RabbitMQ node. Shared per test assembly as an assembly fixture; a test that restarts the
/// broker creates its own with <see cref="StartAsync"/> so it does not disturb the others.
/// </summary>
public sealed class ThrowawayRabbitMq : IAsyncLifetime
{
    private string? _folder;
    private RabbitMqServer? _server;

    public RabbitMqServer Server => _server ?? throw new InvalidOperationException("The RabbitMQ fixture has not started.");

    /// <summary>Each node gets its own virtual host per test class via <see cref="CreateVirtualHostAsync"/>.</summary>
    public async ValueTask InitializeAsync()
    {
        _folder = ThrowawayFolder.Create("rabbit");
        _server = await RabbitMqServer.StartAsync(new RabbitMqOptions { DataDirectory = _folder, NodeName = $"test{Environment.ProcessId}x{Guid.NewGuid():N}"[..24] });
    }

    public static async Task<ThrowawayRabbitMq> StartAsync()
    {
        var fixture = new ThrowawayRabbitMq();
        await fixture.InitializeAsync();
        return fixture;
    }

    /// <summary>Creates an isolated virtual host and returns the AMQP URI that connects to it.</summary>
    public async Task<Uri> CreateVirtualHostAsync(string prefix = "test")
    {
        var vhost = $"{prefix}-{Guid.NewGuid():N}";
        // Not a health poll: on a busy CI machine creating a vhost has taken longer than the 5 s default.
        using var http = Server.ManagementClient(TimeSpan.FromSeconds(30));
        using (var create = await http.PutAsync(new Uri($"api/vhosts/{vhost}", UriKind.Relative), null))
            create.EnsureSuccessStatusCode();
        using (var permit = await http.PutAsync(
                   new Uri($"api/permissions/{vhost}/{RabbitMqServer.User}", UriKind.Relative),
                   new StringContent("""{"configure":".*","write":".*","read":".*"}""", System.Text.Encoding.UTF8, "application/json")))
            permit.EnsureSuccessStatusCode();
        return new Uri(Server.AmqpUri, vhost);
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync();
        if (_folder is not null) ThrowawayFolder.Remove(_folder);
    }
}
