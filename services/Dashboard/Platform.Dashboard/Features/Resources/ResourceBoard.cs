using System.Text.Json;
using Platform.Dashboard.Operators;

namespace Platform.Dashboard.Features.Resources;

/// <summary>A check of a service's readiness report (<c>/health/ready</c>): database, broker, outbox…</summary>
public sealed record HealthCheckEntry(string Name, string Status, string? Description, IReadOnlyDictionary<string, JsonElement> Data);

/// <summary>One resource as the Resources view shows it.</summary>
public sealed record ResourceView
{
    public required string Name { get; init; }
    /// <summary><c>service</c>, <c>postgres</c>, <c>database</c>, <c>rabbitmq</c>.</summary>
    public required string Kind { get; init; }
    /// <summary>As the AppHost sees the process (<c>waiting</c>, <c>starting</c>, <c>running</c>, <c>restarting</c>, <c>stopped</c>, <c>failed</c>), or <c>unknown</c> without an AppHost.</summary>
    public required string State { get; init; }
    public required bool Ready { get; init; }
    /// <summary>Why it is (not) ready: the readiness report's overall status and checks, or the AppHost's reason.</summary>
    public string? Reason { get; init; }
    public IReadOnlyList<HealthCheckEntry> Checks { get; init; } = [];
    public string? Url { get; init; }
    public int? ProcessId { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public double? UptimeSeconds { get; init; }
    public int Restarts { get; init; }
    public int? LastExitCode { get; init; }
}

public sealed record ResourcesReport(string Source, string? AppHostProblem, IReadOnlyList<ResourceView> Resources);

/// <summary>One line of a resource's console output, as the AppHost keeps it.</summary>
public sealed record ConsoleLine(DateTimeOffset At, string Text, string Stream);

/// <summary>
/// Asks the AppHost (when there is one) for every process it runs, and every watched service for its readiness
/// report, and merges both. Answers are cached for a second, so several open pages do not multiply the polling.
/// </summary>
public sealed class ResourceBoard(Watched watched, IHttpClientFactory http, OperatorKey operatorKey, TimeProvider time)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly SemaphoreSlim _refresh = new(1, 1);
    private (DateTimeOffset At, ResourcesReport Report)? _cached;

    public async Task<ResourcesReport> ReportAsync(CancellationToken cancellationToken)
    {
        if (_cached is { } fresh && time.GetUtcNow() - fresh.At < TimeSpan.FromSeconds(1)) return fresh.Report;
        await _refresh.WaitAsync(cancellationToken);
        try
        {
            if (_cached is { } again && time.GetUtcNow() - again.At < TimeSpan.FromSeconds(1)) return again.Report;
            var report = await BuildAsync(cancellationToken);
            _cached = (time.GetUtcNow(), report);
            return report;
        }
        finally
        {
            _refresh.Release();
        }
    }

    /// <summary>The readiness report of every watched service, by name (a missing entry: no answer).</summary>
    public async Task<Dictionary<string, ReadinessReport>> ReadinessAsync(CancellationToken cancellationToken)
    {
        var client = http.CreateClient(Watched.HttpClientName);
        var answers = await Task.WhenAll(watched.Services.Select(async s => (s.Key, Report: await ReadinessOfAsync(client, s.Value, cancellationToken))));
        return answers.ToDictionary(a => a.Key, a => a.Report, StringComparer.Ordinal);
    }

    private async Task<ResourcesReport> BuildAsync(CancellationToken cancellationToken)
    {
        var readiness = ReadinessAsync(cancellationToken);
        List<AppHostResource>? fromAppHost = null;
        string? appHostProblem = null;
        if (watched.AppHost is { } appHost)
        {
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(appHost, "resources"));
                request.Headers.Add(OperatorKey.Header, operatorKey.Value);
                using var response = await http.CreateClient(Watched.HttpClientName).SendAsync(request, cancellationToken);
                if (response.IsSuccessStatusCode)
                    fromAppHost = await response.Content.ReadFromJsonAsync<List<AppHostResource>>(Json, cancellationToken);
                else
                    appHostProblem = $"The AppHost answered {(int)response.StatusCode}.";
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException)
            {
                appHostProblem = $"The AppHost does not answer: {e.Message}";
            }
        }
        var health = await readiness;
        var now = time.GetUtcNow();

        if (fromAppHost is null)
        {
            var views = watched.Services.Select(s => ServiceView(s.Key, s.Value.ToString().TrimEnd('/'), health.GetValueOrDefault(s.Key), null, now)).ToList();
            return new ResourcesReport("configuration", appHostProblem, views);
        }
        var merged = fromAppHost.Select(r => r.Kind == "service" && watched.Services.ContainsKey(r.Name)
                ? ServiceView(r.Name, r.Url, health.GetValueOrDefault(r.Name), r, now)
                : FromAppHost(r, now))
            .ToList();
        // A watched service the AppHost does not run (started by hand, another machine) still shows, with its readiness.
        merged.AddRange(watched.Services.Where(s => !fromAppHost.Any(r => r.Name == s.Key))
            .Select(s => ServiceView(s.Key, s.Value.ToString().TrimEnd('/'), health.GetValueOrDefault(s.Key), null, now)));
        return new ResourcesReport("apphost", null, merged);
    }

    private static ResourceView ServiceView(string name, string? url, ReadinessReport? health, AppHostResource? process, DateTimeOffset now)
    {
        var ready = health is { Status: "healthy" or "degraded", Answered: true };
        var reason = health switch
        {
            null or { Answered: false } => health?.Problem ?? "no answer from /health/ready",
            _ => $"{health.Status}: " + string.Join("; ", health.Checks.Where(c => c.Status != "healthy").Select(c => $"{c.Name} {c.Status}{(c.Description is null ? "" : $" ({c.Description})")}")
                .DefaultIfEmpty("every check is healthy")),
        };
        return new ResourceView
        {
            Name = name,
            Kind = "service",
            State = process?.State ?? (health?.Answered == true ? "running" : "unknown"),
            Ready = ready,
            Reason = reason,
            Checks = health?.Checks ?? [],
            Url = url,
            ProcessId = process?.ProcessId,
            StartedAt = process?.StartedAt,
            UptimeSeconds = process?.StartedAt is { } started && process.State == "running" ? Math.Round((now - started).TotalSeconds) : null,
            Restarts = process?.Restarts ?? 0,
            LastExitCode = process?.LastExitCode,
        };
    }

    private static ResourceView FromAppHost(AppHostResource r, DateTimeOffset now) => new()
    {
        Name = r.Name,
        Kind = r.Kind,
        State = r.State,
        Ready = r.Ready,
        Reason = r.Problem ?? (r.Ready ? "ready" : r.State),
        Url = r.Url,
        ProcessId = r.ProcessId,
        StartedAt = r.StartedAt,
        UptimeSeconds = r.StartedAt is { } started && r.State == "running" ? Math.Round((now - started).TotalSeconds) : null,
        Restarts = r.Restarts,
        LastExitCode = r.LastExitCode,
    };

    private static async Task<ReadinessReport> ReadinessOfAsync(HttpClient client, Uri service, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await client.GetAsync(new Uri(service, "/health/ready"), cancellationToken);
            var body = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
            var checks = body.TryGetProperty("checks", out var list) && list.ValueKind == JsonValueKind.Array
                ? list.EnumerateArray().Select(c => new HealthCheckEntry(
                    c.GetProperty("name").GetString() ?? "",
                    c.GetProperty("status").GetString() ?? "",
                    c.TryGetProperty("description", out var d) ? d.GetString() : null,
                    c.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Object
                        ? data.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone())
                        : new Dictionary<string, JsonElement>())).ToList()
                : [];
            var status = body.TryGetProperty("status", out var s) ? s.GetString() ?? "unknown" : ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
            return new ReadinessReport(true, status, checks, null);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException or InvalidOperationException or KeyNotFoundException)
        {
            return new ReadinessReport(false, "unreachable", [], $"no answer from /health/ready: {e.Message}");
        }
    }

    /// <summary>Asks the AppHost for the last lines a resource wrote; null when there is no AppHost or it does not know the name.</summary>
    public async Task<IReadOnlyList<ConsoleLine>?> ConsoleAsync(string name, int lines, CancellationToken cancellationToken)
    {
        if (watched.AppHost is not { } appHost) return null;
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(appHost, $"resources/{Uri.EscapeDataString(name)}/logs?lines={lines}"));
        request.Headers.Add(OperatorKey.Header, operatorKey.Value);
        try
        {
            using var response = await http.CreateClient(Watched.HttpClientName).SendAsync(request, cancellationToken);
            if (!response.IsSuccessStatusCode) return null;
            return await response.Content.ReadFromJsonAsync<List<ConsoleLine>>(Json, cancellationToken);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException)
        {
            return null;
        }
    }

    /// <summary>What the AppHost's <c>GET /resources</c> answers for one resource.</summary>
    private sealed record AppHostResource(string Name, string Kind, string State, bool Ready, string? Url, int? ProcessId, DateTimeOffset? StartedAt, int Restarts, int? LastExitCode, string? Problem);
}

/// <summary>A service's <c>/health/ready</c> answer (or why there was none).</summary>
public sealed record ReadinessReport(bool Answered, string Status, IReadOnlyList<HealthCheckEntry> Checks, string? Problem);
