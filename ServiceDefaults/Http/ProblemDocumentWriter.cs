using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using JsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Platform.ServiceDefaults.Http;

/// <summary>
/// Writes every problem document of the service (typed results, exception handler, status-code pages,
/// authentication, rate limiting, idempotency) in one shape. Registered ahead of ASP.NET Core's default writer,
/// which would skip the body when the client's Accept header does not mention JSON: an API client always gets
/// a problem document, whatever it asked for.
/// </summary>
internal sealed class ProblemDocumentWriter(IOptions<JsonOptions> jsonOptions) : IProblemDetailsWriter
{
    public const string ContentType = "application/problem+json";

    public bool CanWrite(ProblemDetailsContext context) => true;

    public ValueTask WriteAsync(ProblemDetailsContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var problem = context.ProblemDetails;
        var http = context.HttpContext;
        problem.Status ??= http.Response.StatusCode;
        Complete(problem, http);
        http.Response.ContentType = ContentType;
        // Serialize as the runtime type so HttpValidationProblemDetails keeps its 'errors'.
        return new ValueTask(http.Response.WriteAsJsonAsync(problem, problem.GetType(), jsonOptions.Value.SerializerOptions, ContentType, http.RequestAborted));
    }

    /// <summary>Fills <c>type</c>, <c>title</c>, <c>code</c> and <c>traceId</c> when the producer left them out (or used the framework's default type).</summary>
    internal static void Complete(ProblemDetails problem, HttpContext http)
    {
        var status = problem.Status ?? StatusCodes.Status500InternalServerError;
        // ASP.NET Core's own defaults point at tools.ietf.org; every problem of ours names the RFC on one host.
        if (problem.Type is null || problem.Type.StartsWith("https://tools.ietf.org/", StringComparison.Ordinal)) problem.Type = TypeFor(status);
        problem.Title ??= ReasonPhrases.GetReasonPhrase(status) is { Length: > 0 } phrase ? phrase : "Error";
        problem.Detail ??= DetailFor(status, http);
        if (!problem.Extensions.ContainsKey(ProblemCode.Member))
            problem.Extensions[ProblemCode.Member] = ProblemCode.ForStatus(status, problem is HttpValidationProblemDetails { Errors.Count: > 0 });
        // The trace id alone (not the whole traceparent): it is what the dashboard searches by.
        problem.Extensions["traceId"] = Activity.Current?.TraceId.ToHexString() ?? http.TraceIdentifier;
    }

    // For problems the framework raises without a detail (unmatched route, wrong method, unhandled exception).
    private static string DetailFor(int status, HttpContext http) => status switch
    {
        404 => "There is nothing at this address.",
        405 => $"This address does not accept {http.Request.Method}.",
        // Kestrel's limit hit while minimal APIs read a streamed body: they answer 413 without a body.
        413 => http.RequestServices.GetService<MaxRequestBody>()?.Detail(http) ?? "The request body is too large.",
        500 => "An unexpected error occurred. Quote the traceId when reporting it.",
        503 => "The service cannot answer right now. Retry later.",
        _ => ReasonPhrases.GetReasonPhrase(status) is { Length: > 0 } phrase ? phrase + "." : "The request failed.",
    };

    private static string TypeFor(int status) => status switch
    {
        400 => "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.1",
        401 => "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.2",
        403 => "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.4",
        404 => "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.5",
        405 => "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.6",
        406 => "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.7",
        408 => "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.9",
        409 => "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.10",
        412 => "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.13",
        413 => "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.14",
        414 => "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.15",
        415 => "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.16",
        422 => "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.21",
        429 => "https://www.rfc-editor.org/rfc/rfc6585#section-4",
        431 => "https://www.rfc-editor.org/rfc/rfc6585#section-5",
        500 => "https://www.rfc-editor.org/rfc/rfc9110#section-15.6.1",
        502 => "https://www.rfc-editor.org/rfc/rfc9110#section-15.6.3",
        503 => "https://www.rfc-editor.org/rfc/rfc9110#section-15.6.4",
        504 => "https://www.rfc-editor.org/rfc/rfc9110#section-15.6.5",
        _ => "about:blank",
    };
}

/// <summary>Writes a problem document from middleware, where there is no typed result to return.</summary>
internal static class ProblemResponse
{
    public static Task WriteAsync(HttpContext http, int status, string detail, IDictionary<string, string[]>? errors = null, string? code = null)
    {
        http.Response.StatusCode = status;
        ProblemDetails problem = errors is null
            ? new ProblemDetails { Status = status, Detail = detail }
            : new HttpValidationProblemDetails(errors) { Status = status, Detail = detail };
        if (code is not null) problem.Extensions[ProblemCode.Member] = code;
        var service = http.RequestServices.GetRequiredService<IProblemDetailsService>();
        return service.WriteAsync(new ProblemDetailsContext { HttpContext = http, ProblemDetails = problem }).AsTask();
    }
}
