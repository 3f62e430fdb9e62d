using System.Text.Json;
using Platform.Bench.ScaleOut;

namespace Platform.ScaleOut.Tests;

/// <summary>
/// The scaled-out platform (<c>./run.sh --scale</c>: 3 RabbitMQ nodes with quorum queues, 2 instances per service behind
/// a balancer each) takes 4,000 placement events and 750 registrations while a RabbitMQ node, a talent-pipeline
/// instance and an events instance are SIGKILLed and restarted by the AppHost; talent-pipeline's outbox keeps the
/// order between requests through it. The bench (<c>bench/scale-out</c>) runs the same scenario with 20,000 events.
/// </summary>
public sealed class NodeLossUnderLoadTests
{
    [Fact]
    public async Task Losing_a_broker_node_and_an_instance_of_two_services_under_load_loses_nothing_and_breaks_no_promise()
    {
        var cancel = TestContext.Current.CancellationToken;
        // Smaller than the bench's 20,000 events and 1,500 registrations (the same 30 s of load, in 32 requests of 125
        // instead of 40 of 500; 750 people for 500 seats): the suite is CPU-bound and this test is its largest part. The
        // kills still land a quarter into the load, with requests in flight on every victim.
        var settings = new NodeLossSettings { TraineesPerProgram = 1_000, BatchSize = 125, People = 750, Seats = 500 };
        var log = new StringWriter();
        NodeLossResult result;
        // Without the Aspire dashboard and telemetry export: this run proves correctness, on a CPU-bound machine.
        await using (var platform = await ScaledOutPlatform.StartAsync(null, withTelemetry: false, cancel))
        {
            log.WriteLine($"platform ready in {platform.StartedIn.TotalSeconds:0.0} s");
            result = await new NodeLossScenario(platform, settings, log).RunAsync(cancel);
        }
        var report = log + JsonSerializer.Serialize(result, new JsonSerializerOptions { WriteIndented = true });
        TestContext.Current.TestOutputHelper?.WriteLine(report);

        // Every client got an answer it could act on: 503 with Retry-After (then retried), never another 5xx.
        Assert.True(result.BrokenPromises.Count == 0, report);
        Assert.True(result.PlacementRejections.Count == 0, report);
        // Every event sent was accepted once (a retried batch whose first attempt got in answers "duplicate").
        Assert.Equal(settings.PlacementEvents, result.PlacementEventsAccepted);
        Assert.True(result.ConvergedSecondsAfterLoad is not null, report);
        // The funnel and the feed count each accepted event once: none lost in an outbox, none twice from a redelivery.
        Assert.Equal(settings.Programs * settings.TraineesPerProgram, result.FunnelEnrolled);
        Assert.Equal(settings.Programs * settings.TraineesPerProgram, result.FunnelInternshipStarted);
        Assert.Equal(settings.PlacementEvents, result.FeedPlacementTally);
        Assert.True(result.TraineeMismatches.Count == 0, report);
        // Seats exact across two instances and a killed one; nobody registered twice by a retried request.
        Assert.Equal(settings.People, result.RegistrationsAnswered);
        Assert.Equal(settings.Seats, result.Registered);
        Assert.Equal(settings.People - settings.Seats, result.Waitlisted);
        Assert.Equal(settings.People, result.DistinctRegisteredEmails);
        Assert.All(result.ErrorQueues, queue => Assert.Equal(0, queue.Value));
        // talent-pipeline's one outbox, delivered by two instances in turn through the kills, kept the order between
        // requests: a request answered before another was sent has all its PlacementRecorded before the other's.
        Assert.True(result.Order.PairsChecked > 0, report);
        Assert.True(result.Order.ViolationCount == 0, report);
        Assert.True(result.Order.MissingCount == 0, report);
        Assert.Equal(settings.PlacementEvents, result.Order.Distinct);
        // The AppHost brought every killed part back.
        Assert.Equal(result.Killed.Order(), result.BackAfterSeconds.Keys.Order());
    }
}
