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

            case BadHttpRequestException { StatusCode: StatusCodes.Status400BadRequest } bad when BindingFailure.Describe(bad.Message,
                    httpContext.Features.Get<IExceptionHandlerFeature>()?.Endpoint) is { } field:
                await WriteValidationAsync(httpContext, new Dictionary<string, string[]>(StringComparer.Ordinal) { [field.Name] = [field.Message] });
                return true;

            case BadHttpRequestException bad when bad.StatusCode is >= 400 and < 500:
                // Wrong content type and the like: the framework's messages are written for the client.
                await ProblemResponse.WriteAsync(httpContext, bad.StatusCode, bad.Message);
                return true;

            case Microsoft.EntityFrameworkCore.DbUpdateConcurrencyException:
                // Still conflicting after ConcurrentChange.RetryAsync's attempts: the client may simply try again.
                await ProblemResponse.WriteAsync(httpContext, StatusCodes.Status409Conflict,
                    "The resource was changed by another request at the same moment, several times over. Read it again and retry.",
                    code: ProblemCode.ConcurrentChange);
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

/// <summary>
/// A route or query value that did not bind (<c>?consortiumId=abc</c>, <c>?role=chairman</c>), explained in the
/// API's words for the parameter's type instead of the framework's "Failed to bind parameter "Guid? x"".
/// </summary>
internal static partial class BindingFailure
{
    [System.Text.RegularExpressions.GeneratedRegex("""^Failed to bind parameter "(?<type>[^"]+) (?<name>[^" ]+)" from "(?<value>[^"]*)"\.$""")]
    private static partial System.Text.RegularExpressions.Regex NotBound();

    [System.Text.RegularExpressions.GeneratedRegex("""^Required parameter "(?<type>[^"]+) (?<name>[^" ]+)" was not provided""")]
    private static partial System.Text.RegularExpressions.Regex Missing();

    public static (string Name, string Message)? Describe(string message, Endpoint? endpoint)
    {
        if (Missing().Match(message) is { Success: true } missing)
            return (FieldName(missing.Groups["name"].Value, endpoint), "Required.");
        if (NotBound().Match(message) is not { Success: true } match) return null;

        var name = match.Groups["name"].Value;
        var value = match.Groups["value"].Value;
        var declared = PlatformApi.FindParameter(endpoint, name)?.ParameterType;
        var type = declared is null ? null : Nullable.GetUnderlyingType(declared) ?? declared;
        var expected = type switch
        {
            null => "a valid value",
            _ when type == typeof(Guid) => "an id (a GUID such as 0193a4c2-7b1e-7c3d-9f10-2a4b5c6d7e8f)",
            _ when type == typeof(int) || type == typeof(long) => "a whole number",
            _ when type == typeof(DateOnly) => "a date (yyyy-MM-dd)",
            _ when type == typeof(DateTimeOffset) || type == typeof(DateTime) => "a date and time (ISO 8601, e.g. 2026-05-09T09:30:00+08:00)",
            _ when type == typeof(bool) => "true or false",
            _ when type.IsGenericType && type.GetGenericTypeDefinition() == typeof(ApiEnum<>) =>
                "one of " + string.Join(", ", (IEnumerable<string>)typeof(ApiEnum).GetMethod(nameof(ApiEnum.Names))!
                    .MakeGenericMethod(type.GetGenericArguments()[0]).Invoke(null, null)!),
            _ => "a valid value",
        };
        return (FieldName(name, endpoint), $"'{value}' is not {expected}.");
    }

    // [FromQuery(Name = "...")] renames a parameter on the wire; errors name what the client sent.
    private static string FieldName(string parameter, Endpoint? endpoint) =>
        PlatformApi.FindParameter(endpoint, parameter)?.GetCustomAttributes(true)
            .OfType<Microsoft.AspNetCore.Http.Metadata.IFromQueryMetadata>().FirstOrDefault()?.Name ?? parameter;
}
