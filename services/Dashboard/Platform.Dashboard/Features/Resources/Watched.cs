namespace Platform.Dashboard.Features.Resources;

/// <summary>
/// The services the dashboard watches, from its configuration: every service as <c>services:NAME:http:0</c>
/// (Aspire's contract: the AppHost hands each reference over that way; NAME is the Aspire resource name).
/// </summary>
public sealed record Watched(IReadOnlyDictionary<string, Uri> Services)
{
    public const string HttpClientName = "watched";

    public static Watched FromConfiguration(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var services = new SortedDictionary<string, Uri>(StringComparer.Ordinal);
        foreach (var service in configuration.GetSection("services").GetChildren())
        {
            if (Uri.TryCreate(service["http:0"], UriKind.Absolute, out var url)) services[service.Key] = url;
        }
        return new Watched(services);
    }
}
