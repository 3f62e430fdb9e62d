namespace Platform.Dashboard.Features.Resources;

/// <summary>
/// What the dashboard watches, from its configuration: every service as <c>services:NAME:http:0</c> (Aspire's
/// contract, as the AppHost hands them over) and the AppHost's status endpoint (<c>Dashboard:AppHost:Url</c>).
/// </summary>
public sealed record Watched(IReadOnlyDictionary<string, Uri> Services, Uri? AppHost)
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
        var appHost = Uri.TryCreate(configuration["Dashboard:AppHost:Url"], UriKind.Absolute, out var status) ? status : null;
        return new Watched(services, appHost);
    }
}
