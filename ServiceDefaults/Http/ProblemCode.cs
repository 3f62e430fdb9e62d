namespace Platform.ServiceDefaults.Http;

/// <summary>
/// The stable, machine-readable <c>code</c> every problem document carries: one per kind of error, so a client
/// branches on it instead of on the English <c>detail</c>. Codes are never renamed; new kinds may be added, so a client
/// treats an unknown code by its <c>status</c>.
/// </summary>
public static class ProblemCode
{
    /// <summary>400 with <c>errors</c>: fields that failed validation.</summary>
    public const string ValidationFailed = "validationFailed";
    /// <summary>400 without field errors (e.g. an unreadable form).</summary>
    public const string BadRequest = "badRequest";
    public const string Unauthenticated = "unauthenticated";
    public const string Forbidden = "forbidden";
    public const string NotFound = "notFound";
    public const string MethodNotAllowed = "methodNotAllowed";
    public const string NotAcceptable = "notAcceptable";
    public const string RequestTimeout = "requestTimeout";
    /// <summary>409: the resource's current state does not allow the request (see <c>currentState</c>).</summary>
    public const string InvalidState = "invalidState";
    /// <summary>409: the thing to create exists already (a credit code, a membership, a registration's email).</summary>
    public const string AlreadyExists = "alreadyExists";
    /// <summary>409: another request changed the resource meanwhile; read it again and retry.</summary>
    public const string ConcurrentChange = "concurrentChange";
    /// <summary>409: a request with the same Idempotency-Key is still being processed (Retry-After).</summary>
    public const string RequestInFlight = "requestInFlight";
    public const string PreconditionFailed = "preconditionFailed";
    public const string PayloadTooLarge = "payloadTooLarge";
    public const string UriTooLong = "uriTooLong";
    public const string UnsupportedMediaType = "unsupportedMediaType";
    /// <summary>422: the Idempotency-Key was used before with a different request.</summary>
    public const string IdempotencyKeyReused = "idempotencyKeyReused";
    public const string Unprocessable = "unprocessable";
    public const string RateLimited = "rateLimited";
    public const string HeadersTooLarge = "headersTooLarge";
    public const string InternalError = "internalError";
    public const string BadGateway = "badGateway";
    /// <summary>503: a dependency (database, broker, another service) cannot answer now (Retry-After where known).</summary>
    public const string Unavailable = "unavailable";
    public const string GatewayTimeout = "gatewayTimeout";
    /// <summary>Any other status.</summary>
    public const string Error = "error";

    /// <summary>Every code, as documented in the OpenAPI documents.</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        ValidationFailed, BadRequest, Unauthenticated, Forbidden, NotFound, MethodNotAllowed, NotAcceptable, RequestTimeout,
        InvalidState, AlreadyExists, ConcurrentChange, RequestInFlight, PreconditionFailed, PayloadTooLarge, UriTooLong,
        UnsupportedMediaType, IdempotencyKeyReused, Unprocessable, RateLimited, HeadersTooLarge, InternalError, BadGateway,
        Unavailable, GatewayTimeout, Error,
    ];

    /// <summary>The extension member's name in a problem document.</summary>
    public const string Member = "code";

    /// <summary>The code of a problem whose producer named none: by its status (and, for 400, whether fields are named).</summary>
    public static string ForStatus(int status, bool hasFieldErrors = false) => status switch
    {
        400 => hasFieldErrors ? ValidationFailed : BadRequest,
        401 => Unauthenticated,
        403 => Forbidden,
        404 => NotFound,
        405 => MethodNotAllowed,
        406 => NotAcceptable,
        408 => RequestTimeout,
        409 => InvalidState,
        412 => PreconditionFailed,
        413 => PayloadTooLarge,
        414 => UriTooLong,
        415 => UnsupportedMediaType,
        422 => Unprocessable,
        429 => RateLimited,
        431 => HeadersTooLarge,
        500 => InternalError,
        502 => BadGateway,
        503 => Unavailable,
        504 => GatewayTimeout,
        _ => Error,
    };
}
