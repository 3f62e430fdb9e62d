using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.Options;

namespace Platform.ServiceDefaults.Http;

/// <summary>
/// Answers client errors raised while reading a request (minimal APIs throw them because
/// <c>RouteHandlerOptions.ThrowOnBadRequest</c> is on) with a problem document: malformed JSON, wrong types,
/// unknown enum values and missing members → 400 with <c>errors</c>; wrong content type → 415; body too
/// large → 413. Anything else is not handled here: the exception handler middleware answers it with a 500
/// problem that carries no exception details, and logs it.
/// </summary>
internal sealed class ClientErrorExceptionHandler(IOptions<JsonOptions> jsonOptions, MaxRequestBody maxRequestBody) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        switch (exception)
        {
            case RequestValidationException validation:
                await WriteValidationAsync(httpContext, validation.Errors);
                return true;

            case BadHttpRequestException { InnerException: JsonException json }:
                // The middleware has cleared the endpoint by now; its feature remembers it.
                var endpoint = httpContext.Features.Get<IExceptionHandlerFeature>()?.Endpoint;
                var bodyType = endpoint?.Metadata.GetMetadata<IAcceptsMetadata>()?.RequestType;
                await WriteValidationAsync(httpContext, JsonErrors.Describe(json, bodyType, jsonOptions.Value.SerializerOptions));
                return true;

            case BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge }:
                await ProblemResponse.WriteAsync(httpContext, StatusCodes.Status413PayloadTooLarge, maxRequestBody.Detail(httpContext));
                return true;

            case BadHttpRequestException bad when bad.StatusCode is >= 400 and < 500:
                // Binding failures ("Failed to bind parameter ...", wrong content type): the framework's
                // messages are written for the client and name only the parameter.
                await ProblemResponse.WriteAsync(httpContext, bad.StatusCode, bad.Message);
                return true;

            case Microsoft.EntityFrameworkCore.DbUpdateConcurrencyException:
                // Still conflicting after ConcurrentChange.RetryAsync's attempts: the client may simply try again.
                await ProblemResponse.WriteAsync(httpContext, StatusCodes.Status409Conflict,
                    "The resource was changed by another request at the same moment, several times over. Read it again and retry.");
                return true;

            default:
                // A bug: record it on the request's span, and let the middleware answer 500 and log it.
                Activity.Current?.AddException(exception);
                return false;
        }
    }

    private static Task WriteValidationAsync(HttpContext httpContext, IDictionary<string, string[]> errors) =>
        ProblemResponse.WriteAsync(httpContext, StatusCodes.Status400BadRequest, Problems.ValidationDetail(errors.Keys), errors);
}
