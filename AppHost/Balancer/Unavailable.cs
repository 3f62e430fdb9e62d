using Platform.ServiceDefaults.Http;
using Yarp.ReverseProxy.Forwarder;

namespace Platform.Balancer;

/// <summary>
/// What a client gets when no instance could answer (all unhealthy, or the chosen one died mid-request): 503 with
/// Retry-After and a problem document, which the platform's clients already retry — never YARP's bare 502/504.
/// </summary>
internal static class Unavailable
{
    public static async Task WhenNoInstanceAnswersAsync(HttpContext context, Func<Task> next)
    {
        await next();
        var failed = context.Features.Get<IForwarderErrorFeature>() is not null;
        if (!failed && context.Response.StatusCode != StatusCodes.Status503ServiceUnavailable) return;
        if (context.Response.HasStarted) return; // the instance answered 503 itself, or died while streaming: nothing to rewrite

        context.Response.Clear();
        context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        context.Response.Headers.RetryAfter = "1";
        context.Response.ContentType = "application/problem+json";
        await context.Response.WriteAsJsonAsync(new
        {
            type = "https://www.rfc-editor.org/rfc/rfc9110#section-15.6.4",
            title = "Service Unavailable",
            status = 503,
            detail = "No instance of the service could take the request right now. Retry after the Retry-After delay (with the same Idempotency-Key for a POST).",
            code = ProblemCode.Unavailable,
        }, options: null, contentType: "application/problem+json", context.RequestAborted);
    }
}
