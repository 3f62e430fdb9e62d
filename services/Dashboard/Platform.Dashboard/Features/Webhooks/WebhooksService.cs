using System.Collections.Concurrent;
using System.Net;

namespace Platform.Dashboard.Features.Webhooks;

/// <summary>What the webhooks service answered: its JSON, or the status and detail of its problem, or that it is down.</summary>
public sealed record WebhooksAnswer(JsonElement? Json, int? Status, string? Problem)
{
    /// <summary>Answered 2xx.</summary>
    public bool Succeeded => Problem is null;

    /// <summary>No answer at all (down, not configured, timed out, not JSON), or a 5xx.</summary>
    public bool Unavailable => Status is null or >= 500;
}

/// <summary>
/// The webhooks service's API (services/Webhooks README) with the operator key, called as <c>http://webhooks</c>
/// through service discovery like the KPIs' services. Never throws for a service that is down or misbehaves: the
/// answer says so, and the page shows it.
/// </summary>
public sealed class WebhooksService(Watched watched, IHttpClientFactory http, OperatorKey operatorKey, ILogger<WebhooksService> logger)
{
    public const string Name = "webhooks";
    private const string Membership = "membership";

    // Organization names hardly change; asked once per organization while the dashboard runs (a page polls every 2 s).
    private readonly ConcurrentDictionary<string, string> _organizationNames = new(StringComparer.Ordinal);

    public Task<WebhooksAnswer> GetAsync(string path, CancellationToken cancellationToken) => SendAsync(Name, HttpMethod.Get, path, cancellationToken);

    public Task<WebhooksAnswer> PostAsync(string path, CancellationToken cancellationToken) => SendAsync(Name, HttpMethod.Post, path, cancellationToken);

    /// <summary>The names of these organizations (from membership), as far as it answers; the others are left out.</summary>
    public async Task<IReadOnlyDictionary<string, string>> OrganizationNamesAsync(IEnumerable<string> organizationIds, CancellationToken cancellationToken)
    {
        var missing = organizationIds.Distinct(StringComparer.Ordinal).Where(id => !_organizationNames.ContainsKey(id) && Guid.TryParse(id, out _)).Take(50).ToList();
        await Task.WhenAll(missing.Select(async id =>
        {
            var answer = await SendAsync(Membership, HttpMethod.Get, $"/api/v1/organizations/{Uri.EscapeDataString(id)}", cancellationToken);
            if (answer.Json is { ValueKind: JsonValueKind.Object } json && json.TryGetProperty("name", out var name) && name.ValueKind == JsonValueKind.String)
                _organizationNames[id] = name.GetString()!;
        }));
        return _organizationNames;
    }

    private async Task<WebhooksAnswer> SendAsync(string service, HttpMethod method, string path, CancellationToken cancellationToken)
    {
        if (!watched.Services.ContainsKey(service)) return new WebhooksAnswer(null, null, $"{service} is not configured (services:{service}:http:0)");
        try
        {
            using var request = new HttpRequestMessage(method, new Uri($"http://{service}{path}"));
            request.Headers.Add(OperatorKey.Header, operatorKey.Value);
            using var response = await http.CreateClient(ConsortiumKpis.HttpClientName).SendAsync(request, cancellationToken);
            var body = response.Content.Headers.ContentLength == 0 ? null : await response.Content.ReadAsStringAsync(cancellationToken);
            JsonElement? json = string.IsNullOrWhiteSpace(body) ? null : JsonDocument.Parse(body).RootElement.Clone();
            if (response.IsSuccessStatusCode) return new WebhooksAnswer(json, (int)response.StatusCode, null);
            var detail = json is { ValueKind: JsonValueKind.Object } problem && problem.TryGetProperty("detail", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null;
            return new WebhooksAnswer(json, (int)response.StatusCode, detail ?? $"{service} answered {(int)response.StatusCode} ({ReasonOf(response.StatusCode)}) for {path.Split('?')[0]}");
        }
        // InvalidOperationException: service discovery found no endpoint; JsonException: an answer that is not JSON.
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException or InvalidOperationException)
        {
            if (cancellationToken.IsCancellationRequested) throw;
            logger.LogInformation("{Service} did not answer {Method} {Path}: {Problem}", service, method, path.Split('?')[0], e.Message);
            return new WebhooksAnswer(null, null, $"{service} is unavailable: {e.Message}");
        }
    }

    private static string ReasonOf(HttpStatusCode status) => status.ToString();
}
