using System.Net;
using System.Text.Json;
using Platform.Hosting;

namespace Platform.ServiceDefaults.Tests.Messaging;

/// <summary>Reads queues through RabbitMQ's management API.</summary>
internal static class BrokerQueues
{
    /// <summary>The queue's JSON (type, messages, arguments…), or null when it does not exist.</summary>
    public static async Task<JsonElement?> FindAsync(RabbitMqServer server, Uri virtualHost, string queue)
    {
        using var http = server.ManagementClient();
        var vhost = Uri.EscapeDataString(Uri.UnescapeDataString(virtualHost.AbsolutePath.TrimStart('/')));
        using var response = await http.GetAsync(new Uri($"api/queues/{vhost}/{Uri.EscapeDataString(queue)}", UriKind.Relative), TestContext.Current.CancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound) return null;
        response.EnsureSuccessStatusCode();
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).RootElement.Clone();
    }

    /// <summary>Messages in the queue (ready + unacknowledged) as the management API last sampled them; -1 until it has.</summary>
    public static async Task<long> MessageCountAsync(RabbitMqServer server, Uri virtualHost, string queue) =>
        await FindAsync(server, virtualHost, queue) is { } json && json.TryGetProperty("messages", out var messages) && messages.ValueKind == JsonValueKind.Number
            ? messages.GetInt64()
            : -1;

    /// <summary>For a failure message: ready, unacknowledged and consumers of a queue, as the management API last sampled them.</summary>
    public static async Task<string> DescribeAsync(RabbitMqServer server, Uri virtualHost, string queue)
    {
        if (await FindAsync(server, virtualHost, queue) is not { } json) return $"{queue}: none";
        string Field(string name) => json.TryGetProperty(name, out var value) ? value.ToString() : "?";
        // Quorum queues with at-least-once dead-lettering hold expired messages apart until the target confirms them.
        var deadLettering = string.Concat(json.EnumerateObject().Where(p => p.Name.Contains("dlx", StringComparison.Ordinal)).Select(p => $", {p.Name} {p.Value}"));
        return $"{queue}: {Field("messages_ready")} ready, {Field("messages_unacknowledged")} unacknowledged, {Field("consumers")} consumers{deadLettering}";
    }
}
