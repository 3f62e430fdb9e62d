using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Platform.ServiceDefaults.Persistence;
using Platform.Testing;
using Platform.Webhooks.Features.Deliveries;
using Platform.Webhooks.Persistence;
using StandardWebhooks;
using static Platform.Webhooks.Tests.DeliveryWebhooksService;
using static Platform.Webhooks.Tests.WebhooksService;

namespace Platform.Webhooks.Tests;

/// <summary>The dispatcher against real receivers: retries, the end of the schedule, 410, leases, redirects, a hanging receiver, retention.</summary>
public sealed class DeliveryTests(DeliveryWebhooksService webhooks) : IClassFixture<DeliveryWebhooksService>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_receiver_that_fails_twice_gets_the_same_signed_message_three_times_and_the_log_shows_each_attempt()
    {
        await using var receiver = await DeliveryReceiver.StartAsync((n, context) => n switch
        {
            1 => DeliveryReceiver.Write(context, 500, "database down"),
            2 => Drop(context),
            _ => DeliveryReceiver.Write(context, 200, "thanks"),
        });
        var (_, partner) = await webhooks.PartnerAsync();
        using var _ = partner;
        var (endpointId, secret) = await EndpointAsync(partner, receiver.Url);

        var message = await webhooks.EnqueueAsync(new { programId = Guid.CreateVersion7() }, endpointId);

        var delivery = await EventuallyStatusAsync(partner, endpointId, message.Id, "succeeded");
        Assert.Equal(3, delivery.GetProperty("attemptCount").GetInt32());
        Assert.Equal(200, delivery.GetProperty("lastStatusCode").GetInt32());
        Assert.Equal(3, receiver.Hits.Count);
        foreach (var hit in receiver.Hits)
        {
            Assert.Equal(message.Id, hit.Headers["webhook-id"].ToString());
            Assert.Equal(message.Body, hit.Body);
            new StandardWebhook(secret).Verify(hit.Body, hit.Headers);
        }

        var detail = await SendAsync(partner, HttpMethod.Get, $"/api/v1/webhook-endpoints/{endpointId}/deliveries/{delivery.GetProperty("id").GetGuid()}",
            null, HttpStatusCode.OK);
        Assert.Equal("program.launched", detail.GetProperty("payload").GetProperty("type").GetString());
        var attempts = detail.GetProperty("attempts").EnumerateArray().ToList();
        Assert.Equal(3, attempts.Count);
        Assert.Equal((false, 500, "database down"), (attempts[0].GetProperty("succeeded").GetBoolean(), attempts[0].GetProperty("statusCode").GetInt32(),
            attempts[0].GetProperty("responseSnippet").GetString()));
        Assert.False(attempts[1].GetProperty("succeeded").GetBoolean());
        Assert.Equal(JsonValueKind.Null, attempts[1].GetProperty("statusCode").ValueKind);
        Assert.False(string.IsNullOrEmpty(attempts[1].GetProperty("error").GetString()));
        Assert.Equal((true, 200, "thanks"), (attempts[2].GetProperty("succeeded").GetBoolean(), attempts[2].GetProperty("statusCode").GetInt32(),
            attempts[2].GetProperty("responseSnippet").GetString()));
        Assert.All(attempts, a => Assert.InRange(a.GetProperty("durationMs").GetInt32(), 0, 10_000));
        // The schedule's waits lie between the attempts (200 ms, then 400 ms).
        var times = attempts.Select(a => a.GetProperty("attemptedAt").GetDateTimeOffset()).ToList();
        Assert.True(times[1] - times[0] >= RetryDelays[0], $"{times[0]:O} → {times[1]:O}");
        Assert.True(times[2] - times[1] >= RetryDelays[1], $"{times[1]:O} → {times[2]:O}");
    }

    [Fact]
    public async Task A_receiver_that_always_fails_ends_the_schedule_with_a_failed_delivery_and_stays_enabled()
    {
        await using var receiver = await DeliveryReceiver.StartAsync(DeliveryReceiver.Answer(503, "later"));
        var (_, partner) = await webhooks.PartnerAsync();
        using var _ = partner;
        var (endpointId, _) = await EndpointAsync(partner, receiver.Url);

        var message = await webhooks.EnqueueAsync(new { n = 1 }, endpointId);

        var delivery = await EventuallyStatusAsync(partner, endpointId, message.Id, "failed");
        Assert.Equal(RetryDelays.Length + 1, delivery.GetProperty("attemptCount").GetInt32());
        Assert.Equal(JsonValueKind.Null, delivery.GetProperty("nextAttemptAt").ValueKind);
        Assert.Equal(503, delivery.GetProperty("lastStatusCode").GetInt32());
        Assert.Equal(RetryDelays.Length + 1, receiver.Hits.Count);
        var endpoint = await SendAsync(partner, HttpMethod.Get, $"/api/v1/webhook-endpoints/{endpointId}", null, HttpStatusCode.OK);
        Assert.Equal("enabled", endpoint.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Gone_disables_the_endpoint_at_once_its_other_deliveries_wait_and_enabling_resumes_them()
    {
        await using var gone = await DeliveryReceiver.StartAsync(DeliveryReceiver.Answer(410, "no such hook"));
        await using var healthy = await DeliveryReceiver.StartAsync();
        var (_, partner) = await webhooks.PartnerAsync();
        using var _ = partner;
        var (goneId, _) = await EndpointAsync(partner, gone.Url);
        var (healthyId, _) = await EndpointAsync(partner, healthy.Url);

        var first = await webhooks.EnqueueAsync(new { n = 1 }, goneId);
        var failed = await EventuallyStatusAsync(partner, goneId, first.Id, "failed");
        Assert.Equal(1, failed.GetProperty("attemptCount").GetInt32());
        var endpoint = await SendAsync(partner, HttpMethod.Get, $"/api/v1/webhook-endpoints/{goneId}", null, HttpStatusCode.OK);
        Assert.Equal("disabled", endpoint.GetProperty("status").GetString());
        Assert.Contains("410", endpoint.GetProperty("disabledReason").GetString(), StringComparison.Ordinal);

        // The receiver is back; the next message goes to both endpoints in one claim.
        gone.Respond = DeliveryReceiver.Answer(200, "thanks");
        var second = await webhooks.EnqueueAsync(new { n = 2 }, goneId, healthyId);
        await EventuallyStatusAsync(partner, healthyId, second.Id, "succeeded");
        var waiting = (await DeliveryOfAsync(partner, goneId, second.Id))!.Value;
        Assert.Equal(("pending", 0), (waiting.GetProperty("status").GetString(), waiting.GetProperty("attemptCount").GetInt32()));
        Assert.Single(gone.Hits);

        await SendAsync(partner, HttpMethod.Post, $"/api/v1/webhook-endpoints/{goneId}/enable", null, HttpStatusCode.OK);

        await EventuallyStatusAsync(partner, goneId, second.Id, "succeeded");
        Assert.Equal([first.Id, second.Id], gone.MessageIds);
        Assert.Equal("failed", (await DeliveryOfAsync(partner, goneId, first.Id))!.Value.GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_lease_left_by_a_crashed_dispatcher_is_taken_once_it_expires_and_a_live_one_is_respected()
    {
        await using var receiver = await DeliveryReceiver.StartAsync();
        var (_, partner) = await webhooks.PartnerAsync();
        using var _ = partner;
        var (endpointId, _) = await EndpointAsync(partner, receiver.Url);
        // Disabled while the scene is set, so the dispatcher does not take the deliveries first.
        await SendAsync(partner, HttpMethod.Post, $"/api/v1/webhook-endpoints/{endpointId}/disable", null, HttpStatusCode.OK);
        var crashed = await webhooks.EnqueueAsync(new { n = 1 }, endpointId);
        var held = await webhooks.EnqueueAsync(new { n = 2 }, endpointId);
        await webhooks.ExecuteSqlAsync($"UPDATE deliveries SET leased_until = now() - interval '1 minute' WHERE message_id = {crashed.Id}");
        await webhooks.ExecuteSqlAsync($"UPDATE deliveries SET leased_until = now() + interval '1 hour' WHERE message_id = {held.Id}");

        await SendAsync(partner, HttpMethod.Post, $"/api/v1/webhook-endpoints/{endpointId}/enable", null, HttpStatusCode.OK);

        await EventuallyStatusAsync(partner, endpointId, crashed.Id, "succeeded");
        Assert.Equal([crashed.Id], receiver.MessageIds);
        var stillHeld = (await DeliveryOfAsync(partner, endpointId, held.Id))!.Value;
        Assert.Equal(("pending", 0), (stillHeld.GetProperty("status").GetString(), stillHeld.GetProperty("attemptCount").GetInt32()));
    }

    [Fact]
    public async Task A_redirect_is_a_failed_attempt_and_is_not_followed()
    {
        await using var receiver = await DeliveryReceiver.StartAsync((_, context) =>
        {
            context.Response.Redirect("/hooks?followed=true");
            return Task.CompletedTask;
        });
        var (_, partner) = await webhooks.PartnerAsync();
        using var _ = partner;
        var (endpointId, _) = await EndpointAsync(partner, receiver.Url);

        var message = await webhooks.EnqueueAsync(new { n = 1 }, endpointId);

        var delivery = await EventuallyStatusAsync(partner, endpointId, message.Id, "failed");
        Assert.Equal(302, delivery.GetProperty("lastStatusCode").GetInt32());
        Assert.Contains("redirect", delivery.GetProperty("lastError").GetString(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(RetryDelays.Length + 1, receiver.Hits.Count);
        Assert.All(receiver.Hits, hit => Assert.Equal("", hit.Query));
    }

    [Fact]
    public async Task A_hanging_receiver_holds_only_its_own_slots_and_never_delays_another_endpoint()
    {
        var release = new TaskCompletionSource();
        await using var slow = await DeliveryReceiver.StartAsync(async (_, context) =>
        {
            await release.Task.WaitAsync(TimeSpan.FromSeconds(15), context.RequestAborted);
            await DeliveryReceiver.Write(context, 200, "finally");
        });
        await using var fast = await DeliveryReceiver.StartAsync();
        var (_, partner) = await webhooks.PartnerAsync();
        using var _ = partner;
        var (slowId, _) = await EndpointAsync(partner, slow.Url);
        var (fastId, _) = await EndpointAsync(partner, fast.Url);

        var started = Stopwatch.StartNew();
        for (var i = 0; i < 50; i++) await webhooks.EnqueueAsync(new { n = i }, slowId, fastId);

        await ServiceUnderTest<Program>.EventuallyAsync(() => Task.FromResult(fast.Hits.Count == 50), "the fast receiver has all 50", TimeSpan.FromSeconds(5));
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(5), $"took {started.Elapsed}");
        // The slow one is still hanging on the per-endpoint limit (4 at once), none answered yet.
        Assert.False(release.Task.IsCompleted);
        Assert.Equal(4, slow.Hits.Count);

        release.SetResult();
        await ServiceUnderTest<Program>.EventuallyAsync(() => Task.FromResult(slow.Hits.Count == 50), "the slow receiver has all 50 once it answers");
    }

    [Fact]
    public async Task Two_instances_share_the_queue_without_sending_a_delivery_twice_and_keep_the_per_endpoint_limit_together()
    {
        var current = 0;
        var highest = 0;
        await using var receiver = await DeliveryReceiver.StartAsync(async (_, context) =>
        {
            var now = Interlocked.Increment(ref current);
            InterlockedMax(ref highest, now);
            await Task.Delay(50, context.RequestAborted);
            Interlocked.Decrement(ref current);
            await DeliveryReceiver.Write(context, 200, "thanks");
        });
        var database = webhooks.Service.Services.GetRequiredService<ServiceDatabase>();
        await using var second = ServiceUnderTest<Program>.Start("webhooksdb", database.ConnectionString, webhooks.Service.MessagingUri, TestSettings);
        var (_, partner) = await webhooks.PartnerAsync();
        using var _ = partner;
        var (endpointId, _) = await EndpointAsync(partner, receiver.Url);

        var messages = new List<string>();
        for (var i = 0; i < 40; i++) messages.Add((await webhooks.EnqueueAsync(new { n = i }, endpointId)).Id);

        await ServiceUnderTest<Program>.EventuallyAsync(() => Task.FromResult(receiver.Hits.Count >= 40), "the receiver has all 40");
        foreach (var id in messages) await EventuallyStatusAsync(partner, endpointId, id, "succeeded");
        Assert.Equal(messages.Order(), receiver.MessageIds.Order());
        Assert.InRange(highest, 1, 4);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while (value > (seen = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }

    [Fact]
    public async Task Finished_deliveries_older_than_the_retention_are_deleted_with_their_attempts_and_messages_pending_ones_stay()
    {
        await using var receiver = await DeliveryReceiver.StartAsync();
        var (_, partner) = await webhooks.PartnerAsync();
        using var _ = partner;
        var (endpointId, _) = await EndpointAsync(partner, receiver.Url);
        var (waitingId, _) = await EndpointAsync(partner, receiver.Url + "?waiting");
        await SendAsync(partner, HttpMethod.Post, $"/api/v1/webhook-endpoints/{waitingId}/disable", null, HttpStatusCode.OK);
        var longAgo = DateTimeOffset.UtcNow.AddDays(-40);
        var old = await webhooks.EnqueueAtAsync(longAgo, new { n = 1 }, endpointId);
        var oldPending = await webhooks.EnqueueAtAsync(longAgo, new { n = 2 }, waitingId);
        var recent = await webhooks.EnqueueAsync(new { n = 3 }, endpointId);
        var oldDelivery = await EventuallyStatusAsync(partner, endpointId, old.Id, "succeeded");
        await EventuallyStatusAsync(partner, endpointId, recent.Id, "succeeded");

        var (deliveries, messages) = await webhooks.Service.Services.GetRequiredService<DeliveryRetention>().SweepAsync(Cancel);

        Assert.True(deliveries >= 1 && messages >= 1, $"{deliveries} deliveries, {messages} messages deleted");
        await SendAsync(partner, HttpMethod.Get, $"/api/v1/webhook-endpoints/{endpointId}/deliveries/{oldDelivery.GetProperty("id").GetGuid()}", null, HttpStatusCode.NotFound);
        Assert.NotNull(await DeliveryOfAsync(partner, endpointId, recent.Id));
        Assert.NotNull(await DeliveryOfAsync(partner, waitingId, oldPending.Id));
        await using var scope = webhooks.Service.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<WebhooksDbContext>();
        Assert.False(await db.Messages.AnyAsync(m => m.Id == old.Id, Cancel));
        Assert.False(await db.DeliveryAttempts.AnyAsync(a => a.DeliveryId == oldDelivery.GetProperty("id").GetGuid(), Cancel));
        Assert.True(await db.Messages.AnyAsync(m => m.Id == oldPending.Id, Cancel));
    }

    private static Task Drop(HttpContext context)
    {
        context.Abort();
        return Task.CompletedTask;
    }
}
