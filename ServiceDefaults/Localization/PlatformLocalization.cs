using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Localization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Net.Http.Headers;

namespace Platform.ServiceDefaults.Localization;

/// <summary>
/// The languages a reader gets: English (the default) and Simplified Chinese (<c>zh-CN</c>), chosen per request by
/// <c>?lang=</c>, the <see cref="CookieName"/> cookie (the dashboard's switch), then <c>Accept-Language</c>.
/// Only the UI culture follows the request: resources, and the reader-facing dates and numbers code formats with
/// <see cref="CultureInfo.CurrentUICulture"/>. The formatting culture stays invariant, so machine-facing text (problem
/// details, ETags, JSON) never changes with the language.
/// </summary>
/// <remarks>
/// Opt-in per host (<see cref="AddPlatformLocalization"/>, <see cref="UsePlatformLocalization"/>). Works without ICU:
/// services run in invariant mode with <c>PredefinedCulturesOnly</c> off (Directory.Build.props), where <c>zh-CN</c> is
/// a culture with invariant data that keeps its name, so resources and our own format strings choose the language.
/// </remarks>
public static class PlatformLocalization
{
    public const string English = "en";
    public const string Chinese = "zh-CN";

    /// <summary>The query parameter that picks a language for one request (<c>?lang=zh-CN</c>).</summary>
    public const string QueryParameter = "lang";

    /// <summary>ASP.NET Core's culture cookie (value <c>c=…|uic=…</c>, see <see cref="CookieRequestCultureProvider.MakeCookieValue"/>).</summary>
    public static string CookieName => CookieRequestCultureProvider.DefaultCookieName;

    /// <summary>The supported language a tag asks for: any Chinese tag (zh, zh-Hans, zh-CN, zh-SG) is <c>zh-CN</c>, any English one <c>en</c>.</summary>
    public static string? Match(string? tag)
    {
        if (string.IsNullOrWhiteSpace(tag)) return null;
        var language = tag.Split('-', 2)[0].Trim();
        if (language.Equals("zh", StringComparison.OrdinalIgnoreCase)) return Chinese;
        if (language.Equals("en", StringComparison.OrdinalIgnoreCase)) return English;
        return null;
    }

    /// <summary>True when the request's reader reads Chinese.</summary>
    public static bool ReadsChinese(this CultureInfo culture)
    {
        ArgumentNullException.ThrowIfNull(culture);
        // By name: in invariant mode every culture's TwoLetterISOLanguageName is "iv".
        return Match(culture.Name) == Chinese;
    }

    public static IServiceCollection AddPlatformLocalization(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddLocalization();
        services.Configure<RequestLocalizationOptions>(options =>
        {
            options.DefaultRequestCulture = new RequestCulture(CultureInfo.InvariantCulture, CultureInfo.GetCultureInfo(English));
            options.SupportedCultures = [CultureInfo.InvariantCulture];
            options.SupportedUICultures = [CultureInfo.GetCultureInfo(English), CultureInfo.GetCultureInfo(Chinese)];
            options.FallBackToParentUICultures = true;
            options.ApplyCurrentCultureToResponseHeaders = true;
            options.RequestCultureProviders =
            [
                new CustomRequestCultureProvider(context => Task.FromResult(Chosen(context.Request.Query[QueryParameter]))),
                new CookieRequestCultureProvider { CookieName = CookieName },
                new CustomRequestCultureProvider(context => Task.FromResult(FromAcceptLanguage(context.Request))),
            ];
        });
        return services;
    }

    public static IApplicationBuilder UsePlatformLocalization(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        return app.UseRequestLocalization();
    }

    private static ProviderCultureResult? Chosen(string? tag) =>
        Match(tag) is { } language ? new ProviderCultureResult(CultureInfo.InvariantCulture.Name, language) : null;

    // The first supported language by quality; ASP.NET Core's own provider does not map "zh" or "zh-Hans" to zh-CN.
    private static ProviderCultureResult? FromAcceptLanguage(HttpRequest request)
    {
        var header = request.Headers.AcceptLanguage;
        if (header.Count == 0 || !StringWithQualityHeaderValue.TryParseList(header, out var languages)) return null;
        var best = languages.Where(l => (l.Quality ?? 1) > 0).OrderByDescending(l => l.Quality ?? 1)
            .Select(l => Match(l.Value.Value)).FirstOrDefault(l => l is not null);
        return Chosen(best);
    }
}
