using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Platform.ServiceDefaults.Http;

/// <summary>
/// What every request must be before any handler reads it, each refusal a problem document:
/// a URL of at most <see cref="MaxUrlLength"/> characters (414) and headers of at most <see cref="MaxHeaderBytes"/> (431)
/// — Kestrel's own limits are set above these so that Kestrel does not answer first, with an empty body;
/// a body in UTF-8 (415 for any other <c>charset</c>; none means UTF-8); a path and query string whose decoded text
/// follows <see cref="TextRules"/> (400 naming the parameter).
/// </summary>
internal sealed class RequestGuard(RequestDelegate next)
{
    public const int MaxUrlLength = 8 * 1024;
    public const int MaxHeaderBytes = 32 * 1024;

    /// <summary>Kestrel's request-line and header limits: above ours, so the request reaches this middleware.</summary>
    public const int KestrelRequestLineBytes = 64 * 1024;
    public const int KestrelHeaderBytes = 64 * 1024;

    public Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        var urlLength = (request.PathBase.Value ?? "").Length + (request.Path.Value ?? "").Length + (request.QueryString.Value ?? "").Length;
        if (urlLength > MaxUrlLength)
            return ProblemResponse.WriteAsync(context, StatusCodes.Status414UriTooLong, $"The URL is longer than {MaxUrlLength} characters.");

        long headerBytes = 0;
        foreach (var (name, values) in request.Headers)
            foreach (var value in values) headerBytes += name.Length + (value?.Length ?? 0) + 4;
        if (headerBytes > MaxHeaderBytes)
            return ProblemResponse.WriteAsync(context, StatusCodes.Status431RequestHeaderFieldsTooLarge, $"The request headers are larger than {MaxHeaderBytes} bytes.");

        if (request.ContentType is { Length: > 0 } contentType && CharsetProblem(contentType) is { } charset)
            return ProblemResponse.WriteAsync(context, StatusCodes.Status415UnsupportedMediaType, charset);

        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (request.Path.Value is { } path && TextRules.Problem(path) is { } pathProblem) errors["path"] = [pathProblem];
        if (request.QueryString.HasValue)
        {
            foreach (var (name, values) in request.Query)
            {
                if (TextRules.Problem(name) is { } nameProblem) errors[Printable(name)] = ["The parameter name: " + nameProblem];
                foreach (var value in values)
                    if (value is not null && TextRules.Problem(value) is { } valueProblem) errors[Printable(name)] = [valueProblem];
            }
        }
        if (errors.Count > 0)
            return ProblemResponse.WriteAsync(context, StatusCodes.Status400BadRequest, Problems.ValidationDetail(errors.Keys), errors);
        return next(context);
    }

    /// <summary>Why the body's declared charset is refused, or null for UTF-8 (or none).</summary>
    private static string? CharsetProblem(string contentType)
    {
        if (!MediaTypeHeaderValue.TryParse(contentType, out var media)) return null; // binding answers an unparseable type with 415
        if (media.Charset is not { Length: > 0 } charset) return null;
        var name = charset.Value!.Trim('"');
        return name.Equals("utf-8", StringComparison.OrdinalIgnoreCase)
            ? null
            : $"The body must be UTF-8; charset '{Printable(name)}' is not supported. Send charset=utf-8 or no charset.";
    }

    /// <summary>A client's text in our message, with control characters shown as \uXXXX.</summary>
    private static string Printable(string text)
    {
        if (TextRules.Problem(text) is null) return text;
        var builder = new StringBuilder(text.Length + 8);
        foreach (var c in text)
            builder.Append(char.IsControl(c) || char.IsSurrogate(c) || c is '\uFFFE' or '\uFFFF' ? $"\\u{(int)c:x4}" : c);
        return builder.ToString();
    }
}
