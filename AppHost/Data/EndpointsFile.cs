using System.Text.Json;
using System.Text.Json.Nodes;
using Platform.AppHost.Model;

namespace Platform.AppHost.Data;

/// <summary>
/// <c>DIR/endpoints.json</c>: where everything is, for scripts, tests and tools. Written once every resource is
/// ready (so its appearance means "ready"), removed when the AppHost stops.
/// </summary>
public static class EndpointsFile
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static string Render(string operatorKey, IEnumerable<Resource> resources)
    {
        ArgumentNullException.ThrowIfNull(resources);
        var present = resources.Where(r => r.IsPresent).ToList();
        var json = new JsonObject
        {
            ["operatorKey"] = operatorKey,
            ["services"] = Object(present.OfType<ServiceResource>().Select(s => (s.Name, s.Url))),
        };
        if (present.OfType<RabbitMqResource>().FirstOrDefault() is { } rabbit)
        {
            json["rabbitmq"] = new JsonObject
            {
                ["amqp"] = rabbit.AmqpUri.ToString(),
                ["management"] = rabbit.ManagementUri.ToString(),
            };
        }
        json["postgres"] = Object(present.OfType<PostgresDatabaseResource>().Select(d => (d.Name, d.ConnectionString)));
        return json.ToJsonString(Indented);
    }

    private static JsonObject Object(IEnumerable<(string Name, string Value)> entries)
    {
        var json = new JsonObject();
        foreach (var (name, value) in entries) json[name] = value;
        return json;
    }
}
