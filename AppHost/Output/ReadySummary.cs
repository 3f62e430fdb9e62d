using Platform.AppHost.Model;

namespace Platform.AppHost.Output;

/// <summary>What a user needs once everything is ready: every URL, the credentials, the operator key, where the data is.</summary>
public static class ReadySummary
{
    public static IEnumerable<string> Lines(IReadOnlyList<Resource> resources, string operatorKey, string dataFolder, TimeSpan readyAfter)
    {
        ArgumentNullException.ThrowIfNull(resources);
        var services = resources.OfType<ServiceResource>().Where(s => s.IsPresent).ToList();
        var width = services.Select(s => s.Name.Length).Append("operator key".Length).Max() + 2;
        string Row(string label, string text) => "  " + label.PadRight(width) + text;

        yield return "";
        yield return $"Consortium Platform ready in {readyAfter.TotalSeconds:0.0} s";
        foreach (var service in services)
        {
            // The dashboard is a web page, not an API: no docs page.
            yield return service.IsTelemetryReceiver
                ? Row(service.Name, $"{service.Url}   operator dashboard (open it in a browser)")
                : Row(service.Name, $"{service.Url}   docs: {service.Url}/docs");
        }
        foreach (var rabbit in resources.OfType<RabbitMqResource>())
        {
            yield return Row("RabbitMQ UI", $"{rabbit.ManagementUri}   user {rabbit.User}, password {rabbit.Password}");
            yield return Row("AMQP", rabbit.AmqpUri.ToString());
        }
        foreach (var postgres in resources.OfType<PostgresResource>())
        {
            var databases = resources.OfType<PostgresDatabaseResource>().Where(d => d.Server == postgres).Select(d => d.Name);
            yield return Row("PostgreSQL", $"127.0.0.1:{postgres.Port}   user {Hosting.PostgresServer.Superuser}, password {postgres.Password}   databases: {string.Join(", ", databases)}");
        }
        foreach (var skipped in resources.Where(r => !r.IsPresent).OfType<ServiceResource>())
            yield return Row(skipped.Name, $"(skipped: {skipped.ProjectFolder} does not exist)");
        yield return Row("operator key", operatorKey);
        yield return Row("data folder", $"{dataFolder}   (endpoints.json, logs/)");
        yield return "Press Ctrl+C to stop everything.";
        yield return "";
    }
}
