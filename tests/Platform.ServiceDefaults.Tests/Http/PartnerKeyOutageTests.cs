using System.Diagnostics;
using System.Net;
using Platform.Hosting;
using Platform.ServiceDefaults.Auth;
using Platform.Testing;
using static Platform.ServiceDefaults.Tests.TestApp.ProblemAssert;

namespace Platform.ServiceDefaults.Tests.Http;

/// <summary>Partner authentication while the service's PostgreSQL is down (a server of this test's own, stopped and started again).</summary>
public sealed class PartnerKeyOutageTests(ThrowawayPostgres postgres)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task While_the_database_is_down_keys_are_served_from_the_last_snapshot_and_without_one_503_with_Retry_After()
    {
        var folder = ThrowawayFolder.Create("pg-keys-outage");
        var server = await PostgresServer.StartAsync(new PostgresOptions { DataDirectory = folder, Durable = false }, Cancel);
        try
        {
            await server.EnsureDatabaseAsync("keys", Cancel);
            var settings = new Dictionary<string, string?> { ["ConnectionStrings:testdb"] = server.ConnectionString("keys") };
            // Two instances of one service on one database: the first has read the keys before the outage, the second not.
            await using var warm = await TestApp.TestApp.StartAsync(postgres, settings: settings);
            await using var cold = await TestApp.TestApp.StartAsync(postgres, settings: settings);
            var partner = await warm.IssuePartnerKeyAsync(Scopes.PipelineRead);
            using var warmClient = warm.Client(partner.Key);
            using var coldClient = cold.Client(partner.Key);
            using (var before = await warmClient.GetAsync("/api/v1/whoami", Cancel))
                Assert.Equal(HttpStatusCode.OK, before.StatusCode);

            await server.StopAsync();
            await Task.Delay(TimeSpan.FromSeconds(2.5), Cancel); // past the snapshot's age: a reload is due and fails

            var watch = Stopwatch.StartNew();
            using (var served = await warmClient.GetAsync("/api/v1/whoami", Cancel))
                Assert.Equal(HttpStatusCode.OK, served.StatusCode);
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(3), $"Answering from the last snapshot took {watch.Elapsed}.");
            TestContext.Current.TestOutputHelper?.WriteLine($"database down: answered from the last snapshot in {watch.ElapsedMilliseconds} ms");
            using (var unknown = warm.Client("pk_unknown_" + Guid.NewGuid().ToString("N")))
                await IsProblemAsync(await unknown.GetAsync("/api/v1/whoami", Cancel), HttpStatusCode.Unauthorized);

            using (var unavailable = await coldClient.GetAsync("/api/v1/whoami", Cancel))
            {
                var problem = await IsProblemAsync(unavailable, HttpStatusCode.ServiceUnavailable);
                Assert.Contains("try again", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
                Assert.Equal(TimeSpan.FromSeconds(5), unavailable.Headers.RetryAfter?.Delta);
            }
            // The operator key does not need the database.
            using (var operatorClient = cold.Operator())
                Assert.Equal(HttpStatusCode.OK, (await operatorClient.GetAsync("/api/v1/whoami", Cancel)).StatusCode);
            Assert.DoesNotContain(warm.Logs.Lines.Concat(cold.Logs.Lines), line => line.Contains(partner.Key, StringComparison.Ordinal));

            // Back up: the cold instance loads the keys, and a revocation counts again within seconds.
            server = await PostgresServer.StartAsync(new PostgresOptions { DataDirectory = folder, Port = server.Port, Durable = false }, Cancel);
            await EventuallyAsync(coldClient, HttpStatusCode.OK, TimeSpan.FromSeconds(15));
            await warm.RevokeAsync(partner);
            await EventuallyAsync(warmClient, HttpStatusCode.Unauthorized, TimeSpan.FromSeconds(10));
            await EventuallyAsync(coldClient, HttpStatusCode.Unauthorized, TimeSpan.FromSeconds(10));
        }
        finally
        {
            await server.DisposeAsync();
            ThrowawayFolder.Remove(folder);
        }
    }

    private static async Task EventuallyAsync(HttpClient client, HttpStatusCode status, TimeSpan limit)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            using (var response = await client.GetAsync("/api/v1/whoami", Cancel))
                if (response.StatusCode == status) return;
            Assert.True(watch.Elapsed < limit, $"/api/v1/whoami did not answer {(int)status} within {limit.TotalSeconds} s.");
            await Task.Delay(100, Cancel);
        }
    }
}
