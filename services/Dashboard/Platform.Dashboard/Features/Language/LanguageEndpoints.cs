using System.Globalization;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Localization;
using Microsoft.Net.Http.Headers;
using Platform.ServiceDefaults.Localization;

namespace Platform.Dashboard.Features.Language;

/// <summary>
/// The page's words in the reader's language, and the language switch. The switch is a POST (not a cookie written by
/// the page) so the cookie is ASP.NET Core's own format, checked on the server, and the change carries the CSRF
/// header every cookie-borne change of the dashboard needs.
/// </summary>
public static class LanguageEndpoints
{
    /// <summary>The words of the page: <c>language</c> is <c>en</c> or <c>zh-CN</c>; <c>text</c> maps each key to its words.</summary>
    public sealed record PageText(string Language, IReadOnlyDictionary<string, string> Text);

    /// <summary>The reader's choice: <c>en</c> or <c>zh-CN</c> (any Chinese or English tag is taken as one of those).</summary>
    public sealed record LanguageChoice(string? Language);

    /// <summary>How long the switch is remembered.</summary>
    public static readonly TimeSpan Remembered = TimeSpan.FromDays(365);

    public static IEndpointRouteBuilder MapLanguage(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api").WithTags("Language");
        api.MapGet("/text", Text);
        api.MapPost("/language", Choose);
        return endpoints;
    }

    private static Results<Ok<PageText>, StatusCodeHttpResult> Text(HttpContext http)
    {
        var culture = CultureInfo.CurrentUICulture;
        var text = DashboardText.All(culture);
        var page = new PageText(culture.Name, text);
        // Cacheable per language: the ETag names it, and the language comes from the cookie or Accept-Language.
        var hash = SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(text));
        var etag = new EntityTagHeaderValue($"\"{culture.Name}-{Convert.ToHexStringLower(hash)[..20]}\"");
        http.Response.GetTypedHeaders().ETag = etag;
        http.Response.Headers.Append(HeaderNames.Vary, $"{HeaderNames.AcceptLanguage}, {HeaderNames.Cookie}");
        http.Response.Headers.CacheControl = "private, no-cache";
        if (http.Request.GetTypedHeaders().IfNoneMatch.Any(t => t.Compare(etag, useStrongComparison: false)))
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        return TypedResults.Ok(page);
    }

    private static Results<NoContent, ValidationProblem> Choose(LanguageChoice choice, HttpContext http, TimeProvider time)
    {
        if (PlatformLocalization.Match(choice.Language) is not { } language)
            return Problems.Validation(("language", $"Must be {PlatformLocalization.English} or {PlatformLocalization.Chinese}."));
        // c= stays empty: formatting stays invariant (PlatformLocalization); only the UI culture is the reader's.
        var value = CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(CultureInfo.InvariantCulture, CultureInfo.GetCultureInfo(language)));
        http.Response.Cookies.Append(PlatformLocalization.CookieName, value, new CookieOptions
        {
            Path = "/",
            Expires = time.GetUtcNow().Add(Remembered),
            IsEssential = true,
            HttpOnly = true,
            SameSite = Microsoft.AspNetCore.Http.SameSiteMode.Lax,
            Secure = http.Request.IsHttps,
        });
        return TypedResults.NoContent();
    }
}
