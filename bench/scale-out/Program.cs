using System.CommandLine;
using Platform.Bench;
using Platform.Bench.ScaleOut;

// Issue 17: the scaled-out platform loses a RabbitMQ node, a talent-pipeline and an events instance under load.
var runs = new Option<int>("--runs") { Description = "Runs on the same platform (each its own consortium and kills).", DefaultValueFactory = _ => 3 };
var trainees = new Option<int>("--trainees") { Description = "Trainees per order class (2 classes, 2 events each).", DefaultValueFactory = _ => 5_000 };
var seconds = new Option<int>("--seconds") { Description = "The load is offered evenly over this long.", DefaultValueFactory = _ => 30 };
var root = new RootCommand("Placement events and registrations through the balancers of the scaled-out platform while a broker node and two service instances are SIGKILLed.")
{
    runs, trainees, seconds,
};
root.SetAction(async (parsed, cancellationToken) =>
{
    var settings = new NodeLossSettings { TraineesPerProgram = parsed.GetValue(trainees), LoadDuration = TimeSpan.FromSeconds(parsed.GetValue(seconds)) };
    Console.WriteLine("Starting the scaled-out platform (3 RabbitMQ nodes, 2 instances per service, 5 balancers)…");
    await using var platform = await ScaledOutPlatform.StartAsync(null, cancellationToken);
    Console.WriteLine($"ready in {platform.StartedIn.TotalSeconds:0.0} s");
    var results = new List<NodeLossResult>();
    for (var i = 0; i < parsed.GetValue(runs); i++)
    {
        NodeLossResult result;
        try
        {
            result = await new NodeLossScenario(platform, settings, Console.Out).RunAsync(cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Console.Error.WriteLine($"run {i + 1} failed: {e}");
            Console.Error.WriteLine($"The platform's logs are kept in {platform.DataFolder}/logs.");
            platform.KeepDataFolder = true;
            return 1;
        }
        results.Add(result);
        Console.WriteLine($"run {i + 1}: {result.PlacementEventsAccepted:N0}/{result.PlacementEventsSent:N0} accepted; events/s before {result.EventsPerSecondBeforeKill:0}, " +
                          $"during the loss {result.EventsPerSecondDuringLoss:0}, after {result.EventsPerSecondAfterwards:0}; batch p99 {result.BatchP99MsBeforeKill:0} → {result.BatchP99MsDuringLoss:0} ms; " +
                          $"converged {result.ConvergedSecondsAfterKill:0.0} s after the kill; {result.Registered} registered + {result.Waitlisted} waitlisted; " +
                          $"503s {result.Unavailable503}, 429s {result.RateLimited429}, broken promises {result.BrokenPromises.Count}; " +
                          $"outbox order: {result.Order.ViolationCount} of {result.Order.PairsChecked} request pairs out of order, {result.Order.MissingCount} accepted events not delivered, {result.Order.Duplicates} copies twice");
    }
    // Null when no run had a figure (JSON has no NaN).
    double? Median(Func<NodeLossResult, double?> of) => results.Select(of).Where(v => v is not null).Select(v => v!.Value).ToList() is { Count: > 0 } values ? Stats.Median(values) : null;
    var exact = results.All(r => r.PlacementEventsAccepted == r.PlacementEventsSent && r.ConvergedSecondsAfterLoad is not null && r.BrokenPromises.Count == 0
                                 && r.Registered == settings.Seats && r.Waitlisted == settings.People - settings.Seats && r.TraineeMismatches.Count == 0
                                 && r.Order.ViolationCount == 0 && r.Order.MissingCount == 0);
    await BenchResults.WriteAsync("scale-out", new
    {
        bench = "scale-out",
        measuredAt = DateTimeOffset.Now,
        machine = BenchResults.Machine(),
        platformStartSeconds = platform.StartedIn.TotalSeconds,
        settings = new { settings.Programs, settings.TraineesPerProgram, settings.BatchSize, settings.PlacementClients, loadSeconds = settings.LoadDuration.TotalSeconds, settings.Seats, settings.People, settings.RegistrationClients, settings.KillAfter },
        medians = new
        {
            eventsPerSecondBeforeKill = Median(r => r.EventsPerSecondBeforeKill),
            eventsPerSecondDuringLoss = Median(r => r.EventsPerSecondDuringLoss),
            eventsPerSecondAfterwards = Median(r => r.EventsPerSecondAfterwards),
            batchP99MsBeforeKill = Median(r => r.BatchP99MsBeforeKill),
            batchP99MsDuringLoss = Median(r => r.BatchP99MsDuringLoss),
            convergedSecondsAfterKill = Median(r => r.ConvergedSecondsAfterKill),
            convergedSecondsAfterLoad = Median(r => r.ConvergedSecondsAfterLoad),
        },
        exact,
        runs = results,
    });
    return exact ? 0 : 2;
});
return await root.Parse(args).InvokeAsync();
