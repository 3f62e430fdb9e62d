using System.Net;
using Platform.Testing;
using static Platform.ServiceDefaults.Tests.TestApp.ProblemAssert;

namespace Platform.ServiceDefaults.Tests.Http;

public sealed class RateLimitTests(ThrowawayPostgres postgres)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Past_its_burst_a_key_gets_429_problems_with_Retry_After_and_other_keys_and_probes_are_unaffected()
    {
        await using var app = await TestApp.TestApp.StartAsync(postgres, settings: new Dictionary<string, string?>
        {
            ["Platform:RateLimit:PermitsPerSecond"] = "1",
            ["Platform:RateLimit:Burst"] = "3",
        });
        var partner = await app.IssuePartnerKeyAsync("pipeline:read");
        using var client = app.Client(partner.Key);
        // Unauthenticated answers count against the client's address, not against the key.
        for (var attempt = 0; attempt < 50; attempt++)
        {
            using var probe = await client.GetAsync("/api/v1/whoami", Cancel);
            if (probe.StatusCode != HttpStatusCode.Unauthorized) break;
            await Task.Delay(100, Cancel);
        }

        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? limited = null;
        for (var i = 0; i < 6; i++)
        {
            var response = await client.GetAsync("/api/v1/whoami", Cancel);
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests) limited ??= response;
            else response.Dispose();
        }

        Assert.NotNull(limited);
        using (limited)
        {
            await IsProblemAsync(limited, HttpStatusCode.TooManyRequests);
            Assert.InRange(limited.Headers.RetryAfter?.Delta ?? TimeSpan.Zero, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5));
        }
        Assert.InRange(statuses.Count(s => s == HttpStatusCode.OK), 2, 4);

        using var operatorClient = app.Operator();
        using var asOperator = await operatorClient.GetAsync("/api/v1/whoami", Cancel);
        Assert.Equal(HttpStatusCode.OK, asOperator.StatusCode);
        for (var i = 0; i < 10; i++)
        {
            using var probe = await client.GetAsync("/health/live", Cancel);
            Assert.Equal(HttpStatusCode.OK, probe.StatusCode);
        }

        await Task.Delay(TimeSpan.FromSeconds(1.1), Cancel);
        using var later = await client.GetAsync("/api/v1/whoami", Cancel);
        Assert.Equal(HttpStatusCode.OK, later.StatusCode);
    }
}
