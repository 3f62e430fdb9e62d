using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;

namespace Platform.ServiceDefaults.Http;

/// <summary>
/// The request body limit: <c>Platform:Http:MaxRequestBodyBytes</c> (default 10 MB) for every endpoint, or
/// the endpoint's own <c>[RequestSizeLimit]</c> / <see cref="IRequestSizeLimitMetadata"/>. Kestrel enforces it
/// while the body streams in; <see cref="Middleware"/> refuses a declared Content-Length over the limit before
/// anything reads it, so the 413 is a problem document on every server (TestServer has no limit of its own).
/// </summary>
internal sealed class MaxRequestBody(long bytes)
{
    public const long DefaultBytes = 10 * 1024 * 1024;

    public long Bytes { get; } = bytes;

    public long? LimitFor(HttpContext context)
    {
        // In the exception handler the endpoint has been cleared; its feature remembers it.
        var endpoint = context.GetEndpoint() ?? context.Features.Get<IExceptionHandlerFeature>()?.Endpoint;
        var metadata = endpoint?.Metadata.GetMetadata<IRequestSizeLimitMetadata>();
        if (metadata is not null) return metadata.MaxRequestBodySize;
        return context.Features.Get<IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize ?? Bytes;
    }

    public string Detail(HttpContext context) => LimitFor(context) is { } limit
        ? $"The request body is larger than the limit of {limit} bytes."
        : "The request body is too large.";

    public sealed class Middleware(RequestDelegate next, MaxRequestBody limits)
    {
        public Task InvokeAsync(HttpContext context)
        {
            if (context.Request.ContentLength is { } length && limits.LimitFor(context) is { } limit && length > limit)
                return ProblemResponse.WriteAsync(context, StatusCodes.Status413PayloadTooLarge, limits.Detail(context));
            return next(context);
        }
    }
}
