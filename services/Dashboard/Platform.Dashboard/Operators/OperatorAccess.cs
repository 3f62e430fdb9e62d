using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.HostFiltering;
using Microsoft.Extensions.Options;

namespace Platform.Dashboard.Operators;

/// <summary>
/// Who may read or change anything on the dashboard: the operator only. A browser logs in once on <c>/login</c> with
/// the operator key and gets a cookie (HttpOnly, SameSite=Strict, Secure over https); a script sends the key in
/// <c>X-Api-Key</c> with every request. Only <c>/login</c> and the health probes are open. Host names other than
/// loopback and <c>Dashboard:AllowedHosts</c> are refused (DNS rebinding).
/// </summary>
public static class OperatorAccess
{
    public const string Scheme = "Operator";
    public const string CookieScheme = CookieAuthenticationDefaults.AuthenticationScheme;
    public const string KeyScheme = "OperatorKey";
    public const string CookieName = "platform-operator";

    /// <summary>
    /// A cookie-authenticated request that changes something must carry this header: a cross-site form cannot set it,
    /// and a cross-site fetch that sets it needs a CORS preflight, which the dashboard does not answer.
    /// </summary>
    public const string CsrfHeader = "X-Requested-With";

    public static readonly string[] LoopbackHosts = ["localhost", "127.0.0.1", "[::1]"];

    public static IServiceCollection AddOperatorAccess(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddAuthentication(Scheme)
            // The key when one is presented (a script), else the login cookie (a browser).
            .AddPolicyScheme(Scheme, "Operator", policy => policy.ForwardDefaultSelector = http =>
                http.Request.Headers.ContainsKey(OperatorKey.Header) ? KeyScheme : CookieScheme)
            .AddScheme<AuthenticationSchemeOptions, OperatorKeyHandler>(KeyScheme, null)
            .AddCookie(CookieScheme, cookie =>
            {
                cookie.Cookie.Name = CookieName;
                cookie.Cookie.HttpOnly = true;
                cookie.Cookie.SameSite = SameSiteMode.Strict;
                cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                cookie.ExpireTimeSpan = TimeSpan.FromHours(8);
                cookie.SlidingExpiration = true;
                cookie.LoginPath = "/login";
                cookie.ReturnUrlParameter = "returnUrl";
                cookie.Events.OnRedirectToLogin = context =>
                {
                    // Pages go to the login form; the JSON API answers 401 (a redirect would hand a script an HTML page).
                    if (IsApi(context.Request)) return Unauthorized(context.HttpContext, "Log in at /login, or send the operator key in the X-Api-Key header.");
                    context.Response.Redirect(context.RedirectUri);
                    return Task.CompletedTask;
                };
                cookie.Events.OnRedirectToAccessDenied = context => Unauthorized(context.HttpContext, "Only the operator may use the dashboard.");
            });
        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder(Scheme).RequireAuthenticatedUser().Build());

        var extra = (configuration["Dashboard:AllowedHosts"] ?? "").Split([';', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        // PostConfigure: the web host binds AllowedHosts (default "*": anything) first; the dashboard allows only these.
        services.PostConfigure<HostFilteringOptions>(hosts =>
        {
            hosts.AllowedHosts = [.. LoopbackHosts, .. extra.Where(h => h != "*")];
            hosts.AllowEmptyHosts = false;
        });
        return services;
    }

    /// <summary>Authentication, authorization and the CSRF check; before the static files, so the page itself needs the operator.</summary>
    public static WebApplication UseOperatorAccess(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseAuthentication();
        app.UseAuthorization();
        app.Use(async (http, next) =>
        {
            if (!HttpMethods.IsGet(http.Request.Method) && !HttpMethods.IsHead(http.Request.Method) && !HttpMethods.IsOptions(http.Request.Method)
                && http.User.Identity is { IsAuthenticated: true, AuthenticationType: CookieScheme }
                && !http.Request.Path.StartsWithSegments("/login")
                && string.IsNullOrEmpty(http.Request.Headers[CsrfHeader]))
            {
                await Problems.Status(StatusCodes.Status403Forbidden, $"A change made with the login cookie needs the {CsrfHeader} header (the dashboard's page sends it).").ExecuteAsync(http);
                return;
            }
            await next(http);
        });
        return app;
    }

    internal static ClaimsPrincipal Operator(string authenticationType) =>
        new(new ClaimsIdentity([new Claim(ClaimTypes.Name, "operator"), new Claim(ClaimTypes.Role, "operator")], authenticationType));

    private static bool IsApi(HttpRequest request) => request.Path.StartsWithSegments("/api");

    internal static Task Unauthorized(HttpContext http, string detail) => Problems.Status(StatusCodes.Status401Unauthorized, detail).ExecuteAsync(http);

    /// <summary><c>X-Api-Key</c> with the operator key: authenticated; another key: 401; none: not this scheme's business.</summary>
    private sealed class OperatorKeyHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, OperatorKey key)
        : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
    {
        protected override Task<AuthenticateResult> HandleAuthenticateAsync()
        {
            if (!Request.Headers.TryGetValue(OperatorKey.Header, out var presented)) return Task.FromResult(AuthenticateResult.NoResult());
            return Task.FromResult(presented.Count == 1 && key.Matches(presented[0])
                ? AuthenticateResult.Success(new AuthenticationTicket(Operator(KeyScheme), KeyScheme))
                : AuthenticateResult.Fail("Not the operator key."));
        }

        protected override Task HandleChallengeAsync(AuthenticationProperties properties) =>
            Unauthorized(Context, key.IsConfigured
                ? "The X-Api-Key header does not hold the operator key."
                : "No operator key is configured (Platform:OperatorKey), so nobody can use the dashboard.");

        protected override Task HandleForbiddenAsync(AuthenticationProperties properties) => Unauthorized(Context, "Only the operator may use the dashboard.");
    }

    /// <summary>Whether <paramref name="url"/> stays on this site (a path, not <c>//host</c> or <c>/\host</c>): where a login may return to.</summary>
    internal static bool IsLocalUrl(string? url) =>
        !string.IsNullOrEmpty(url) && url[0] == '/' && (url.Length == 1 || (url[1] != '/' && url[1] != '\\'))
        && !url.Any(c => char.IsControl(c)) && url.Length <= 2048;

    /// <summary>The login form; <paramref name="problem"/> shown above it. Inline style: nothing else is served before login.</summary>
    internal static string LoginPage(string returnUrl, string? problem) => $$"""
        <!doctype html>
        <html lang="en">
        <head>
          <meta charset="utf-8">
          <meta name="viewport" content="width=device-width, initial-scale=1">
          <title>Log in · Operator dashboard</title>
          <style>
            body { font: 15px system-ui, sans-serif; background: #f6f8fa; color: #1f2328; display: grid; place-items: center; min-height: 90vh; }
            form { background: #fff; border: 1px solid #d0d7de; border-radius: 8px; padding: 24px; width: 360px; }
            label, input, button { display: block; width: 100%; box-sizing: border-box; }
            input { margin: 6px 0 16px; padding: 8px; font: inherit; }
            button { padding: 8px; font: inherit; background: #1f883d; color: #fff; border: 0; border-radius: 6px; cursor: pointer; }
            .problem { color: #cf222e; margin-bottom: 12px; }
            .muted { color: #656d76; font-size: 13px; }
          </style>
        </head>
        <body>
          <form method="post" action="/login">
            <h1>Operator dashboard</h1>
            {{(problem is null ? "" : $"<div class=\"problem\" role=\"alert\">{HtmlEncoder.Default.Encode(problem)}</div>")}}
            <label for="key">Operator key</label>
            <input id="key" name="key" type="password" autocomplete="current-password" required autofocus>
            <input type="hidden" name="returnUrl" value="{{HtmlEncoder.Default.Encode(returnUrl)}}">
            <button type="submit">Log in</button>
            <p class="muted">The AppHost prints the key when it starts; it is also in DIR/endpoints.json (operatorKey).</p>
          </form>
          <script>
            // The view (#messages…) is not sent to the server: carry it through the login.
            const back = document.querySelector("input[name=returnUrl]");
            if (location.hash && !back.value.includes("#")) back.value += location.hash;
          </script>
        </body>
        </html>
        """;

    public static IEndpointRouteBuilder MapOperatorLogin(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/login", (string? returnUrl) =>
            TypedResults.Content(LoginPage(IsLocalUrl(returnUrl) ? returnUrl! : "/", null), "text/html; charset=utf-8")).AllowAnonymous().ExcludeFromDescription();

        endpoints.MapPost("/login", LogInAsync).AllowAnonymous().ExcludeFromDescription();
        endpoints.MapPost("/logout", async (HttpContext http) =>
        {
            await http.SignOutAsync(CookieScheme);
            return TypedResults.NoContent();
        }).ExcludeFromDescription();
        return endpoints;
    }

    /// <summary>The form posts the key; read by hand, so a request that is no form is a 4xx and not an exception.</summary>
    private static async Task<Results<ContentHttpResult, ProblemHttpResult, StatusCodeHttpResult>> LogInAsync(HttpContext http, OperatorKey key)
    {
        if (!http.Request.HasFormContentType)
            return Problems.Status(StatusCodes.Status415UnsupportedMediaType, "The login takes a form (application/x-www-form-urlencoded) with the field key.");
        IFormCollection form;
        try
        {
            form = await http.Request.ReadFormAsync(http.RequestAborted);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or BadHttpRequestException)
        {
            return Problems.Status(StatusCodes.Status400BadRequest, $"The form could not be read: {e.Message}");
        }
        var returnUrl = form["returnUrl"].ToString();
        if (!IsLocalUrl(returnUrl)) returnUrl = "/";
        if (!key.Matches(form["key"].ToString()))
        {
            return TypedResults.Content(LoginPage(returnUrl, key.IsConfigured ? "That is not the operator key." : "No operator key is configured (Platform:OperatorKey)."),
                "text/html; charset=utf-8", statusCode: StatusCodes.Status401Unauthorized);
        }
        await http.SignInAsync(CookieScheme, Operator(CookieScheme));
        // 303: the browser follows with a GET.
        http.Response.Headers.Location = returnUrl;
        return TypedResults.StatusCode(StatusCodes.Status303SeeOther);
    }

    /// <summary>Where a request came from, for the audit list (address, and how the operator signed in).</summary>
    internal static string From(HttpContext http) =>
        $"{http.Connection.RemoteIpAddress?.ToString() ?? "unknown"} ({(http.User.Identity?.AuthenticationType == KeyScheme ? "X-Api-Key" : "login")})";
}
