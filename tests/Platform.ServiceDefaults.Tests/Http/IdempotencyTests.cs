using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Platform.ServiceDefaults.Http;
using Platform.ServiceDefaults.Persistence;
using Platform.ServiceDefaults.Tests.TestApp;
using Platform.Testing;
using static Platform.ServiceDefaults.Tests.TestApp.ProblemAssert;

namespace Platform.ServiceDefaults.Tests.Http;

public sealed class IdempotencyTests(SharedApp shared, ThrowawayPostgres postgres) : IClassFixture<SharedApp>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;
    private TestApp.TestApp App => shared.App;

    private static HttpRequestMessage Post(string key, string name, string path = "/api/v1/things", int seats = 1)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new StringContent($$"""{ "name": "{{name}}", "kind": "orderClass", "seats": {{seats}} }""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("Idempotency-Key", key);
        return request;
    }

    private async Task<int> RowsNamedAsync(string name) => await App.WithDbAsync(db => db.Items.CountAsync(i => i.Name == name, Cancel));

    [Fact]
    public async Task A_repeat_with_the_same_key_and_body_replays_the_first_response()
    {
        var name = $"replay-{Guid.NewGuid():N}";
        var key = Guid.NewGuid().ToString();
        using var client = App.Operator();

        using var first = await client.SendAsync(Post(key, name), Cancel);
        using var second = await client.SendAsync(Post(key, name), Cancel);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        Assert.Equal(first.Headers.Location, second.Headers.Location);
        Assert.Equal(first.Content.Headers.ContentType, second.Content.Headers.ContentType);
        Assert.Equal(await first.Content.ReadAsStringAsync(Cancel), await second.Content.ReadAsStringAsync(Cancel));
        Assert.False(first.Headers.Contains("Idempotency-Replayed"));
        Assert.Equal(["true"], second.Headers.GetValues("Idempotency-Replayed"));
        Assert.Equal(1, App.Calls.CountOf(name));
        Assert.Equal(1, await RowsNamedAsync(name));
    }

    [Fact]
    public async Task The_same_key_with_another_body_is_a_422_problem()
    {
        var name = $"mismatch-{Guid.NewGuid():N}";
        var key = Guid.NewGuid().ToString();
        using var client = App.Operator();
        using var first = await client.SendAsync(Post(key, name, seats: 1), Cancel);
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);

        using var other = await client.SendAsync(Post(key, name, seats: 2), Cancel);
        await IsProblemAsync(other, HttpStatusCode.UnprocessableEntity, ProblemCode.IdempotencyKeyReused);
        Assert.Equal(1, App.Calls.CountOf(name));
    }

    [Fact]
    public async Task A_repeat_while_the_first_is_in_flight_is_a_409_problem_and_later_replays()
    {
        var name = $"inflight-{Guid.NewGuid():N}";
        var key = Guid.NewGuid().ToString();
        var (entered, open) = App.Calls.HoldAt(name);
        using var client = App.Operator();

        var first = client.SendAsync(Post(key, name), Cancel);
        await entered.WaitAsync(TimeSpan.FromSeconds(10), Cancel);
        using (var repeat = await client.SendAsync(Post(key, name), Cancel))
        {
            await IsProblemAsync(repeat, HttpStatusCode.Conflict, ProblemCode.RequestInFlight);
            Assert.NotNull(repeat.Headers.RetryAfter);
        }
        open.SetResult();
        using (var firstResponse = await first) Assert.Equal(HttpStatusCode.Created, firstResponse.StatusCode);

        using var later = await client.SendAsync(Post(key, name), Cancel);
        Assert.Equal(HttpStatusCode.Created, later.StatusCode);
        Assert.Equal(["true"], later.Headers.GetValues("Idempotency-Replayed"));
        Assert.Equal(1, App.Calls.CountOf(name));
    }

    [Fact]
    public async Task Of_identical_requests_sent_at_once_exactly_one_runs_the_handler()
    {
        var name = $"concurrent-{Guid.NewGuid():N}";
        var key = Guid.NewGuid().ToString();
        // The winner waits inside the handler until every other request has been answered.
        var (entered, open) = App.Calls.HoldAt(name);
        using var client = App.Operator();
        using var start = new SemaphoreSlim(0);

        var requests = Enumerable.Range(0, 8).Select(async _ =>
        {
            await start.WaitAsync(Cancel);
            return await client.SendAsync(Post(key, name), Cancel);
        }).ToList();
        start.Release(requests.Count);

        await entered.WaitAsync(TimeSpan.FromSeconds(10), Cancel);
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (requests.Count(r => r.IsCompleted) < requests.Count - 1 && waited.Elapsed < TimeSpan.FromSeconds(10))
            await Task.Delay(20, Cancel);
        open.SetResult();
        var responses = await Task.WhenAll(requests);

        Assert.Equal(1, App.Calls.CountOf(name));
        Assert.Equal(1, await RowsNamedAsync(name));
        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Created);
        Assert.Equal(requests.Count - 1, responses.Count(r => r.StatusCode == HttpStatusCode.Conflict));
        foreach (var response in responses) response.Dispose();
    }

    [Fact]
    public async Task A_5xx_is_not_stored_so_a_retry_runs_again()
    {
        var name = $"flaky-{Guid.NewGuid():N}";
        var key = Guid.NewGuid().ToString();
        using var client = App.Operator();

        using var failed = await client.SendAsync(Post(key, name, "/api/v1/flaky"), Cancel);
        await IsProblemAsync(failed, HttpStatusCode.ServiceUnavailable);
        using var retried = await client.SendAsync(Post(key, name, "/api/v1/flaky"), Cancel);
        Assert.Equal(HttpStatusCode.Created, retried.StatusCode);
        using var replayed = await client.SendAsync(Post(key, name, "/api/v1/flaky"), Cancel);
        Assert.Equal(HttpStatusCode.Created, replayed.StatusCode);
        Assert.Equal(["true"], replayed.Headers.GetValues("Idempotency-Replayed"));
        Assert.Equal(2, App.Calls.CountOf(name));
    }

    [Fact]
    public async Task A_4xx_is_not_kept_so_a_repeat_is_judged_again()
    {
        var name = $"not-yet-{Guid.NewGuid():N}";
        var key = Guid.NewGuid().ToString();
        using var client = App.Operator();

        // Refused for a reason that can pass (e.g. a member not replicated yet): nothing happened, so the repeat runs.
        using var refused = await client.SendAsync(Post(key, name, "/api/v1/not-yet"), Cancel);
        await IsProblemAsync(refused, HttpStatusCode.BadRequest);
        using var repeated = await client.SendAsync(Post(key, name, "/api/v1/not-yet"), Cancel);
        Assert.Equal(HttpStatusCode.Created, repeated.StatusCode);
        Assert.False(repeated.Headers.Contains("Idempotency-Replayed"));
        using var replayed = await client.SendAsync(Post(key, name, "/api/v1/not-yet"), Cancel);
        Assert.Equal(["true"], replayed.Headers.GetValues("Idempotency-Replayed"));
        Assert.Equal(2, App.Calls.CountOf(name));
    }

    [Fact]
    public async Task Keys_belong_to_their_caller()
    {
        var name = $"per-caller-{Guid.NewGuid():N}";
        var key = Guid.NewGuid().ToString();
        var partner = await App.IssuePartnerKeyAsync("pipeline:write");
        using var operatorClient = App.Operator();
        using var partnerClient = App.Client(partner.Key);

        using var byOperator = await operatorClient.SendAsync(Post(key, name), Cancel);
        Assert.Equal(HttpStatusCode.Created, byOperator.StatusCode);
        HttpResponseMessage byPartner;
        var attempts = 0;
        while ((byPartner = await partnerClient.SendAsync(Post(key, name), Cancel)).StatusCode == HttpStatusCode.Unauthorized && attempts++ < 50)
        {
            byPartner.Dispose();
            await Task.Delay(100, Cancel); // the new key replicates within seconds
        }
        using (byPartner)
        {
            Assert.Equal(HttpStatusCode.Created, byPartner.StatusCode);
            Assert.False(byPartner.Headers.Contains("Idempotency-Replayed"));
        }
        Assert.Equal(2, App.Calls.CountOf(name));
    }

    [Theory]
    [InlineData(201)]
    [InlineData(-1)]
    public async Task A_key_too_long_or_not_visible_ASCII_is_a_400_problem(int length)
    {
        using var client = App.Operator();
        using var request = Post("placeholder", $"bad-key-{Guid.NewGuid():N}");
        request.Headers.Remove("Idempotency-Key");
        request.Headers.TryAddWithoutValidation("Idempotency-Key", length > 0 ? new string('k', length) : "two words");
        using var response = await client.SendAsync(request, Cancel);
        var problem = await IsProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.NotEmpty(Errors(problem, "Idempotency-Key"));
    }

    [Fact]
    public async Task An_abandoned_claim_is_taken_over_after_its_lock_expires()
    {
        await using var app = await TestApp.TestApp.StartAsync(postgres, settings: new Dictionary<string, string?>
        {
            ["Platform:Idempotency:LockDuration"] = "00:00:01",
        });
        var name = $"abandoned-{Guid.NewGuid():N}";
        var key = Guid.NewGuid().ToString();
        using var client = app.Operator();
        // The claim of an instance that died right after claiming: nobody renews it. Its lock is set far ahead, so the
        // early repeat sees it held however slow the machine, then moved into the past as if its duration had run out.
        var now = DateTimeOffset.UtcNow;
        var hash = await HashOfAsync(Post(key, name));
        await app.WithDbAsync(async db =>
        {
            db.IdempotentRequests.Add(new IdempotentRequest { Caller = "operator", Key = key, RequestHash = hash, CreatedAt = now, LockedUntil = now.AddHours(1) });
            return await db.SaveChangesAsync(Cancel);
        });

        using (var early = await client.SendAsync(Post(key, name), Cancel))
            await IsProblemAsync(early, HttpStatusCode.Conflict, ProblemCode.RequestInFlight);
        await app.WithDbAsync(db => db.IdempotentRequests.Where(r => r.Key == key)
            .ExecuteUpdateAsync(set => set.SetProperty(r => r.LockedUntil, DateTimeOffset.UtcNow.AddSeconds(-1)), Cancel));

        using var retry = await client.SendAsync(Post(key, name), Cancel);
        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        Assert.False(retry.Headers.Contains("Idempotency-Replayed"));
        Assert.Equal(1, app.Calls.CountOf(name));
        Assert.Contains(app.Logs.Lines, l => l.Contains("Took over an abandoned Idempotency-Key claim", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_running_request_keeps_its_claim_beyond_the_lock_duration()
    {
        await using var app = await TestApp.TestApp.StartAsync(postgres, settings: new Dictionary<string, string?>
        {
            ["Platform:Idempotency:LockDuration"] = "00:00:01",
        });
        var name = $"slow-{Guid.NewGuid():N}";
        var key = Guid.NewGuid().ToString();
        var (entered, open) = app.Calls.HoldAt(name);
        using var client = app.Operator();

        // Slower than three lock durations: its claim is renewed while it runs, so a repeat waits instead of running it twice.
        var first = client.SendAsync(Post(key, name), Cancel);
        await entered.WaitAsync(TimeSpan.FromSeconds(10), Cancel);
        await Task.Delay(TimeSpan.FromSeconds(3), Cancel);
        using (var repeat = await client.SendAsync(Post(key, name), Cancel))
            await IsProblemAsync(repeat, HttpStatusCode.Conflict, ProblemCode.RequestInFlight);
        open.SetResult();
        using (var firstResponse = await first) Assert.Equal(HttpStatusCode.Created, firstResponse.StatusCode);

        using var later = await client.SendAsync(Post(key, name), Cancel);
        Assert.Equal(["true"], later.Headers.GetValues("Idempotency-Replayed"));
        Assert.Equal(1, app.Calls.CountOf(name));
    }

    /// <summary>The request hash the middleware stores for <paramref name="request"/>.</summary>
    private static async Task<string> HashOfAsync(HttpRequestMessage request)
    {
        var context = new Microsoft.AspNetCore.Http.DefaultHttpContext();
        context.Request.Method = request.Method.Method;
        context.Request.Path = request.RequestUri!.OriginalString;
        context.Request.Body = new MemoryStream(await request.Content!.ReadAsByteArrayAsync(Cancel));
        return await IdempotencyMiddleware.HashRequestAsync(context.Request, Cancel);
    }

    [Fact]
    public async Task Keys_older_than_24_hours_are_deleted()
    {
        var now = DateTimeOffset.UtcNow;
        await App.WithDbAsync(async db =>
        {
            db.IdempotentRequests.AddRange(
                new IdempotentRequest { Caller = "cleanup", Key = "old", RequestHash = "x", StatusCode = 201, CreatedAt = now.AddHours(-25), LockedUntil = now.AddHours(-25) },
                new IdempotentRequest { Caller = "cleanup", Key = "recent", RequestHash = "x", StatusCode = 201, CreatedAt = now.AddHours(-23), LockedUntil = now.AddHours(-23) });
            return await db.SaveChangesAsync(Cancel);
        });

        var cleanup = App.Services.GetServices<IHostedService>().OfType<IdempotencyCleanup>().Single();
        Assert.True(await cleanup.DeleteExpiredAsync(Cancel) >= 1);

        var keys = await App.WithDbAsync(db => db.IdempotentRequests.Where(r => r.Caller == "cleanup").Select(r => r.Key).ToListAsync(Cancel));
        Assert.Equal(["recent"], keys);
    }
}
