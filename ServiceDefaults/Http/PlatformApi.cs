using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Platform.ServiceDefaults.Http;

/// <summary>
/// A request record's own cross-field rules (one field required when another is set, a range whose end follows
/// its start), answered 400 with every failing field before the handler runs. Single-field rules (required, length,
/// range, enum names, dates) are not written here: <see cref="PlatformJson"/> enforces them while reading the body.
/// </summary>
/// <example>
/// <code>
/// public sealed record PlanEventRequest(...) : IValidatedRequest
/// {
///     public IEnumerable&lt;(string Field, string Message)&gt; Validate()
///     {
///         if (EndsAt &lt;= StartsAt) yield return ("endsAt", "Must be after startsAt.");
///     }
/// }
/// </code>
/// </example>
public interface IValidatedRequest
{
    /// <summary>Each failing field (camelCase JSON path) with its reason; nothing when the request is valid.</summary>
    IEnumerable<(string Field, string Message)> Validate();
}

/// <summary>The one place a service's public API is rooted: <c>/api/v1</c>, with request validation for every endpoint.</summary>
public static class PlatformApi
{
    public const string Prefix = "/api/v1";

    /// <summary>
    /// The <c>/api/v1</c> group a service maps its feature groups on. Every body or parameter implementing
    /// <see cref="IValidatedRequest"/> is checked before the handler runs.
    /// </summary>
    /// <example>
    /// <code>
    /// var api = app.MapPlatformApi();
    /// api.MapPrograms();    // programs.MapPost("/{programId:guid}/launch", LaunchAsync).WithName("launchProgram") ...
    /// </code>
    /// </example>
    public static RouteGroupBuilder MapPlatformApi(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        return app.MapGroup(Prefix).AddEndpointFilterFactory(ValidateRequests);
    }

    private static EndpointFilterDelegate ValidateRequests(EndpointFilterFactoryContext context, EndpointFilterDelegate next)
    {
        var validated = context.MethodInfo.GetParameters()
            .Select((parameter, index) => (parameter, index))
            .Where(p => typeof(IValidatedRequest).IsAssignableFrom(p.parameter.ParameterType))
            .Select(p => p.index)
            .ToArray();
        if (validated.Length == 0) return next;
        return async invocation =>
        {
            List<(string Field, string Message)> errors = [];
            foreach (var index in validated)
            {
                if (invocation.Arguments[index] is IValidatedRequest request) errors.AddRange(request.Validate());
            }
            return errors.Count > 0 ? Problems.Validation([.. errors]) : await next(invocation);
        };
    }

    /// <summary>The handler parameter a route or query value was bound to, to explain a binding failure.</summary>
    internal static ParameterInfo? FindParameter(Endpoint? endpoint, string name) =>
        endpoint?.Metadata.GetMetadata<MethodInfo>()?.GetParameters().FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.Ordinal));
}
