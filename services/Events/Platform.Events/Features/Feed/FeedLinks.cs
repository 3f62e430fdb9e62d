namespace Platform.Events.Features.Feed;

/// <summary>
/// Where a feed entry's link points. Events' own resources (<c>/api/v1/events/{eventId}</c>) stay relative to this
/// service. Programs live in talent-pipeline: linked at its public address (<c>Platform:PublicUrls:talent-pipeline</c>,
/// else Aspire's <c>services__talent-pipeline__http__0</c>), and left out when neither is set, since the same path on
/// this service's host answers 404.
/// </summary>
public sealed class FeedLinks(IConfiguration configuration)
{
    private const string ProgramsPath = PlatformApi.Prefix + "/programs/";

    private readonly string? _talentPipeline = Address(configuration["Platform:PublicUrls:talent-pipeline"])
                                               ?? Address(configuration["services:talent-pipeline:http:0"]);

    /// <summary>The link as a client follows it, or null when this service does not know where it lives.</summary>
    public string? Resolve(string? link) => link switch
    {
        null => null,
        _ when link.StartsWith(ProgramsPath, StringComparison.Ordinal) => _talentPipeline is null ? null : _talentPipeline + link,
        _ => link,
    };

    private static string? Address(string? configured) =>
        Uri.TryCreate(configured, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" ? uri.GetLeftPart(UriPartial.Path).TrimEnd('/') : null;
}
