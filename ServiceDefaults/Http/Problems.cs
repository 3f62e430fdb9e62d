using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Platform.ServiceDefaults.Http;

/// <summary>
/// The errors a handler returns, so every service answers with identical RFC 9457 problem documents
/// (<c>type</c>, <c>title</c>, <c>status</c>, <c>detail</c>, <c>code</c> (<see cref="ProblemCode"/>), <c>traceId</c>, and
/// <c>errors</c> for validation).
/// The results are <see cref="TypedResults"/>, usable in <c>Results&lt;Ok&lt;T&gt;, ValidationProblem, ProblemHttpResult&gt;</c>.
/// </summary>
/// <example>
/// <code>
/// if (!UnifiedSocialCreditCode.IsValid(request.UnifiedSocialCreditCode))
///     return Problems.Validation(("unifiedSocialCreditCode", "The check digit does not match (GB 32100)."));
/// if (!membership.CanApprove)
///     return Problems.Conflict($"A membership in state '{membership.Status}' cannot be approved.", new { status = membership.Status });
/// </code>
/// </example>
public static class Problems
{
    /// <summary>400 with <c>errors</c>: field (camelCase JSON path, e.g. <c>events[3].type</c>) → messages.</summary>
    public static ValidationProblem Validation(params (string Field, string Message)[] errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        return Validation(errors.GroupBy(e => e.Field, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray(), StringComparer.Ordinal));
    }

    /// <summary>400 with <c>errors</c>: field → messages.</summary>
    public static ValidationProblem Validation(IDictionary<string, string[]> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (errors.Count == 0) throw new ArgumentException("A validation problem needs at least one error.", nameof(errors));
        return TypedResults.ValidationProblem(errors, detail: ValidationDetail(errors.Keys));
    }

    /// <summary>
    /// 404. Also the answer for another organization's private resource, so a caller cannot learn that it
    /// exists (API.md); see <see cref="Auth.Caller.CanSee{T}(T, Func{T, Guid})"/>.
    /// </summary>
    public static ProblemHttpResult NotFound(string? detail = null) =>
        TypedResults.Problem(detail ?? "The resource does not exist.", statusCode: StatusCodes.Status404NotFound);

    /// <summary>
    /// 409 for a request the resource's current state does not allow. <paramref name="currentState"/>
    /// (serialized as <c>currentState</c>) tells the client what the resource looks like now; <paramref name="code"/>
    /// says which kind of conflict (<see cref="ProblemCode.InvalidState"/> unless it is a duplicate or a concurrent change).
    /// </summary>
    public static ProblemHttpResult Conflict(string detail, object? currentState = null, string code = ProblemCode.InvalidState)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(detail);
        var extensions = new Dictionary<string, object?> { [ProblemCode.Member] = code };
        if (currentState is not null) extensions["currentState"] = currentState;
        return TypedResults.Problem(detail, statusCode: StatusCodes.Status409Conflict, extensions: extensions);
    }

    /// <summary>Any other status (e.g. 422, 503) with the same document shape; the code follows the status unless given.</summary>
    public static ProblemHttpResult Status(int statusCode, string detail, string? code = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(detail);
        if (statusCode is < 400 or > 599) throw new ArgumentOutOfRangeException(nameof(statusCode), statusCode, "A problem has a 4xx or 5xx status.");
        return TypedResults.Problem(detail, statusCode: statusCode,
            extensions: code is null ? null : new Dictionary<string, object?> { [ProblemCode.Member] = code });
    }

    internal static string ValidationDetail(IEnumerable<string> fields) =>
        $"The request has invalid fields: {string.Join(", ", fields)}. See 'errors'.";
}
