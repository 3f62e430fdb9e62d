using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Platform.Bench.ScaleOut;

/// <summary>
/// A partner system's HTTP client as API.md asks partners to write it: a 503 or 429 waits its Retry-After and sends
/// the same request again (the same Idempotency-Key for a POST); a 409 <c>requestInFlight</c> waits and asks again.
/// It counts what it saw, and keeps every answer that breaks the platform's promise (a 5xx other than 503 with Retry-After).
/// </summary>
public sealed class PartnerClient(Uri service, string apiKey) : IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = service, Timeout = TimeSpan.FromSeconds(100) };
    private int _unavailable;
    private int _rateLimited;
    private int _inFlight;
    private int _timeouts;

    /// <summary>The answers that broke the promise, as "STATUS METHOD PATH: body".</summary>
    public ConcurrentQueue<string> BrokenPromises { get; } = new();

    public int Unavailable => _unavailable;
    public int RateLimited => _rateLimited;
    public int InFlight => _inFlight;
    public int Timeouts => _timeouts;

    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web);

    public Task<JsonElement> PostAsync(string path, object body, string? idempotencyKey, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, path, body, idempotencyKey, cancellationToken);

    public Task<JsonElement> GetAsync(string path, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, path, null, null, cancellationToken);

    /// <summary>Sends until the platform gives an answer that is not "try again"; a 4xx other than those throws.</summary>
    public async Task<JsonElement> SendAsync(HttpMethod method, string path, object? body, string? idempotencyKey, CancellationToken cancellationToken)
    {
        var (status, json) = await SendForStatusAsync(method, path, body, idempotencyKey, cancellationToken);
        if ((int)status >= 400) throw new PartnerCallException(method, path, status, json.ToString());
        return json;
    }

    /// <summary>As <see cref="SendAsync"/>, but a final 4xx is returned with its problem document instead of thrown.</summary>
    public async Task<(HttpStatusCode Status, JsonElement Body)> SendForStatusAsync(HttpMethod method, string path, object? body, string? idempotencyKey, CancellationToken cancellationToken)
    {
        while (true)
        {
            using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
            request.Headers.Add("X-Api-Key", apiKey);
            if (idempotencyKey is not null) request.Headers.Add("Idempotency-Key", idempotencyKey);
            if (body is not null) request.Content = JsonContent.Create(body, options: Json);
            HttpResponseMessage response;
            try
            {
                response = await _http.SendAsync(request, cancellationToken);
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                Interlocked.Increment(ref _timeouts);
                continue;
            }
            using (response)
            {
                var text = await response.Content.ReadAsStringAsync(cancellationToken);
                var json = text.Length > 0 && response.Content.Headers.ContentType?.MediaType?.EndsWith("json", StringComparison.Ordinal) == true
                    ? JsonDocument.Parse(text).RootElement.Clone()
                    : default;
                var retryAfter = RetryAfter(response.Headers.RetryAfter);
                switch (response.StatusCode)
                {
                    case HttpStatusCode.ServiceUnavailable when retryAfter is { } wait:
                        Interlocked.Increment(ref _unavailable);
                        await Task.Delay(wait, cancellationToken);
                        continue;
                    case HttpStatusCode.TooManyRequests:
                        Interlocked.Increment(ref _rateLimited);
                        await Task.Delay(retryAfter ?? TimeSpan.FromSeconds(1), cancellationToken);
                        continue;
                    case HttpStatusCode.Conflict when json.ValueKind == JsonValueKind.Object && json.TryGetProperty("code", out var code) && code.GetString() == "requestInFlight":
                        // The first attempt's key is held by an instance that may have died; the claim lapses.
                        Interlocked.Increment(ref _inFlight);
                        await Task.Delay(retryAfter ?? TimeSpan.FromSeconds(2), cancellationToken);
                        continue;
                }
                if ((int)response.StatusCode >= 500)
                {
                    BrokenPromises.Enqueue($"{(int)response.StatusCode} {method} {path}: {Shorten(text)}");
                    await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
                    continue;
                }
                return (response.StatusCode, json);
            }
        }
    }

    /// <summary>Polls <paramref name="read"/> until <paramref name="done"/> holds; the time it took, or null at the deadline.</summary>
    public static async Task<TimeSpan?> UntilAsync<T>(Func<Task<T>> read, Func<T, bool> done, TimeSpan patience, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < patience)
        {
            if (done(await read())) return clock.Elapsed;
            await Task.Delay(500, cancellationToken);
        }
        return null;
    }

    private static TimeSpan? RetryAfter(RetryConditionHeaderValue? header) => header switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - DateTimeOffset.UtcNow is var left && left > TimeSpan.Zero ? left : TimeSpan.Zero,
        _ => null,
    };

    private static string Shorten(string text) => text.Length <= 300 ? text : text[..300] + "…";

    public void Dispose() => _http.Dispose();
}

public sealed class PartnerCallException(HttpMethod method, string path, HttpStatusCode status, string body)
    : Exception($"{method} {path} answered {(int)status}: {body}")
{
    public HttpStatusCode Status { get; } = status;
}
