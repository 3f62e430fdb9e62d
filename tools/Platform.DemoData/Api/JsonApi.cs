using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Platform.DemoData.Api;

/// <summary>A service answered with an error: the request, the status and the problem document as sent.</summary>
public sealed class ApiProblemException(string method, string path, HttpStatusCode status, string body)
    : Exception($"{method} {path} answered {(int)status} ({status}):{Environment.NewLine}{Indent(body)}")
{
    public string Method { get; } = method;
    public string Path { get; } = path;
    public HttpStatusCode Status { get; } = status;

    /// <summary>The response body, normally an RFC 9457 problem document.</summary>
    public string Body { get; } = body;

    private static string Indent(string body)
    {
        if (string.IsNullOrWhiteSpace(body)) return "  (empty body)";
        try
        {
            using var document = JsonDocument.Parse(body);
            body = JsonSerializer.Serialize(document.RootElement, Pretty);
        }
        catch (JsonException)
        {
            // Not JSON: shown as it came.
        }
        return string.Join(Environment.NewLine, body.Split('\n').Select(line => "  " + line.TrimEnd('\r')));
    }

    private static readonly JsonSerializerOptions Pretty = new() { WriteIndented = true };
}

/// <summary>One page of a list endpoint.</summary>
public sealed record PageDto<T>(IReadOnlyList<T> Items, string? NextCursor);

/// <summary>
/// JSON over one service's HttpClient with the platform's conventions (API.md): camelCase, enums as camelCase
/// strings, cursor paging, an Idempotency-Key on every POST, and patience with 429 (it waits for Retry-After:
/// the loader is one operator key making a few hundred calls, well over the per-key burst) and with a POST whose
/// Idempotency-Key another caller is still using.
/// </summary>
public sealed class JsonApi(HttpClient http)
{
    public const int MaxPageSize = 200;
    private const int MaxAttempts = 30;

    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false) },
    };

    public Task<T> GetAsync<T>(string path, CancellationToken cancellationToken) =>
        SendAsync<T>(HttpMethod.Get, path, body: null, idempotencyKey: null, cancellationToken);

    /// <summary>GET that answers null for 404.</summary>
    public async Task<T?> FindAsync<T>(string path, CancellationToken cancellationToken) where T : class
    {
        try
        {
            return await GetAsync<T>(path, cancellationToken);
        }
        catch (ApiProblemException e) when (e.Status == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>Every item of a list endpoint, following <c>nextCursor</c>.</summary>
    public async Task<IReadOnlyList<T>> ListAllAsync<T>(string path, CancellationToken cancellationToken)
    {
        var items = new List<T>();
        var separator = path.Contains('?', StringComparison.Ordinal) ? '&' : '?';
        string? cursor = null;
        do
        {
            var page = await GetAsync<PageDto<T>>(
                $"{path}{separator}limit={MaxPageSize}" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor)), cancellationToken);
            items.AddRange(page.Items);
            cursor = page.NextCursor;
        }
        while (cursor is not null);
        return items;
    }

    /// <summary>POST with a JSON body, or none (<paramref name="body"/> null) for the action routes that take none.</summary>
    public Task<T> PostAsync<T>(string path, object? body, string idempotencyKey, CancellationToken cancellationToken) =>
        SendAsync<T>(HttpMethod.Post, path, body, idempotencyKey, cancellationToken);

    public Task<T> PutAsync<T>(string path, object body, CancellationToken cancellationToken) =>
        SendAsync<T>(HttpMethod.Put, path, body, idempotencyKey: null, cancellationToken);

    private async Task<T> SendAsync<T>(HttpMethod method, string path, object? body, string? idempotencyKey, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
            if (body is not null) request.Content = JsonContent.Create(body, body.GetType(), options: Json);
            if (idempotencyKey is not null) request.Headers.Add("Idempotency-Key", idempotencyKey);
            using var response = await http.SendAsync(request, cancellationToken);

            // 429: over the per-key rate. 409 with Retry-After: the same Idempotency-Key is still in flight (another
            // run loading at the same moment); once it finishes, the repeat gets its answer.
            var retry = response.StatusCode == HttpStatusCode.TooManyRequests
                || (response.StatusCode == HttpStatusCode.Conflict && idempotencyKey is not null && response.Headers.RetryAfter is not null);
            if (retry && attempt < MaxAttempts)
            {
                await Task.Delay(RetryAfter(response), cancellationToken);
                continue;
            }
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            if (!response.IsSuccessStatusCode) throw new ApiProblemException(method.Method, path, response.StatusCode, text);
            try
            {
                return JsonSerializer.Deserialize<T>(text, Json)
                    ?? throw new ApiProblemException(method.Method, path, response.StatusCode, "(the answer was JSON null)");
            }
            catch (JsonException e)
            {
                throw new ApiProblemException(method.Method, path, response.StatusCode, $"(unreadable answer: {e.Message}){Environment.NewLine}{text}");
            }
        }
    }

    private static TimeSpan RetryAfter(HttpResponseMessage response) =>
        response.Headers.RetryAfter?.Delta is { } delta && delta > TimeSpan.Zero && delta < TimeSpan.FromSeconds(30)
            ? delta
            : TimeSpan.FromSeconds(1);

    /// <summary>An Idempotency-Key part from free text: lower-case ASCII letters, digits and dashes.</summary>
    public static string Slug(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var slug = new StringBuilder(text.Length);
        foreach (var c in text.ToLowerInvariant())
        {
            if (c is (>= 'a' and <= 'z') or (>= '0' and <= '9')) slug.Append(c);
            else if (slug.Length > 0 && slug[^1] != '-') slug.Append('-');
        }
        return slug.ToString().TrimEnd('-');
    }
}
