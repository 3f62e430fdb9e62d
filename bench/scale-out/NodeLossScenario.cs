using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;

namespace Platform.Bench.ScaleOut;

/// <summary>What one run sends and when it strikes.</summary>
public sealed record NodeLossSettings
{
    /// <summary>Order classes, each between its own college and enterprise.</summary>
    public int Programs { get; init; } = 2;

    /// <summary>Each trainee is enrolled and then starts an internship: 2 × 2 × 5,000 = 20,000 placement events.</summary>
    public int TraineesPerProgram { get; init; } = 5_000;

    public int BatchSize { get; init; } = 500;
    public int PlacementClients { get; init; } = 4;

    /// <summary>The load is offered at an even pace over this long (placement batches and registrations alike).</summary>
    public TimeSpan LoadDuration { get; init; } = TimeSpan.FromSeconds(30);

    public int Seats { get; init; } = 1_000;
    public int People { get; init; } = 1_500;
    public int RegistrationClients { get; init; } = 10;

    /// <summary>How far into the load the kills come.</summary>
    public double KillAfter { get; init; } = 0.25;

    /// <summary>How long the platform may take to converge after the load.</summary>
    public TimeSpan Patience { get; init; } = TimeSpan.FromMinutes(4);

    /// <summary>How many trainees are read back one by one for their stage.</summary>
    public int TraineeSample { get; init; } = 200;

    public int PlacementEvents => 2 * Programs * TraineesPerProgram;
}

/// <summary>What one run saw. Every count is what the platform's own APIs answered after convergence.</summary>
public sealed record NodeLossResult
{
    public required IReadOnlyList<string> Killed { get; init; }
    public required IReadOnlyDictionary<string, double> BackAfterSeconds { get; init; }
    public required int PlacementEventsSent { get; init; }
    public required int PlacementEventsAccepted { get; init; }
    public required int PlacementDuplicates { get; init; }
    public required IReadOnlyList<string> PlacementRejections { get; init; }
    public required int RegistrationsAnswered { get; init; }
    public required double? ConvergedSecondsAfterLoad { get; init; }
    public required double? ConvergedSecondsAfterKill { get; init; }
    public required int FunnelEnrolled { get; init; }
    public required int FunnelInternshipStarted { get; init; }
    public required int FeedPlacementTally { get; init; }
    public required int Registered { get; init; }
    public required int Waitlisted { get; init; }
    public required int DistinctRegisteredEmails { get; init; }
    public required int TraineesChecked { get; init; }
    public required IReadOnlyList<string> TraineeMismatches { get; init; }
    public required IReadOnlyDictionary<string, long> ErrorQueues { get; init; }
    public required IReadOnlyList<string> BrokenPromises { get; init; }
    public required int Unavailable503 { get; init; }
    public required int RateLimited429 { get; init; }
    public required int InFlight409 { get; init; }
    public required int ClientTimeouts { get; init; }
    public required double EventsPerSecondBeforeKill { get; init; }
    public required double EventsPerSecondDuringLoss { get; init; }
    public required double EventsPerSecondAfterwards { get; init; }
    /// <summary>Null when no batch was answered in that window (on a loaded machine the kill can come before the first answer).</summary>
    public required double? BatchP99MsBeforeKill { get; init; }
    public required double? BatchP99MsDuringLoss { get; init; }
    public required double LoadSeconds { get; init; }
    /// <summary>The outbox's order as the probe queue saw it (<see cref="OrderCheck.Of"/>).</summary>
    public required OrderCheck Order { get; init; }
}

/// <summary>
/// Issue 17's run: placement events through talent-pipeline's balancer and registrations on one event through the
/// events balancer, at an even pace; a quarter of the way in, SIGKILL to a RabbitMQ node (the first, which every
/// service lists first), to talent-pipeline-1 and to events-1, which the AppHost restarts. Then it waits until the
/// funnel, the feed's placement tallies and the event's counts say what the clients were told, and reads it all back.
/// A probe queue bound to the PlacementRecorded exchange before the load shows the order talent-pipeline's outbox
/// (one database, two instances taking turns) delivered in, against the order the requests were answered in.
/// </summary>
public sealed class NodeLossScenario(ScaledOutPlatform platform, NodeLossSettings settings, TextWriter log)
{
    private static readonly string[] Stages = ["enrolled", "internshipStarted"];

    public async Task<NodeLossResult> RunAsync(CancellationToken cancellationToken)
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var key = platform.OperatorKey;
        using var membership = new PartnerClient(platform.ServiceUrl("membership"), key);
        using var pipeline = new PartnerClient(platform.ServiceUrl("talent-pipeline"), key);
        using var events = new PartnerClient(platform.ServiceUrl("events"), key);

        var world = await SetUpAsync(run, membership, pipeline, events, cancellationToken);
        log.WriteLine($"[{run}] consortium {world.ConsortiumId}, {world.Programs.Count} order classes, event {world.EventId} ({settings.Seats} seats)");
        var probe = await OrderProbe.DeclareAsync(platform, $"scale-out-order-probe-{run}", cancellationToken);
        try
        {
            return await RunAsync(run, world, probe, membership, pipeline, events, cancellationToken);
        }
        finally
        {
            try
            {
                await probe.DeleteAsync(CancellationToken.None);
            }
            catch (InvalidOperationException e)
            {
                log.WriteLine($"[{run}] the probe queue {probe.Queue} could not be deleted: {e.Message}");
            }
        }
    }

    private async Task<NodeLossResult> RunAsync(string run, World world, OrderProbe probe, PartnerClient membership, PartnerClient pipeline, PartnerClient events,
        CancellationToken cancellationToken)
    {

        // The batches in the order a college would send them: everybody enrolled, then the internships.
        var batches = (from stage in Enumerable.Range(0, Stages.Length)
                       from program in Enumerable.Range(0, world.Programs.Count)
                       from chunk in Enumerable.Range(0, settings.TraineesPerProgram).Chunk(settings.BatchSize)
                       select (stage, program, chunk)).ToList();
        var accepted = new ConcurrentDictionary<string, bool>(StringComparer.Ordinal);
        var duplicates = 0;
        var rejections = new ConcurrentQueue<string>();
        var done = new ConcurrentQueue<(long At, int Events, double Ms)>();
        var requests = new ConcurrentQueue<PlacementRequest>();
        var registrations = new ConcurrentQueue<string>();

        var load = Stopwatch.StartNew();
        var start = Stopwatch.GetTimestamp();
        var killAt = TimeSpan.FromTicks((long)(settings.LoadDuration.Ticks * settings.KillAfter));
        var victims = new[] { platform.BrokerNodes[0], "talent-pipeline-1", "events-1" };
        var striking = StrikeAsync(victims, killAt, cancellationToken);

        var next = -1;
        var placing = Task.WhenAll(Enumerable.Range(0, settings.PlacementClients).Select(async _ =>
        {
            int k;
            while ((k = Interlocked.Increment(ref next)) < batches.Count)
            {
                await PaceAsync(start, settings.LoadDuration * k / batches.Count, cancellationToken);
                var (stage, program, chunk) = batches[k];
                var body = new { events = chunk.Select(t => PlacementEvent(run, world, program, t, stage)).ToList() };
                var sent = Stopwatch.GetTimestamp();
                var report = await pipeline.PostAsync("/api/v1/placement-events", body, null, cancellationToken);
                var answered = Stopwatch.GetTimestamp();
                var mine = new List<string>(chunk.Length);
                foreach (var result in report.GetProperty("results").EnumerateArray())
                {
                    var id = result.GetProperty("eventId").GetString()!;
                    switch (result.GetProperty("status").GetString())
                    {
                        case "accepted": accepted[id] = true; mine.Add(id); break;
                        // An earlier attempt of this batch got in before its instance died: it was accepted then.
                        case "duplicate": accepted[id] = true; mine.Add(id); Interlocked.Increment(ref duplicates); break;
                        default: rejections.Enqueue($"{id}: {result}"); break;
                    }
                }
                // Every attempt of the request (the client retries 503s, timeouts, 409s) lies between these two instants.
                requests.Enqueue(new PlacementRequest(k, Stopwatch.GetElapsedTime(start, sent), Stopwatch.GetElapsedTime(start, answered), mine));
                done.Enqueue((answered, chunk.Length, Stopwatch.GetElapsedTime(sent, answered).TotalMilliseconds));
            }
        }));

        var person = -1;
        var registering = Task.WhenAll(Enumerable.Range(0, settings.RegistrationClients).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref person)) < settings.People)
            {
                await PaceAsync(start, settings.LoadDuration * i / settings.People, cancellationToken);
                var answer = await events.PostAsync($"/api/v1/events/{world.EventId}/registrations",
                    new { personName = $"Job seeker {i}", organizationId = world.Colleges[0], email = Email(run, i) }, $"{run}-registration-{i}", cancellationToken);
                registrations.Enqueue(answer.GetProperty("status").GetString()!);
            }
        }));

        await Task.WhenAll(placing, registering);
        var loadSeconds = load.Elapsed.TotalSeconds;
        var (killedAt, back) = await striking;
        var allBack = killedAt + back.Values.Max();
        log.WriteLine($"[{run}] load offered in {loadSeconds:0.0} s; killed {string.Join(", ", victims)} at {killedAt.TotalSeconds:0.0} s; back after " +
                      string.Join(", ", back.Select(b => $"{b.Key} {b.Value.TotalSeconds:0.0} s")));

        // Converged: the services' own figures say what the clients were told.
        var expectedPerStage = accepted.Keys.GroupBy(id => id[(id.LastIndexOf('-') + 1)..]).ToDictionary(g => g.Key, g => g.Count());
        var afterLoad = Stopwatch.StartNew();
        Figures figures = default;
        var converged = await PartnerClient.UntilAsync(async () => figures = await ReadFiguresAsync(world, pipeline, events, cancellationToken),
            f => f.Enrolled == expectedPerStage.GetValueOrDefault("enrolled") && f.InternshipStarted == expectedPerStage.GetValueOrDefault("internshipStarted")
                 && f.FeedTally == accepted.Count && f.Registered + f.Waitlisted == settings.People && !f.ErrorQueues.Values.Any(v => v > 0),
            settings.Patience, cancellationToken);
        figures = await ReadFiguresAsync(world, pipeline, events, cancellationToken);
        log.WriteLine(converged is { } c
            ? $"[{run}] converged {c.TotalSeconds:0.0} s after the load"
            : $"[{run}] NOT converged within {settings.Patience.TotalSeconds:0} s: {figures}");

        var emails = await RegisteredEmailsAsync(events, world.EventId, cancellationToken);
        var (checkedTrainees, mismatches) = await CheckTraineesAsync(run, world, pipeline, accepted, cancellationToken);

        // The probe queue holds every copy the outbox published since before the load; this run's colleges only.
        var colleges = world.Colleges.ToHashSet();
        var delivered = (await probe.DrainAsync(cancellationToken)).Where(m => colleges.Contains(m.CollegeId)).ToList();
        var order = OrderCheck.Of(delivered, [.. requests], killedAt);
        log.WriteLine($"[{run}] order probe: {order.MessagesSeen} messages, {order.Distinct} distinct, {order.Duplicates} duplicates, {order.MissingCount} accepted events missing; " +
                      $"{order.PairsChecked} request pairs checked, {order.ViolationCount} out of order");
        foreach (var violation in order.Violations)
            log.WriteLine($"[{run}]   out of order: {violation}");

        var completed = done.Select(d => (At: Stopwatch.GetElapsedTime(start, d.At), d.Events, d.Ms)).ToList();
        double Rate(TimeSpan from, TimeSpan to) => to > from ? completed.Where(d => d.At >= from && d.At < to).Sum(d => d.Events) / (to - from).TotalSeconds : 0;
        double? P99(TimeSpan from, TimeSpan to) => completed.Where(d => d.At >= from && d.At < to).Select(d => d.Ms).ToList() is { Count: > 0 } ms ? Stats.Percentile(ms, 0.99) : null;
        var loadEnd = TimeSpan.FromSeconds(loadSeconds);
        return new NodeLossResult
        {
            Killed = victims,
            BackAfterSeconds = back.ToDictionary(b => b.Key, b => Math.Round(b.Value.TotalSeconds, 1)),
            PlacementEventsSent = settings.PlacementEvents,
            PlacementEventsAccepted = accepted.Count,
            PlacementDuplicates = duplicates,
            PlacementRejections = [.. rejections.Take(20)],
            RegistrationsAnswered = registrations.Count,
            ConvergedSecondsAfterLoad = converged?.TotalSeconds,
            ConvergedSecondsAfterKill = converged is { } k ? (loadEnd + k - killedAt).TotalSeconds : null,
            FunnelEnrolled = figures.Enrolled,
            FunnelInternshipStarted = figures.InternshipStarted,
            FeedPlacementTally = figures.FeedTally,
            Registered = figures.Registered,
            Waitlisted = figures.Waitlisted,
            DistinctRegisteredEmails = emails,
            TraineesChecked = checkedTrainees,
            TraineeMismatches = mismatches,
            ErrorQueues = figures.ErrorQueues,
            BrokenPromises = [.. new[] { membership, pipeline, events }.SelectMany(c => c.BrokenPromises).Take(20)],
            Unavailable503 = pipeline.Unavailable + events.Unavailable,
            RateLimited429 = pipeline.RateLimited + events.RateLimited,
            InFlight409 = pipeline.InFlight + events.InFlight,
            ClientTimeouts = pipeline.Timeouts + events.Timeouts,
            EventsPerSecondBeforeKill = Rate(TimeSpan.Zero, killedAt),
            EventsPerSecondDuringLoss = Rate(killedAt, allBack < loadEnd ? allBack : loadEnd),
            EventsPerSecondAfterwards = Rate(allBack, loadEnd),
            BatchP99MsBeforeKill = P99(TimeSpan.Zero, killedAt),
            BatchP99MsDuringLoss = P99(killedAt, allBack),
            LoadSeconds = loadSeconds,
            Order = order,
        };
    }

    /// <summary>At <paramref name="at"/> into the load: SIGKILL to all victims at once, then how long each took to be back.</summary>
    private async Task<(TimeSpan KilledAt, Dictionary<string, TimeSpan> Back)> StrikeAsync(string[] victims, TimeSpan at, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        await Task.Delay(at, cancellationToken);
        var killedAt = clock.Elapsed;
        var pids = victims.ToDictionary(v => v, platform.ProcessId);
        await Task.WhenAll(victims.Select(v => platform.KillAsync(v, cancellationToken)));
        var back = await Task.WhenAll(victims.Select(async v => (v, await platform.WaitUntilBackAsync(v, pids[v], cancellationToken))));
        return (killedAt, back.ToDictionary(b => b.v, b => b.Item2));
    }

    private static async Task PaceAsync(long start, TimeSpan due, CancellationToken cancellationToken)
    {
        var wait = due - Stopwatch.GetElapsedTime(start);
        if (wait > TimeSpan.Zero) await Task.Delay(wait, cancellationToken);
    }

    private static string Email(string run, int person) => $"seeker{person}.{run}@example.cn";

    private static string TraineeRef(string run, int program, int trainee) => $"{run}-p{program}-t{trainee}";

    private static object PlacementEvent(string run, World world, int program, int trainee, int stage) => new
    {
        // The stage ends the id: the convergence check counts accepted events per stage from it.
        eventId = $"{TraineeRef(run, program, trainee)}-{Stages[stage]}",
        collegeId = world.Colleges[program],
        programId = world.Programs[program],
        traineeRef = TraineeRef(run, program, trainee),
        type = Stages[stage],
        occurredAt = world.Day(stage).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture),
        enterpriseId = stage == 0 ? (Guid?)null : world.Enterprises[program],
    };

    private sealed record World(Guid ConsortiumId, IReadOnlyList<Guid> Colleges, IReadOnlyList<Guid> Enterprises, IReadOnlyList<Guid> Programs, Guid EventId)
    {
        /// <summary>Enrolled 30 days ago, internships 10 days ago (placement events may not lie in the future).</summary>
        public DateTimeOffset Day(int stage) => new DateTimeOffset(DateTime.UtcNow.Date, TimeSpan.Zero).AddHours(1).AddDays(stage == 0 ? -30 : -10);
    }

    private readonly record struct Figures(int Enrolled, int InternshipStarted, int FeedTally, int Registered, int Waitlisted, IReadOnlyDictionary<string, long> ErrorQueues)
    {
        public override string ToString() =>
            $"funnel {Enrolled} enrolled / {InternshipStarted} internships, feed tally {FeedTally}, {Registered} registered + {Waitlisted} waitlisted, " +
            $"error queues: {string.Join(", ", ErrorQueues.Where(q => q.Value > 0).Select(q => $"{q.Key} {q.Value}").DefaultIfEmpty("none"))}";
    }

    private async Task<World> SetUpAsync(string run, PartnerClient membership, PartnerClient pipeline, PartnerClient events, CancellationToken cancellationToken)
    {
        var consortium = (await membership.PostAsync("/api/v1/consortia",
            new { name = $"Scale-out consortium {run}", kind = "industryEducationConsortium", region = "Shandong/Jinan" }, $"{run}-consortium", cancellationToken)).GetProperty("id").GetGuid();
        async Task<Guid> MemberAsync(string name, string kind, string key)
        {
            var organization = (await membership.PostAsync("/api/v1/organizations", new { name = $"{name} ({run})", kind, region = "Shandong/Jinan" }, $"{run}-{key}", cancellationToken)).GetProperty("id").GetGuid();
            var application = await membership.PostAsync($"/api/v1/consortia/{consortium}/memberships", new { organizationId = organization }, $"{run}-{key}-applies", cancellationToken);
            await membership.PostAsync($"/api/v1/consortia/{consortium}/memberships/{application.GetProperty("id").GetGuid()}/approve",
                new { reason = "Scale-out run" }, $"{run}-{key}-approved", cancellationToken);
            return organization;
        }
        var colleges = new List<Guid>();
        var enterprises = new List<Guid>();
        for (var i = 0; i < settings.Programs; i++)
        {
            colleges.Add(await MemberAsync($"Scale-out college {i}", "vocationalCollege", $"college-{i}"));
            enterprises.Add(await MemberAsync($"Scale-out enterprise {i}", "enterprise", $"enterprise-{i}"));
        }

        // The memberships reach talent-pipeline and events over the broker: until then they refuse, so ask again.
        var programs = new List<Guid>();
        for (var i = 0; i < settings.Programs; i++)
        {
            var program = await WhenKnownAsync(() => pipeline.SendForStatusAsync(HttpMethod.Post, "/api/v1/programs", new
            {
                consortiumId = consortium, kind = "orderClass", title = $"Intelligent welding order class {i} ({run})",
                collegeIds = new[] { colleges[i] }, enterpriseIds = new[] { enterprises[i] },
            }, $"{run}-program-{i}", cancellationToken), cancellationToken);
            var id = program.GetProperty("id").GetGuid();
            await pipeline.PostAsync($"/api/v1/programs/{id}/launch", new { }, $"{run}-program-{i}-launch", cancellationToken);
            programs.Add(id);
        }
        var startsAt = DateTime.UtcNow.Date.AddDays(30).AddHours(9);
        var fair = await WhenKnownAsync(() => events.SendForStatusAsync(HttpMethod.Post, "/api/v1/events", new
        {
            kind = "jobFair", title = $"Scale-out job fair ({run})", consortiumId = consortium, organizerIds = new[] { colleges[0] }, venue = "Hall 1",
            startsAt = startsAt.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture),
            endsAt = startsAt.AddHours(8).ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture), capacity = settings.Seats,
        }, $"{run}-fair", cancellationToken), cancellationToken);
        var eventId = fair.GetProperty("id").GetGuid();
        foreach (var action in new[] { "schedule", "open-registration" })
            await events.PostAsync($"/api/v1/events/{eventId}/{action}", new { }, $"{run}-fair-{action}", cancellationToken);
        return new World(consortium, colleges, enterprises, programs, eventId);
    }

    /// <summary>
    /// Sends until accepted, with the same Idempotency-Key every time, as a partner would: a 4xx (e.g. "not a member"
    /// while the approval travels) is not kept under the key, so the repeat is judged again.
    /// </summary>
    private async Task<JsonElement> WhenKnownAsync(Func<Task<(HttpStatusCode Status, JsonElement Body)>> send, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var (status, body) = await send();
            if ((int)status < 400) return body;
            if (clock.Elapsed > TimeSpan.FromSeconds(180))
                throw new InvalidOperationException($"Still refused after 180 s: {(int)status} {body}{Environment.NewLine}{await platform.HealthReportsAsync(cancellationToken)}");
            await Task.Delay(500, cancellationToken);
        }
    }

    private async Task<Figures> ReadFiguresAsync(World world, PartnerClient pipeline, PartnerClient events, CancellationToken cancellationToken)
    {
        var funnel = await pipeline.GetAsync($"/api/v1/kpis/funnel?consortiumId={world.ConsortiumId}", cancellationToken);
        var counts = funnel.GetProperty("counts");
        var tally = 0;
        string? cursor = null;
        do
        {
            var page = await events.GetAsync($"/api/v1/feed?consortiumId={world.ConsortiumId}&limit=100{(cursor is null ? "" : $"&cursor={Uri.EscapeDataString(cursor)}")}", cancellationToken);
            foreach (var entry in page.GetProperty("items").EnumerateArray())
                if (entry.GetProperty("kind").GetString() == "placementMilestones")
                    tally += entry.GetProperty("tally").EnumerateObject().Sum(t => t.Value.GetInt32());
            cursor = page.TryGetProperty("nextCursor", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null;
        }
        while (cursor is not null);
        var fair = await events.GetAsync($"/api/v1/events/{world.EventId}", cancellationToken);
        return new Figures(counts.GetProperty("enrolled").GetInt32(), counts.GetProperty("internshipStarted").GetInt32(), tally,
            fair.GetProperty("registered").GetInt32(), fair.GetProperty("waitlisted").GetInt32(), await platform.ErrorQueuesAsync(cancellationToken));
    }

    private static async Task<int> RegisteredEmailsAsync(PartnerClient events, Guid eventId, CancellationToken cancellationToken)
    {
        var emails = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var all = 0;
        string? cursor = null;
        do
        {
            var page = await events.GetAsync($"/api/v1/events/{eventId}/registrations?limit=200{(cursor is null ? "" : $"&cursor={Uri.EscapeDataString(cursor)}")}", cancellationToken);
            foreach (var registration in page.GetProperty("items").EnumerateArray())
            {
                all++;
                emails.Add(registration.GetProperty("email").GetString()!);
            }
            cursor = page.TryGetProperty("nextCursor", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null;
        }
        while (cursor is not null);
        // A person registered twice would show as a second row with the same address.
        return all == emails.Count ? emails.Count : -all;
    }

    /// <summary>A fixed sample of trainees read back one by one: each is at the furthest stage accepted for it.</summary>
    private async Task<(int Checked, IReadOnlyList<string> Mismatches)> CheckTraineesAsync(string run, World world, PartnerClient pipeline,
        ConcurrentDictionary<string, bool> accepted, CancellationToken cancellationToken)
    {
        var random = new Random(17);
        var mismatches = new List<string>();
        var count = Math.Min(settings.TraineeSample, settings.Programs * settings.TraineesPerProgram);
        for (var n = 0; n < count; n++)
        {
            var program = random.Next(settings.Programs);
            var trainee = random.Next(settings.TraineesPerProgram);
            var traineeRef = TraineeRef(run, program, trainee);
            var expected = Stages.LastOrDefault(s => accepted.ContainsKey($"{traineeRef}-{s}"));
            var answer = await pipeline.SendForStatusAsync(HttpMethod.Get, $"/api/v1/trainees/{world.Colleges[program]}/{Uri.EscapeDataString(traineeRef)}", null, null, cancellationToken);
            var stage = answer.Status == HttpStatusCode.OK ? answer.Body.GetProperty("stage").GetString() : null;
            if (stage != expected) mismatches.Add($"{traineeRef}: {stage ?? ((int)answer.Status).ToString(CultureInfo.InvariantCulture)}, expected {expected ?? "none"}");
        }
        return (count, mismatches);
    }
}
