using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Npgsql;
using Platform.Events.Contracts;
using Platform.Hosting;
using Platform.Membership.Contracts;
using Platform.Testing;
using Platform.TalentPipeline.Contracts;

namespace Platform.Webhooks.Tests;

/// <summary>
/// Faults in the middle of a burst (the webhooks service killed with SIGKILL and started again; its PostgreSQL stopped
/// for 10 s): every message taken from RabbitMQ reaches its endpoints, each under one <c>webhook-id</c> (a resend after
/// the fault carries the same id, so the receiver sees it as the same delivery), nothing is left pending or failed.
/// </summary>
public sealed class BurstFaultTests(ThrowawayPostgres postgres, ThrowawayRabbitMq rabbit, ITestOutputHelper output)
{
    private const int SigKillExitCode = 128 + 9;
    private const int Colleges = 5;
    private const int PlacementsPerCollege = 60;
    private const int ScheduledEvents = 20;

    private static readonly Dictionary<string, string> Settings = new()
    {
        // Short retries: a delivery interrupted by the kill is due again within seconds, not minutes.
        ["Webhooks:Delivery:RetryDelays:0"] = "00:00:01",
        ["Webhooks:Delivery:RetryDelays:1"] = "00:00:02",
        ["Webhooks:Delivery:RetryDelays:2"] = "00:00:05",
        ["Webhooks:Delivery:LeaseDuration"] = "00:00:15",
    };

    [Fact]
    public async Task Killed_mid_burst_it_delivers_every_accepted_message_once_per_endpoint_after_the_restart()
    {
        var database = await postgres.CreateDatabaseAsync("webhookskill");
        await RunBurstAsync(database, async (service, receiver) =>
        {
            Assert.Equal(SigKillExitCode, await service.KillAsync());
            return $"killed with SIGKILL after {receiver.OfTheBurst} deliveries of the burst";
        }, restart: true);
    }

    [Fact]
    public async Task With_its_PostgreSQL_stopped_mid_burst_it_delivers_every_accepted_message_once_per_endpoint_when_the_database_is_back()
    {
        // A PostgreSQL server of its own, so only this service loses it.
        var folder = ThrowawayFolder.Create("webhooks-pg-outage");
        var server = await PostgresServer.StartAsync(new PostgresOptions { DataDirectory = folder, Durable = false }, TestContext.Current.CancellationToken);
        try
        {
            await server.EnsureDatabaseAsync("webhooks", TestContext.Current.CancellationToken);
            await RunBurstAsync(server.ConnectionString("webhooks"), async (_, receiver) =>
            {
                var delivered = receiver.OfTheBurst;
                await server.StopAsync();
                await Task.Delay(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
                server = await PostgresServer.StartAsync(new PostgresOptions { DataDirectory = folder, Port = server.Port, Durable = false }, TestContext.Current.CancellationToken);
                return $"PostgreSQL stopped for 10 s after {delivered} deliveries of the burst";
            }, restart: false);
        }
        finally
        {
            await server.DisposeAsync();
            ThrowawayFolder.Remove(folder);
        }
    }

    /// <summary>
    /// Starts the service on <paramref name="database"/>, makes 5 member colleges with an endpoint each, publishes the
    /// burst, injects <paramref name="fault"/> once 80 deliveries of it arrived, starts a second instance if
    /// <paramref name="restart"/>, and checks that every delivery arrived under one webhook-id and none is left.
    /// </summary>
    private async Task RunBurstAsync(string database, Func<WebhooksProcess, BurstReceiver, Task<string>> fault, bool restart)
    {
        var cancellation = TestContext.Current.CancellationToken;
        var broker = await rabbit.CreateVirtualHostAsync("webhooksburst");
        await using var receiver = await BurstReceiver.StartAsync();
        var source = Bus.Factory.CreateUsingRabbitMq(bus => bus.Host(broker));
        await source.StartAsync(cancellation);
        WebhooksProcess? second = null;
        try
        {
            var consortiumId = Guid.CreateVersion7();
            var colleges = Enumerable.Range(0, Colleges).Select(_ => Guid.CreateVersion7()).ToList();
            string what;
            var clock = Stopwatch.StartNew();
            var run = (uint)Random.Shared.Next();
            var first = await WebhooksProcess.StartAsync(database, broker, Settings);
            await using (first)
            {
                for (var i = 0; i < Colleges; i++)
                {
                    var name = $"Burst Test College {i}";
                    await source.Publish(new OrganizationRegistered { OrganizationId = colleges[i], Name = name, Kind = "vocationalCollege", Region = "Jinan", OccurredAt = DateTimeOffset.UtcNow }, cancellation);
                    await source.Publish(new MembershipActivated
                    {
                        MembershipId = Guid.CreateVersion7(), ConsortiumId = consortiumId, OrganizationId = colleges[i], OrganizationName = name,
                        OrganizationKind = "vocationalCollege", OccurredAt = DateTimeOffset.UtcNow, Version = 1,
                    }, cancellation);
                }
                using var http = first.Operator();
                for (var i = 0; i < Colleges; i++)
                {
                    // placement.flagged is refused until the service has learnt (from OrganizationRegistered) that the organization is a college.
                    var body = new { organizationId = colleges[i], url = $"{receiver.BaseAddress}hook/{i}", eventTypes = new[] { "placement.flagged", "event.scheduled" } };
                    await ServiceUnderTest<Program>.EventuallyAsync(async () =>
                    {
                        using var registered = await http.PostAsJsonAsync("/api/v1/webhook-endpoints", body, cancellation);
                        return registered.IsSuccessStatusCode;
                    }, $"college {i}'s endpoint is registered", TimeSpan.FromSeconds(30));
                }
                // The members are known once a consortium event reaches every endpoint. A probe consumed before the last
                // MembershipActivated never reaches all of them, so send another until one does (probes are not counted).
                await ServiceUnderTest<Program>.EventuallyAsync(async () =>
                {
                    var probe = Guid.CreateVersion7();
                    receiver.Probes.TryAdd(probe.ToString(), true);
                    await source.Publish(Scheduled(consortiumId, colleges[0], probe), cancellation);
                    var patience = Stopwatch.StartNew();
                    while (receiver.EndpointsThatGot(probe.ToString()) < Colleges && patience.Elapsed < TimeSpan.FromSeconds(5))
                        await Task.Delay(100, cancellation);
                    return receiver.EndpointsThatGot(probe.ToString()) == Colleges;
                }, "a probe event reaches every endpoint", TimeSpan.FromSeconds(60));

                clock.Restart();
                var burst = PublishBurstAsync(source, run, consortiumId, colleges, cancellation);
                await ServiceUnderTest<Program>.EventuallyAsync(() => Task.FromResult(receiver.OfTheBurst >= 80),
                    "a part of the burst is delivered before the fault", TimeSpan.FromSeconds(60));
                what = await fault(first, receiver);
                await burst;
                if (restart) second = await WebhooksProcess.StartAsync(database, broker, Settings);
                var running = second ?? first;

                var expected = Colleges * PlacementsPerCollege + ScheduledEvents * Colleges;
                try
                {
                    await ServiceUnderTest<Program>.EventuallyAsync(() => Task.FromResult(receiver.OfTheBurst >= expected),
                        "every delivery of the burst arrives", TimeSpan.FromSeconds(120));
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    throw new Xunit.Sdk.XunitException($"{exception.Message}; {receiver.OfTheBurst} of {expected} arrived; {await MissingAsync(receiver, run, database)}; " +
                        $"{await QueuesAsync(broker)}; the service's inbox and redelivery lines:{Environment.NewLine}{running.MessagingLines()}{Environment.NewLine}" +
                        $"Service output:{Environment.NewLine}{running.Tail()}");
                }
                output.WriteLine($"{what}; all {expected} delivered {clock.Elapsed.TotalSeconds:0.0} s after the burst began; " +
                    $"{receiver.Resends} resent with the same webhook-id after the fault; {await QueuesAsync(broker)}; the service's inbox and redelivery lines:" +
                    $"{Environment.NewLine}{running.MessagingLines()}");
            }

            // Exactly one webhook-id per (endpoint, source event): a resend is the same delivery, never a second message.
            Assert.Empty(receiver.SourcesWithSeveralIds());
            for (var i = 0; i < Colleges; i++)
            {
                Assert.Equal(PlacementsPerCollege, receiver.SourcesAt(i).Count(id => id.StartsWith("burst-", StringComparison.Ordinal)));
                Assert.Equal(ScheduledEvents, receiver.SourcesAt(i).Count(id => Guid.TryParse(id, out _) && !receiver.Probes.ContainsKey(id)));
            }
            // Nothing left behind in the service: every delivery succeeded. A delivery the killed instance had sent but not
            // yet marked is sent again (same webhook-id) once its lease ends, so the receiver can be complete before the table is.
            await using var connection = new NpgsqlConnection(database);
            await connection.OpenAsync(cancellation);
            await using var pending = new NpgsqlCommand("SELECT count(*) FROM deliveries WHERE status <> 'Succeeded'", connection);
            long left = -1;
            await ServiceUnderTest<Program>.EventuallyAsync(async () => (left = (long)(await pending.ExecuteScalarAsync(cancellation))!) == 0,
                "every delivery is marked succeeded", TimeSpan.FromSeconds(60));
            Assert.Equal(0L, left);
        }
        finally
        {
            if (second is not null) await second.DisposeAsync();
            await source.StopAsync(CancellationToken.None);
        }
    }

    /// <summary>Which part of the burst did not arrive, and where the service's own records of it stand (consumed? a delivery, in which state?).</summary>
    private static async Task<string> MissingAsync(BurstReceiver receiver, uint run, string database)
    {
        var missing = new List<string>();
        for (var i = 0; i < Colleges; i++)
        {
            var got = receiver.SourcesAt(i).ToHashSet(StringComparer.Ordinal);
            missing.AddRange(Enumerable.Range(0, PlacementsPerCollege).Where(n => !got.Contains($"burst-{i}-{n}")).Select(n => $"endpoint {i}: burst-{i}-{n} (message {BurstMessageId(run, i, n)})"));
            var scheduled = got.Count(id => Guid.TryParse(id, out _) && !receiver.Probes.ContainsKey(id));
            if (scheduled < ScheduledEvents) missing.Add($"endpoint {i}: {ScheduledEvents - scheduled} consortium event(s)");
        }
        try
        {
            await using var connection = new NpgsqlConnection(database);
            await connection.OpenAsync(CancellationToken.None);
            await using var command = new NpgsqlCommand(
                "SELECT status || ' ' || count(*) FROM deliveries GROUP BY status UNION ALL SELECT 'inbox records ' || count(*) FROM platform.inbox_records", connection);
            var states = new List<string>();
            await using var reader = await command.ExecuteReaderAsync(CancellationToken.None);
            while (await reader.ReadAsync(CancellationToken.None)) states.Add(reader.GetString(0));
            return $"missing: {string.Join(", ", missing)}; deliveries by status and inbox: {string.Join(", ", states)}";
        }
        catch (NpgsqlException e)
        {
            return $"missing: {string.Join(", ", missing)}; the database could not be asked: {e.Message}";
        }
    }

    /// <summary>
    /// The burst's queues that still hold messages (ready / unacknowledged), as the management API reports them: where a
    /// missing message waits (a delay queue of the delayed redelivery, the consumer's queue, an error queue), if anywhere.
    /// </summary>
    private async Task<string> QueuesAsync(Uri broker)
    {
        try
        {
            using var http = rabbit.Server.ManagementClient(TimeSpan.FromSeconds(10));
            var vhost = Uri.EscapeDataString(broker.AbsolutePath.TrimStart('/'));
            using var queues = await http.GetFromJsonAsync<JsonDocument>(
                new Uri($"api/queues/{vhost}?columns=name,messages_ready,messages_unacknowledged", UriKind.Relative), CancellationToken.None);
            var held = queues!.RootElement.EnumerateArray()
                .Select(q => (Name: q.GetProperty("name").GetString(), Ready: Count(q, "messages_ready"), Unacked: Count(q, "messages_unacknowledged")))
                .Where(q => q.Ready + q.Unacked > 0)
                .Select(q => $"{q.Name} {q.Ready} ready / {q.Unacked} unacknowledged")
                .ToList();
            return held.Count == 0 ? "no queue of the broker holds a message" : $"queues holding messages: {string.Join(", ", held)}";
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException)
        {
            return $"the broker's queues could not be read: {e.Message}";
        }

        static long Count(JsonElement queue, string name) => queue.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetInt64() : 0;
    }

    /// <summary>60 flagged placements per college (each to that college's endpoint) and 20 consortium events (each to all), interleaved.</summary>
    private static async Task PublishBurstAsync(IBusControl source, uint run, Guid consortiumId, IReadOnlyList<Guid> colleges, CancellationToken cancellation)
    {
        for (var n = 0; n < PlacementsPerCollege; n++)
        {
            for (var i = 0; i < colleges.Count; i++)
            {
                await source.Publish(new PlacementRecorded
                {
                    EventId = $"burst-{i}-{n}", CollegeId = colleges[i], ProgramId = consortiumId, ConsortiumId = consortiumId, ProgramTitle = "Welding order class",
                    TraineeRef = $"T{i}{n:000}", Type = "employed", Stage = "employed", Flagged = true, OccurredAt = DateTimeOffset.UtcNow, AcceptedAt = DateTimeOffset.UtcNow,
                }, context => context.MessageId = BurstMessageId(run, i, n), cancellation);
            }
            if (n % 3 == 0 && n / 3 < ScheduledEvents) await source.Publish(Scheduled(consortiumId, colleges[0], Guid.CreateVersion7()), cancellation);
            await Task.Delay(25, cancellation);
        }
    }

    /// <summary>Placement burst-3-13's MessageId ends in 000300000013, so a failure can name it as the service's log does.</summary>
    private static Guid BurstMessageId(uint run, int college, int n) => Guid.Parse($"{run:x8}-0000-0000-0000-{college:D4}{n:D8}");

    private static ConsortiumEventScheduled Scheduled(Guid consortiumId, Guid organizer, Guid eventId) => new()
    {
        EventId = eventId, ConsortiumId = consortiumId, Kind = "seminar", Title = "Employment seminar", Venue = "Jinan",
        StartsAt = DateTimeOffset.UtcNow.AddDays(10), EndsAt = DateTimeOffset.UtcNow.AddDays(10).AddHours(2), OrganizerIds = [organizer], OccurredAt = DateTimeOffset.UtcNow,
    };

    /// <summary>A partner receiver with one path per endpoint; notes each arrival's webhook-id and the source event id in <c>data.eventId</c>.</summary>
    private sealed class BurstReceiver : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private readonly ConcurrentDictionary<(int Endpoint, string Source), ConcurrentDictionary<string, int>> _ids = new();

        private BurstReceiver(WebApplication app) => _app = app;

        public Uri BaseAddress => new(_app.Urls.First() + "/");

        /// <summary>Source events sent only to learn that the service knows every member; not part of the burst.</summary>
        public ConcurrentDictionary<string, bool> Probes { get; } = new(StringComparer.Ordinal);

        /// <summary>Distinct (endpoint, source event) pairs of the burst that arrived.</summary>
        public int OfTheBurst => _ids.Keys.Count(k => !Probes.ContainsKey(k.Source));

        /// <summary>Arrivals beyond the first of the same webhook-id (resends after the kill).</summary>
        public int Resends => _ids.Values.Sum(ids => ids.Values.Sum(count => count - 1));

        public int EndpointsThatGot(string source) => _ids.Keys.Count(k => k.Source == source);

        public IEnumerable<string> SourcesAt(int endpoint) => _ids.Keys.Where(k => k.Endpoint == endpoint).Select(k => k.Source);

        public IReadOnlyList<(int Endpoint, string Source)> SourcesWithSeveralIds() => [.. _ids.Where(pair => pair.Value.Count > 1).Select(pair => pair.Key)];

        public static async Task<BurstReceiver> StartAsync()
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            var app = builder.Build();
            var receiver = new BurstReceiver(app);
            app.MapPost("/hook/{endpoint:int}", async (int endpoint, HttpRequest request) =>
            {
                using var body = await JsonDocument.ParseAsync(request.Body);
                var source = body.RootElement.GetProperty("data").GetProperty("eventId").ToString();
                receiver._ids.GetOrAdd((endpoint, source), _ => new()).AddOrUpdate(request.Headers["webhook-id"].ToString(), 1, (_, count) => count + 1);
                return Results.Ok();
            });
            await app.StartAsync();
            return receiver;
        }

        public async ValueTask DisposeAsync() => await _app.DisposeAsync();
    }
}
