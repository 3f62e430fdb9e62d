using System.Net.Http.Headers;

namespace Platform.Dashboard.Features.Resources;

/// <summary>A check of a service's readiness report (<c>/health/ready</c>): database, broker, outbox…</summary>
public sealed record HealthCheckEntry(string Name, string Status, string? Description, IReadOnlyDictionary<string, JsonElement> Data);

/// <summary>One resource as the Resources view shows it.</summary>
public sealed record ResourceView
{
    /// <summary>The Aspire resource name (<c>services:NAME</c>; <c>messaging</c> for the broker, as <c>ConnectionStrings:messaging</c>).</summary>
    public required string Name { get; init; }
    /// <summary><c>service</c> or <c>rabbitmq</c>.</summary>
    public required string Kind { get; init; }
    /// <summary><c>ready</c>, <c>not ready</c> (live, not ready), <c>not live</c>, <c>unreachable</c> (no answer at all).</summary>
    public required string State { get; init; }
    public required bool Live { get; init; }
    public required bool Ready { get; init; }
    /// <summary>Why it is (not) ready: the readiness report's overall status and failing checks, or why there was no answer.</summary>
    public string? Reason { get; init; }
    public IReadOnlyList<HealthCheckEntry> Checks { get; init; } = [];
    public string? Url { get; init; }
    /// <summary>How long <c>/health/live</c> and <c>/health/ready</c> took to answer (null: no answer).</summary>
    public double? LiveMs { get; init; }
    public double? ReadyMs { get; init; }
    /// <summary>Since when the dashboard has seen it in <see cref="State"/>.</summary>
    public required DateTimeOffset Since { get; init; }
    public required double ForSeconds { get; init; }
    /// <summary>True while the state has not changed since the dashboard's first check: it may be older than <see cref="Since"/>.</summary>
    public required bool SinceFirstCheck { get; init; }
}

public sealed record ResourcesReport(DateTimeOffset CheckedAt, IReadOnlyList<ResourceView> Resources);

/// <summary>
/// Asks every watched service for <c>/health/live</c> and <c>/health/ready</c>, and RabbitMQ's management API for
/// its overview and alarms; remembers since when each is in its current state. Answers are cached for a second,
/// so several open pages (and the message-flow view, which reads the outbox checks) do not multiply the polling.
/// States are observed while someone asks: with no page open, a change shows at the next look.
/// </summary>
public sealed class ResourceBoard(Watched watched, BrokerSettings broker, IHttpClientFactory http, TimeProvider time)
{
    public const string BrokerName = "messaging";

    private static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(1);
    private readonly SemaphoreSlim _refresh = new(1, 1);
    private readonly Dictionary<string, (string State, DateTimeOffset Since, bool FirstCheck)> _states = new(StringComparer.Ordinal);
    private (DateTimeOffset At, Snapshot Snapshot)? _cached;

    private sealed record Snapshot(ResourcesReport Report, Dictionary<string, ReadinessReport> Readiness);

    public async Task<ResourcesReport> ReportAsync(CancellationToken cancellationToken) => (await SnapshotAsync(cancellationToken)).Report;

    /// <summary>The readiness report of every watched service, by name.</summary>
    public async Task<Dictionary<string, ReadinessReport>> ReadinessAsync(CancellationToken cancellationToken) => (await SnapshotAsync(cancellationToken)).Readiness;

    private async Task<Snapshot> SnapshotAsync(CancellationToken cancellationToken)
    {
        if (_cached is { } fresh && time.GetUtcNow() - fresh.At < CacheFor) return fresh.Snapshot;
        await _refresh.WaitAsync(cancellationToken);
        try
        {
            if (_cached is { } again && time.GetUtcNow() - again.At < CacheFor) return again.Snapshot;
            var snapshot = await BuildAsync(cancellationToken);
            _cached = (time.GetUtcNow(), snapshot);
            return snapshot;
        }
        finally
        {
            _refresh.Release();
        }
    }

    private async Task<Snapshot> BuildAsync(CancellationToken cancellationToken)
    {
        var client = http.CreateClient(Watched.HttpClientName);
        var services = Task.WhenAll(watched.Services.Select(async s =>
        {
            var live = ProbeAsync(client, new Uri(s.Value, "/health/live"), null, cancellationToken);
            var ready = ReadinessOfAsync(client, s.Value, cancellationToken);
            return (Name: s.Key, Url: s.Value, Live: await live, Ready: await ready);
        }));
        var rabbit = broker.Management is null ? null : BrokerAsync(client, broker.Management, cancellationToken);
        var probed = await services;
        var now = time.GetUtcNow();

        var views = probed.Select(p => Tracked(now, new ResourceView
        {
            Name = p.Name,
            Kind = "service",
            State = StateOf(p.Live, p.Ready.Report.Answered, p.Ready.Ready),
            Live = p.Live.Ok,
            Ready = p.Ready.Ready,
            Reason = ReasonOf(p.Live, p.Ready.Report),
            Checks = p.Ready.Report.Checks,
            Url = p.Url.ToString().TrimEnd('/'),
            LiveMs = p.Live.Ms,
            ReadyMs = p.Ready.Ms,
            Since = now,
            ForSeconds = 0,
            SinceFirstCheck = true,
        })).ToList();
        if (rabbit is not null) views.Add(Tracked(now, await rabbit));
        return new Snapshot(new ResourcesReport(now, views), probed.ToDictionary(p => p.Name, p => p.Ready.Report, StringComparer.Ordinal));
    }

    private static string StateOf(Probe live, bool readyAnswered, bool ready) =>
        !live.Answered && !readyAnswered ? "unreachable" : !live.Ok ? "not live" : ready ? "ready" : "not ready";

    private static string ReasonOf(Probe live, ReadinessReport readiness)
    {
        var why = readiness.Answered
            ? $"{readiness.Status}: " + string.Join("; ", readiness.Checks.Where(c => c.Status != "healthy")
                .Select(c => $"{c.Name} {c.Status}{(c.Description is null ? "" : $" ({c.Description})")}")
                .DefaultIfEmpty("every check is healthy"))
            : readiness.Problem ?? "no answer from /health/ready";
        return live.Ok || !readiness.Answered ? why : $"{live.Problem}; {why}";
    }

    /// <summary>Stamps the view with since when it is in its state, and remembers a change.</summary>
    private ResourceView Tracked(DateTimeOffset now, ResourceView view)
    {
        lock (_states)
        {
            if (!_states.TryGetValue(view.Name, out var known) || known.State != view.State)
            {
                known = (view.State, now, FirstCheck: !_states.ContainsKey(view.Name));
                _states[view.Name] = known;
            }
            return view with { Since = known.Since, ForSeconds = Math.Round((now - known.Since).TotalSeconds), SinceFirstCheck = known.FirstCheck };
        }
    }

    /// <summary>One GET: whether it answered at all, whether with 2xx, how long it took, its body.</summary>
    private sealed record Probe(bool Answered, bool Ok, double? Ms, string? Problem, int? Status, string? Body, string? MediaType);

    private async Task<Probe> ProbeAsync(HttpClient client, Uri url, AuthenticationHeaderValue? authorization, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.Authorization = authorization;
            using var response = await client.SendAsync(request, cancellationToken);
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            var ms = Math.Round(time.GetElapsedTime(started).TotalMilliseconds, 1);
            var ok = response.IsSuccessStatusCode;
            return new Probe(true, ok, ms, ok ? null : $"{url.AbsolutePath} answered {(int)response.StatusCode}", (int)response.StatusCode, body, response.Content.Headers.ContentType?.MediaType);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return new Probe(false, false, null, $"no answer from {url.AbsolutePath}: {e.Message}", null, null, null);
        }
    }

    /// <summary>The readiness report (JSON from ServiceDefaults, or ASP.NET Core's plain <c>Healthy</c>/<c>Degraded</c>/<c>Unhealthy</c>).</summary>
    private async Task<(ReadinessReport Report, bool Ready, double? Ms)> ReadinessOfAsync(HttpClient client, Uri service, CancellationToken cancellationToken)
    {
        var probe = await ProbeAsync(client, new Uri(service, "/health/ready"), null, cancellationToken);
        if (!probe.Answered) return (new ReadinessReport(false, "unreachable", [], probe.Problem), false, null);
        var report = ParseReadiness(probe.Body ?? "", probe.Status ?? 0);
        return (report, report is { Answered: true, Status: "healthy" or "degraded" }, probe.Ms);
    }

    internal static ReadinessReport ParseReadiness(string body, int statusCode)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            var root = json.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw new JsonException("not an object");
            var checks = root.TryGetProperty("checks", out var list) && list.ValueKind == JsonValueKind.Array
                ? list.EnumerateArray().Where(c => c.ValueKind == JsonValueKind.Object).Select(c => new HealthCheckEntry(
                    Text(c, "name") ?? "",
                    Text(c, "status") ?? "",
                    Text(c, "description"),
                    c.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Object
                        ? data.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone())
                        : new Dictionary<string, JsonElement>())).ToList()
                : [];
            return new ReadinessReport(true, Text(root, "status") ?? StatusOfCode(statusCode), checks, null);
        }
        catch (JsonException)
        {
            // Not our JSON: ASP.NET Core's default writer answers the status as text.
            var text = body.Trim().ToLowerInvariant();
            return text is "healthy" or "degraded" or "unhealthy"
                ? new ReadinessReport(true, text, [], null)
                : new ReadinessReport(true, StatusOfCode(statusCode), [], $"/health/ready answered {statusCode} without a readiness report");
        }
    }

    private static string StatusOfCode(int statusCode) => statusCode is >= 200 and < 300 ? "healthy" : "unhealthy";

    private static string? Text(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    /// <summary>RabbitMQ: live when the management API answers its overview, ready when it reports no alarm (memory, disk).</summary>
    private async Task<ResourceView> BrokerAsync(HttpClient client, Uri management, CancellationToken cancellationToken)
    {
        var credentials = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{broker.User}:{broker.Password}")));
        var overview = ProbeAsync(client, new Uri(management, "api/overview"), credentials, cancellationToken);
        var alarms = ProbeAsync(client, new Uri(management, "api/health/checks/alarms"), credentials, cancellationToken);
        var (live, ready) = (await overview, await alarms);
        var version = live.Ok ? Field(live.Body, "rabbitmq_version") : null;
        var reason = !live.Answered ? $"the management API does not answer: {live.Problem}"
            : !live.Ok ? $"the management API {live.Problem}"
            : ready.Ok ? $"RabbitMQ {version}: no alarm"
            : $"RabbitMQ {version}: {Field(ready.Body, "reason") ?? ready.Problem ?? "alarms unknown"}";
        return new ResourceView
        {
            Name = BrokerName,
            Kind = "rabbitmq",
            State = StateOf(live, ready.Answered, live.Ok && ready.Ok),
            Live = live.Ok,
            Ready = live.Ok && ready.Ok,
            Reason = reason,
            Url = management.ToString().TrimEnd('/'),
            LiveMs = live.Ms,
            ReadyMs = ready.Ms,
            Since = time.GetUtcNow(),
            ForSeconds = 0,
            SinceFirstCheck = true,
        };
    }

    private static string? Field(string? json, string name)
    {
        if (string.IsNullOrEmpty(json)) return null;
        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty(name, out var value)
                ? value.ValueKind == JsonValueKind.String ? value.GetString() : value.ToString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

/// <summary>A service's <c>/health/ready</c> answer (or why there was none).</summary>
public sealed record ReadinessReport(bool Answered, string Status, IReadOnlyList<HealthCheckEntry> Checks, string? Problem);

