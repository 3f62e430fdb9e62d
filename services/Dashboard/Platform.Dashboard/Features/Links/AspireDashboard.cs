namespace Platform.Dashboard.Features.Links;

/// <summary>
/// Where the Aspire dashboard is (<c>Dashboard:AspireDashboard:Url</c>, set by the AppHost): traces, logs and
/// metrics live there, so this dashboard only links to them. Null when unset or not an http(s) URL: no links then.
/// </summary>
public sealed record AspireDashboard(string? Url)
{
    public static AspireDashboard FromConfiguration(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return Uri.TryCreate(configuration["Dashboard:AspireDashboard:Url"], UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps)
            ? new AspireDashboard(url.GetLeftPart(UriPartial.Path).TrimEnd('/'))
            : new AspireDashboard((string?)null);
    }
}

/// <summary>What the page links to: <c>GET /api/links</c> → <c>{ aspireDashboard: "http://…" | null }</c>.</summary>
public static class LinkEndpoints
{
    public sealed record LinksView(string? AspireDashboard);

    public static IEndpointRouteBuilder MapLinks(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/links", (AspireDashboard aspire) => TypedResults.Ok(new LinksView(aspire.Url))).WithTags("Links");
        return endpoints;
    }
}
