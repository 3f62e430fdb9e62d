using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;

namespace Platform.Bench.ScaleOut;

/// <summary>
/// A durable quorum queue of our own bound to the exchange talent-pipeline publishes <c>PlacementRecorded</c> to:
/// it receives every copy the outbox publishes, in the order the broker routed them, and survives the node kill
/// (replicated on every node). Read after convergence, it shows the order in which the outbox delivered.
/// </summary>
public sealed class OrderProbe
{
    /// <summary>MassTransit's exchange for the contract: its namespace and name (bench/Shared/BrokerMessages.cs).</summary>
    public const string Exchange = "Platform.TalentPipeline.Contracts:PlacementRecorded";

    private const string VirtualHost = "%2F"; // the platform's: "/"
    private static readonly TimeSpan ManagementTimeout = TimeSpan.FromSeconds(60);

    private readonly ScaledOutPlatform _platform;

    private OrderProbe(ScaledOutPlatform platform, string queue)
    {
        _platform = platform;
        Queue = queue;
    }

    public string Queue { get; }

    /// <summary>Declares the queue (quorum, durable) and binds it to <see cref="Exchange"/>, which must exist (a consumer of the contract declared it).</summary>
    public static async Task<OrderProbe> DeclareAsync(ScaledOutPlatform platform, string queue, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(platform);
        var probe = new OrderProbe(platform, queue);
        await platform.BrokerManagementAsync(async (http, ct) =>
        {
            using (var exchange = await http.GetAsync(new Uri($"api/exchanges/{VirtualHost}/{Uri.EscapeDataString(Exchange)}", UriKind.Relative), ct))
            {
                if (!exchange.IsSuccessStatusCode)
                    throw new InvalidOperationException($"The exchange {Exchange} is not on the broker ({(int)exchange.StatusCode}): no consumer of PlacementRecorded has declared it.");
            }
            using (var declare = await http.PutAsJsonAsync(new Uri($"api/queues/{VirtualHost}/{Uri.EscapeDataString(queue)}", UriKind.Relative),
                       new { durable = true, auto_delete = false, arguments = new Dictionary<string, object> { ["x-queue-type"] = "quorum" } }, ct))
                await EnsureAsync(declare, $"declaring the queue {queue}", ct);
            using (var bind = await http.PostAsJsonAsync(new Uri($"api/bindings/{VirtualHost}/e/{Uri.EscapeDataString(Exchange)}/q/{Uri.EscapeDataString(queue)}", UriKind.Relative),
                       new { routing_key = "", arguments = new { } }, ct))
                await EnsureAsync(bind, $"binding {queue} to {Exchange}", ct);
            return true;
        }, ManagementTimeout, cancellationToken);
        return probe;
    }

    /// <summary>
    /// Takes every message off the queue, in queue order (basic.get, acknowledged), and returns the (collegeId, eventId)
    /// of each, read from MassTransit's JSON envelope (<c>message.collegeId</c>, <c>message.eventId</c>).
    /// </summary>
    public async Task<IReadOnlyList<(Guid CollegeId, string EventId)>> DrainAsync(CancellationToken cancellationToken)
    {
        var messages = new List<(Guid, string)>();
        while (true)
        {
            var chunk = await _platform.BrokerManagementAsync(async (http, ct) =>
            {
                using var response = await http.PostAsJsonAsync(new Uri($"api/queues/{VirtualHost}/{Uri.EscapeDataString(Queue)}/get", UriKind.Relative),
                    new { count = 1000, ackmode = "ack_requeue_false", encoding = "auto", truncate = 1_000_000 }, ct);
                await EnsureAsync(response, $"reading {Queue}", ct);
                using var document = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(ct), cancellationToken: ct);
                var read = new List<(Guid, string)>();
                foreach (var item in document.RootElement.EnumerateArray())
                {
                    using var envelope = JsonDocument.Parse(item.GetProperty("payload").GetString()!);
                    var message = envelope.RootElement.GetProperty("message");
                    read.Add((message.GetProperty("collegeId").GetGuid(), message.GetProperty("eventId").GetString()!));
                }
                return read;
            }, ManagementTimeout, cancellationToken);
            messages.AddRange(chunk);
            if (chunk.Count == 0) return messages;
        }
    }

    public async Task DeleteAsync(CancellationToken cancellationToken) =>
        await _platform.BrokerManagementAsync(async (http, ct) =>
        {
            using var response = await http.DeleteAsync(new Uri($"api/queues/{VirtualHost}/{Uri.EscapeDataString(Queue)}", UriKind.Relative), ct);
            return response.IsSuccessStatusCode;
        }, ManagementTimeout, cancellationToken);

    private static async Task EnsureAsync(HttpResponseMessage response, string what, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode) return;
        // Not an HttpRequestException: that would read as "node down" and be asked of the next node.
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"The broker refused {what}: {(int)response.StatusCode} {body}"));
    }
}

/// <summary>One placement batch request as the client saw it: when its first attempt left, when the accepted answer came, its events.</summary>
public sealed record PlacementRequest(int Index, TimeSpan FirstSent, TimeSpan Answered, IReadOnlyList<string> EventIds);

/// <summary>What the probe queue showed about the outbox's order. Positions are 0-based in the queue, counting only this run's messages.</summary>
public sealed record OrderCheck
{
    public required int MessagesSeen { get; init; }
    public required int Distinct { get; init; }
    public required int Duplicates { get; init; }
    /// <summary>Accepted events never seen in the probe queue (at most 20 listed; <see cref="MissingCount"/> counts them all).</summary>
    public required IReadOnlyList<string> Missing { get; init; }
    public required int MissingCount { get; init; }
    /// <summary>Ordered pairs (A, B) of requests where A was answered before B was first sent.</summary>
    public required long PairsChecked { get; init; }
    /// <summary>Pairs where a message of B came before a message of A (first occurrences).</summary>
    public required long ViolationCount { get; init; }
    public required IReadOnlyList<string> Violations { get; init; }

    /// <summary>
    /// The reference: if request A was answered before request B was first sent, every event of A committed before any
    /// of B was written (the outbox sequence follows that), so A's messages must all come before B's. For each event
    /// its first copy counts (the outbox delivers at least once). Order within one request, and between requests that
    /// overlapped in time, is not defined by this reference and not checked.
    /// </summary>
    public static OrderCheck Of(IReadOnlyList<(Guid CollegeId, string EventId)> probe, IReadOnlyList<PlacementRequest> requests, TimeSpan killedAt)
    {
        ArgumentNullException.ThrowIfNull(probe);
        ArgumentNullException.ThrowIfNull(requests);
        var first = new Dictionary<string, int>(StringComparer.Ordinal);
        var seen = new HashSet<(Guid, string)>();
        for (var i = 0; i < probe.Count; i++)
        {
            if (!seen.Add(probe[i])) continue;
            // Event ids carry the run, program and trainee: unique within the run whatever the college.
            first.TryAdd(probe[i].EventId, i);
        }
        var missing = requests.SelectMany(r => r.EventIds).Where(id => !first.ContainsKey(id)).ToList();

        // Each request's first and last position among its events that were seen.
        var spans = requests.Select(r => r.EventIds.Where(first.ContainsKey).Select(id => first[id]).ToList())
            .Select((positions, i) => (Request: requests[i], First: positions.Count > 0 ? positions.Min() : int.MaxValue, Last: positions.Count > 0 ? positions.Max() : -1))
            .ToList();
        // Sorted by answer: the requests answered before B was sent are a prefix; the largest last position of that
        // prefix must come before B's first position.
        var byAnswer = spans.OrderBy(s => s.Request.Answered).ToList();
        var prefixMax = new int[byAnswer.Count];
        for (var i = 0; i < byAnswer.Count; i++)
            prefixMax[i] = Math.Max(i > 0 ? prefixMax[i - 1] : -1, byAnswer[i].Last);
        long pairs = 0, violationCount = 0;
        var violations = new List<string>();
        string At(TimeSpan t) => string.Create(CultureInfo.InvariantCulture, $"{t.TotalSeconds:0.0} s ({(t - killedAt).TotalSeconds:+0.0;-0.0} s from the kill)");
        var before = 0; // how many requests were answered before B's first attempt left: grows as B's sending time does
        foreach (var b in spans.OrderBy(s => s.Request.FirstSent))
        {
            while (before < byAnswer.Count && byAnswer[before].Request.Answered < b.Request.FirstSent) before++;
            pairs += before;
            if (before == 0 || prefixMax[before - 1] < b.First) continue;
            foreach (var a in byAnswer.Take(before).Where(a => a.Last > b.First))
            {
                violationCount++;
                if (violations.Count < 20)
                {
                    violations.Add(string.Create(CultureInfo.InvariantCulture,
                        $"request {a.Request.Index} (sent {At(a.Request.FirstSent)}, answered {At(a.Request.Answered)}, positions {a.First}–{a.Last}) " +
                        $"has {a.Request.EventIds.Count(id => first.TryGetValue(id, out var p) && p > b.First)} message(s) after the first of request {b.Request.Index} " +
                        $"(sent {At(b.Request.FirstSent)}, answered {At(b.Request.Answered)}, positions {b.First}–{b.Last})"));
                }
            }
        }
        return new OrderCheck
        {
            MessagesSeen = probe.Count,
            Distinct = seen.Count,
            Duplicates = probe.Count - seen.Count,
            Missing = [.. missing.Take(20)],
            MissingCount = missing.Count,
            PairsChecked = pairs,
            ViolationCount = violationCount,
            Violations = violations,
        };
    }
}
