using Npgsql;

namespace Platform.AppHost.Tests;

public sealed class ShutdownTests
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Killing_the_AppHost_with_SIGKILL_leaves_no_process_behind()
    {
        await using var appHost = AppHostProcess.Start();
        await appHost.WaitUntilReadyAsync();
        var descendants = ProcessTree.Descendants(appHost.Pid);
        // PostgreSQL (with its workers), epmd, the RabbitMQ VM, three services and the dashboard.
        Assert.Contains(descendants, p => p.CommandLine.Contains("/postgres -D", StringComparison.Ordinal));
        Assert.Contains(descendants, p => p.CommandLine.Contains("beam.smp", StringComparison.Ordinal));
        Assert.Contains(descendants, p => p.CommandLine.Contains("epmd", StringComparison.Ordinal));
        Assert.Equal(4, descendants.Count(p => p.CommandLine.EndsWith(".dll", StringComparison.Ordinal)));

        appHost.Signal(AppHostProcess.SigKill);
        await appHost.Exited.WaitAsync(TimeSpan.FromSeconds(10), Cancellation);

        var gone = await RunningPlatformTests.EventuallyAsync(() => Task.FromResult(!descendants.Any(p => p.IsAlive)), seconds: 10);
        Assert.True(gone, "still running after the AppHost was killed:\n" + string.Join('\n', descendants.Where(p => p.IsAlive)));
        Assert.Empty(ProcessTree.Mentioning(appHost.DataFolder));
    }

    [Fact]
    public async Task SIGTERM_stops_services_then_RabbitMQ_then_PostgreSQL_and_the_next_start_keeps_the_data()
    {
        await using var first = AppHostProcess.Start();
        var endpoints = await first.WaitUntilReadyAsync();
        var descendants = ProcessTree.Descendants(first.Pid);
        await ExecuteAsync(endpoints.Databases["membershipdb"], "CREATE TABLE kept (note text); INSERT INTO kept VALUES ('written before the stop')");

        first.Signal(AppHostProcess.SigTerm);
        Assert.Equal(0, await first.Exited.WaitAsync(TimeSpan.FromSeconds(60), Cancellation));

        var stopped = first.OutputLines.Where(line => line.EndsWith("» stopped (exit code 0)", StringComparison.Ordinal)).Select(line => line.Split(' ')[0]).ToList();
        Assert.Equal(6, stopped.Count);
        Assert.Equal(["dashboard", "events", "membership", "talent-pipeline"], stopped.Take(4).Order(StringComparer.Ordinal));
        Assert.Equal(["messaging", "postgres"], stopped.Skip(4));
        Assert.DoesNotContain(descendants, p => p.IsAlive);
        Assert.False(File.Exists(first.EndpointsFile), "endpoints.json describes a running platform; it must go when it stops");

        // Same folder again: same operator key and passwords; the servers keep their ports unless another
        // program took one in the meantime, which the AppHost then says.
        await using var second = AppHostProcess.StartOn(first.DataFolder);
        var again = await second.WaitUntilReadyAsync();
        Assert.Equal(endpoints.OperatorKey, again.OperatorKey);
        var portsMoved = second.OutputLines.Count(line => line.Contains("(used last time) is taken by another program", StringComparison.Ordinal));
        Assert.True(portsMoved > 0 || (endpoints.Databases.SequenceEqual(again.Databases) && endpoints.Amqp == again.Amqp && endpoints.Management == again.Management),
            $"the servers' addresses changed without a word:\n{second.Output}");
        Assert.Equal(endpoints.Amqp.UserInfo, again.Amqp.UserInfo);
        Assert.Equal("written before the stop", await ExecuteAsync(again.Databases["membershipdb"], "SELECT note FROM kept"));
    }

    private static async Task<object?> ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString + ";Pooling=false");
        await connection.OpenAsync(Cancellation);
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync(Cancellation);
    }
}
