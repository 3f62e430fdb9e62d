using System.Text.RegularExpressions;
using Npgsql;
using Xunit.Sdk;
using Xunit.v3;

namespace Platform.AppHost.Tests;

/// <summary>
/// The last test on the running platform (<see cref="ShutdownLast"/>): it stops that platform with SIGTERM, starts a
/// second one on its folder and kills that one, so one platform start serves every test of the class.
/// </summary>
public sealed partial class RunningPlatformTests
{
    [Fact]
    public async Task SIGTERM_stops_everything_the_next_start_keeps_the_key_the_data_the_credentials_and_the_ports_and_SIGKILL_leaves_nothing()
    {
        var first = platform.AppHost;
        var endpoints = platform.Endpoints;
        var processes = first.PlatformProcesses();
        AssertIsTheWholePlatform(processes);
        await ExecuteScalarAsync(endpoints.Databases["membershipdb"], "CREATE TABLE kept (note text); INSERT INTO kept VALUES ('written before the stop')");

        first.Signal(AppHostProcess.SigTerm);
        Assert.Equal(0, await first.Exited.WaitAsync(TimeSpan.FromSeconds(60), Cancellation));
        Assert.False(File.Exists(first.EndpointsFile), "endpoints.json describes a running platform; it must go when it stops");
        var left = await first.WaitUntilGoneAsync(processes, AppHostProcess.CleanupTimeout);
        Assert.True(left.Count == 0, $"still running {AppHostProcess.CleanupTimeout.TotalSeconds} s after the AppHost stopped:\n{string.Join('\n', left)}");

        // Same folder again: same operator key, database contents and broker credentials; every address stays the
        // same unless another program took its port in the meantime, which the AppHost then says.
        await using var second = AppHostProcess.StartOn(first.DataFolder);
        var again = await second.WaitUntilReadyAsync();
        Assert.Equal(endpoints.OperatorKey, again.OperatorKey);
        Assert.Equal("written before the stop", await ExecuteScalarAsync(again.Databases["membershipdb"], "SELECT note FROM kept"));
        Assert.Equal(endpoints.AmqpUri.UserInfo, again.AmqpUri.UserInfo);
        Assert.Equal(PostgresPassword(endpoints), PostgresPassword(again));

        var ports = new (string Key, int Before, int After)[]
        {
            ("postgres", PostgresPort(endpoints), PostgresPort(again)),
            ("messaging-amqp", endpoints.AmqpUri.Port, again.AmqpUri.Port),
            ("messaging-management", endpoints.ManagementUri.Port, again.ManagementUri.Port),
            ("aspire-dashboard", new Uri(endpoints.AspireDashboard.Url).Port, new Uri(again.AspireDashboard.Url).Port),
        }.Concat(endpoints.Services.Select(s => (s.Key, s.Value.Port, again.Services[s.Key].Port)));
        foreach (var (key, before, after) in ports)
        {
            Assert.True(before == after || second.OutputLines.Any(line => line.StartsWith($"{key}: port {before} (used last time) is taken by another program", StringComparison.Ordinal)),
                $"{key} moved from port {before} to {after} without a word:\n{second.Output}");
        }

        // SIGKILL of the second one (one platform start serves both: each takes half a minute on 2 cores): DCP
        // watches the AppHost's pid and stops everything it started.
        var secondPlatform = second.PlatformProcesses();
        AssertIsTheWholePlatform(secondPlatform);
        second.Signal(AppHostProcess.SigKill);
        await second.Exited.WaitAsync(TimeSpan.FromSeconds(10), Cancellation);
        left = await second.WaitUntilGoneAsync(secondPlatform, AppHostProcess.CleanupTimeout);
        Assert.True(left.Count == 0, $"still running {AppHostProcess.CleanupTimeout.TotalSeconds} s after the AppHost was killed:\n{string.Join('\n', left)}");
    }

    /// <summary>PostgreSQL (with its workers), epmd, the RabbitMQ VM, the four services, DCP and the Aspire dashboard.</summary>
    private static void AssertIsTheWholePlatform(IReadOnlyList<ProcessSnapshot> platform)
    {
        var listing = string.Join('\n', platform);
        Assert.True(platform.Any(p => p.CommandLine.Contains("/postgres -D", StringComparison.Ordinal)), $"no PostgreSQL in:\n{listing}");
        Assert.True(platform.Any(p => p.CommandLine.Contains("beam.smp", StringComparison.Ordinal)), $"no RabbitMQ in:\n{listing}");
        Assert.True(platform.Any(p => p.CommandLine.Contains("epmd", StringComparison.Ordinal)), $"no epmd in:\n{listing}");
        Assert.True(platform.Any(p => p.CommandLine.Contains("/dcp ", StringComparison.Ordinal)), $"no DCP in:\n{listing}");
        Assert.True(platform.Any(p => p.CommandLine.Contains("Aspire.Dashboard", StringComparison.Ordinal)), $"no Aspire dashboard in:\n{listing}");
        foreach (var project in new[] { "Platform.Membership", "Platform.TalentPipeline", "Platform.Events", "Platform.Webhooks", "Platform.Dashboard" })
            Assert.True(platform.Any(p => AppHostProcess.IsServiceProcess(p, project)), $"no {project} in:\n{listing}");
    }

    private static int PostgresPort(Endpoints endpoints) =>
        int.Parse(Regex.Match(endpoints.Databases["membershipdb"], @"(^|;)Port=(\d+)").Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture);

    private static string PostgresPassword(Endpoints endpoints) =>
        Regex.Match(endpoints.Databases["membershipdb"], "(^|;)Password=([^;]*)").Groups[2].Value;

    private static async Task<object?> ExecuteScalarAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString + ";Pooling=false");
        await connection.OpenAsync(Cancellation);
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync(Cancellation);
    }
}

/// <summary>Orders the tests of a class by name, the shutdown test last: it stops the platform the others share.</summary>
public sealed class ShutdownLast : ITestCaseOrderer
{
    public IReadOnlyCollection<TTestCase> OrderTestCases<TTestCase>(IReadOnlyCollection<TTestCase> testCases) where TTestCase : notnull, ITestCase =>
        [.. testCases.OrderBy(c => c.TestMethodName?.StartsWith("SIGTERM_stops_everything", StringComparison.Ordinal) == true).ThenBy(c => c.TestMethodName, StringComparer.Ordinal)];
}
