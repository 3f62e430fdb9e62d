using System.Net.Http.Headers;

namespace Platform.Dashboard.Features.Messaging;

/// <summary>One queue as the Message flow view shows it (from RabbitMQ's management API).</summary>
public sealed record QueueView(
    string VirtualHost, string Name, string Type, long Messages, long Ready, long Unacknowledged, int Consumers,
    double PublishRate, double DeliverRate, double AckRate, bool IsErrorQueue);

/// <summary>Reads queues from RabbitMQ's management API (<c>GET /api/queues</c>).</summary>
public sealed class BrokerManagement(BrokerSettings settings, IHttpClientFactory http)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public const string ErrorSuffix = "_error";

    /// <summary>Every queue of every virtual host; throws <see cref="HttpRequestException"/> when the broker does not answer.</summary>
    public async Task<List<QueueView>> QueuesAsync(CancellationToken cancellationToken)
    {
        if (settings.Management is null) throw new HttpRequestException("The RabbitMQ management URL is not configured (Dashboard:RabbitMq:ManagementUrl).");
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(settings.Management, "api/queues"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{settings.User}:{settings.Password}")));
        using var response = await http.CreateClient(Resources.Watched.HttpClientName).SendAsync(request, cancellationToken);
        response.EnsureSuccessStatusCode();
        var queues = await response.Content.ReadFromJsonAsync<List<JsonElement>>(Json, cancellationToken) ?? [];
        return [.. queues.Select(q =>
        {
            var name = q.GetProperty("name").GetString()!;
            var stats = q.TryGetProperty("message_stats", out var s) ? s : default;
            return new QueueView(
                q.GetProperty("vhost").GetString()!,
                name,
                Text(q, "type") ?? "classic",
                Number(q, "messages"),
                Number(q, "messages_ready"),
                Number(q, "messages_unacknowledged"),
                (int)Number(q, "consumers"),
                Rate(stats, "publish_details"),
                Rate(stats, "deliver_get_details"),
                Rate(stats, "ack_details"),
                name.EndsWith(ErrorSuffix, StringComparison.Ordinal));
        }).OrderBy(q => q.VirtualHost, StringComparer.Ordinal).ThenBy(q => q.Name, StringComparer.Ordinal)];
    }

    private static string? Text(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static long Number(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt64() : 0;

    private static double Rate(JsonElement stats, string name) =>
        stats.ValueKind == JsonValueKind.Object && stats.TryGetProperty(name, out var d) && d.TryGetProperty("rate", out var r) && r.ValueKind == JsonValueKind.Number
            ? Math.Round(r.GetDouble(), 2)
            : 0;
}
