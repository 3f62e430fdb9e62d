using System.Diagnostics;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Platform.ServiceDefaults.Auth;

namespace Platform.ServiceDefaults.Telemetry;

/// <summary>
/// Completes the span ASP.NET Core starts for each request. On .NET 10 that span carries almost no HTTP
/// attributes (the instrumentation package that adds them is not in our feed), so this sets the stable
/// semantic-convention ones and names the span <c>{method} {route}</c>. Health probes are dropped, together
/// with their child spans (a database ping every few seconds is noise).
/// </summary>
internal sealed class RequestTelemetryMiddleware(RequestDelegate next)
{
    public const string HealthPathPrefix = "/health";

    public async Task InvokeAsync(HttpContext context)
    {
        var activity = context.Features.Get<IHttpActivityFeature>()?.Activity;
        if (activity is null)
        {
            await next(context);
            return;
        }

        if (context.Request.Path.StartsWithSegments(HealthPathPrefix, StringComparison.OrdinalIgnoreCase))
        {
            // Not recorded: exporters skip it, and the parent-based sampler drops its children.
            activity.ActivityTraceFlags &= ~ActivityTraceFlags.Recorded;
            activity.IsAllDataRequested = false;
            await next(context);
            return;
        }

        if (activity.IsAllDataRequested)
        {
            activity.SetTag("http.request.method", context.Request.Method);
            activity.SetTag("url.scheme", context.Request.Scheme);
            activity.SetTag("url.path", context.Request.Path.Value);
        }

        try
        {
            await next(context);
        }
        finally
        {
            if (activity.IsAllDataRequested)
            {
                var status = context.Response.StatusCode;
                activity.SetTag("http.response.status_code", status);
                // After an exception the handler middleware has cleared the endpoint; its feature remembers it.
                var endpoint = context.GetEndpoint() ?? context.Features.Get<IExceptionHandlerFeature>()?.Endpoint;
                var route = (endpoint as RouteEndpoint)?.RoutePattern.RawText;
                if (route is not null)
                {
                    activity.SetTag("http.route", route);
                    activity.DisplayName = $"{context.Request.Method} {route}";
                }
                else
                {
                    activity.DisplayName = context.Request.Method;
                }
                if (context.User.GetCaller() is { } caller) activity.SetTag("platform.caller", caller.Id);
                if (status >= 500)
                {
                    activity.SetTag("error.type", status.ToString(System.Globalization.CultureInfo.InvariantCulture));
                    activity.SetStatus(ActivityStatusCode.Error);
                }
            }
        }
    }
}
