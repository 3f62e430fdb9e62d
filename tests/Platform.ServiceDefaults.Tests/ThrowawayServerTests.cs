using Npgsql;
using Platform.Testing;

namespace Platform.ServiceDefaults.Tests;

public sealed class ThrowawayServerTests(ThrowawayPostgres postgres, ThrowawayRabbitMq rabbit)
{
    [Fact]
    public async Task Each_database_is_new_and_writable()
    {
        var first = await postgres.CreateDatabaseAsync();
        var second = await postgres.CreateDatabaseAsync();
        Assert.NotEqual(first, second);

        await using var connection = new NpgsqlConnection(first);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand("CREATE TABLE t(x int); INSERT INTO t VALUES (42); SELECT x FROM t", connection);
        Assert.Equal(42, await command.ExecuteScalarAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Broker_serves_an_isolated_virtual_host_through_its_management_api()
    {
        var uri = await rabbit.CreateVirtualHostAsync();
        using var http = rabbit.Server.ManagementClient();
        var vhost = Uri.EscapeDataString(uri.AbsolutePath.TrimStart('/'));
        using var response = await http.GetAsync(new Uri($"api/vhosts/{vhost}", UriKind.Relative), TestContext.Current.CancellationToken);
        Assert.True(response.IsSuccessStatusCode, $"vhost lookup answered {(int)response.StatusCode}");
    }
}
