using System.Net.Mime;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using Platform.ServiceDefaults.Auth;
using Platform.ServiceDefaults.Http;

namespace Platform.ServiceDefaults.OpenApi;

/// <summary>
/// The OpenAPI document (<c>/openapi/v1.json</c>) describes what ServiceDefaults adds to every endpoint, so
/// handlers only declare their own results: the <c>X-Api-Key</c> security scheme and requirement, the
/// required scope, the problem responses (400/401/403/409/413/415/422/429/500), <c>Idempotency-Key</c> on
/// POST, and <c>limit</c>/<c>cursor</c> on lists.
/// </summary>
internal static class OpenApiSetup
{
    public const string DocumentName = "v1";
    public const string DocumentPath = "/openapi/v1.json";

    public static IServiceCollection AddPlatformOpenApi(this IServiceCollection services, string serviceName)
    {
        services.AddOpenApi(DocumentName, options =>
        {
            options.AddDocumentTransformer((document, context, _) =>
            {
                var api = context.ApplicationServices.GetRequiredService<IOptions<ApiDocumentOptions>>().Value;
                document.Info = new OpenApiInfo
                {
                    Title = $"Consortium Platform — {serviceName}",
                    Version = DocumentName,
                    Description = "Conventions (auth, errors, lists, idempotency, rate limits) are the same in every service: see API.md.",
                    Contact = new OpenApiContact { Name = "Consortium Platform secretariat", Email = api.ContactEmail },
                    License = new OpenApiLicense { Name = "MIT", Identifier = "MIT" },
                };
                // Not the request's host: behind a proxy that is an internal address. A client sets its base address.
                document.Servers = [new OpenApiServer
                {
                    Url = api.PublicUrl?.TrimEnd('/') is { Length: > 0 } url ? url : "/",
                    Description = api.PublicUrl is null ? "This service, wherever it is served from: set the client's base address (e.g. http://127.0.0.1:5101)." : null,
                }];
                document.Tags = new HashSet<OpenApiTag>(
                    (document.Tags ?? new HashSet<OpenApiTag>()).Select(tag => new OpenApiTag { Name = tag.Name, Description = api.Tags.GetValueOrDefault(tag.Name!) ?? tag.Description }),
                    OpenApiTagComparer.Instance);
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                document.Components.SecuritySchemes[ApiKeyDefaults.Scheme] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.ApiKey,
                    In = ParameterLocation.Header,
                    Name = ApiKeyDefaults.HeaderName,
                    Description = "The operator key, or a partner key issued by the operator for one organization with scopes.",
                };
                // Every problem response refers to ProblemSchemas; the framework's own components would be unused.
                document.Components.Schemas?.Remove(nameof(ProblemDetails));
                document.Components.Schemas?.Remove(nameof(HttpValidationProblemDetails));
                InputSchemas.ReferToEnumComponents(document);
                return Task.CompletedTask;
            });
            options.AddOperationTransformer(DescribeConventionsAsync);
            options.AddSchemaTransformer(InputSchemas.TransformAsync);
        });
        return services;
    }

    private static async Task DescribeConventionsAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        var document = context.Document ?? throw new InvalidOperationException("The OpenAPI operation has no document.");
        var problem = ProblemSchemas.Reference(document, ProblemSchemas.Problem);
        var validationProblem = ProblemSchemas.Reference(document, ProblemSchemas.ValidationProblem);
        var conflictProblem = ProblemSchemas.Reference(document, ProblemSchemas.ConflictProblem);
        operation.Responses ??= new OpenApiResponses();
        operation.Parameters ??= [];

        var method = context.Description.HttpMethod ?? HttpMethods.Get;
        var isPost = HttpMethods.IsPost(method);
        var changesState = !HttpMethods.IsGet(method) && !HttpMethods.IsHead(method);
        var anonymous = metadata.OfType<IAllowAnonymous>().Any();
        if (!anonymous)
        {
            operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(ApiKeyDefaults.Scheme, document)] = [] }];
            AddProblem(operation, "401", "No API key, or an unknown or revoked one.", problem);
            var scopes = metadata.OfType<AuthorizationPolicy>()
                .SelectMany(policy => policy.Requirements.OfType<ScopeRequirement>())
                .Select(requirement => requirement.Scope).Distinct().ToList();
            if (scopes.Count > 0)
            {
                var required = string.Join(", ", scopes.Select(s => $"`{s}`"));
                operation.Description = string.IsNullOrEmpty(operation.Description)
                    ? $"Requires scope {required}."
                    : $"{operation.Description}\n\nRequires scope {required}.";
                AddProblem(operation, "403", $"The API key lacks scope {required}.", problem);
            }
            if (metadata.OfType<AuthorizationPolicy>().Any(policy => policy.Requirements.OfType<OperatorRequirement>().Any()))
            {
                operation.Description = string.IsNullOrEmpty(operation.Description)
                    ? "Operator key only."
                    : $"{operation.Description}\n\nOperator key only.";
                AddProblem(operation, "403", "Only the operator key may use this endpoint.", problem);
            }
        }

        // Problem responses an endpoint declared itself (.ProducesProblem, ValidationProblem) refer to the same schemas.
        foreach (var (status, response) in operation.Responses.Where(r => r.Key.Length == 3 && r.Key[0] is '4' or '5').ToList())
        {
            operation.Responses[status] = new OpenApiResponse
            {
                Description = response.Description is null or "Bad Request" or "Not Found" or "Conflict" or "Unauthorized" or "Forbidden" ? Describe(status) : response.Description,
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    [MediaTypeNames.Application.ProblemJson] = new() { Schema = status switch { "400" => validationProblem, "409" => conflictProblem, _ => problem } },
                },
            };
        }
        // A nullable body parameter comes out as oneOf [null, record]; generators read an optional body of the record better.
        if (operation.RequestBody is OpenApiRequestBody body)
        {
            foreach (var media in body.Content?.Values ?? [])
            {
                if (media.Schema is OpenApiSchema { OneOf: { Count: 2 } oneOf } && oneOf.Any(s => s is OpenApiSchema { Type: JsonSchemaType.Null })
                    && oneOf.OfType<OpenApiSchemaReference>().SingleOrDefault() is { } record)
                {
                    media.Schema = record;
                    body.Required = false;
                }
            }
        }
        AddProblem(operation, "400", Describe("400"), validationProblem);
        if (context.Description.ParameterDescriptions.Any(p => p.Source.Id == "Path"))
            AddProblem(operation, "404", Describe("404"), problem);
        if (changesState)
            AddProblem(operation, "409", Describe("409"), conflictProblem);
        if (metadata.OfType<PagedEndpoint>().Any()) AddPagingParameters(operation);
        if (context.Description.ParameterDescriptions.Any(p => p.Source.Id is "Body" or "Form"))
        {
            AddProblem(operation, "413", "The request body is too large.", problem);
            AddProblem(operation, "415", "The body's content type is not supported.", problem);
        }
        // Idempotency keys are scoped per caller, so they apply where a key is required.
        if (isPost && !anonymous)
        {
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = IdempotencyMiddleware.HeaderName,
                In = ParameterLocation.Header,
                Required = false,
                Description = "Makes a retry safe: a repeat with the same key and body returns the first response (with `Idempotency-Replayed: true`).",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String, MinLength = 1, MaxLength = IdempotencyMiddleware.MaxKeyLength },
            });
            AddProblem(operation, "422", "This Idempotency-Key was used with a different request.", problem);
        }
        AddProblem(operation, "429", "Rate limit of this API key exceeded; see `Retry-After`.", problem);
        AddProblem(operation, "500", "Unexpected error; quote `traceId` when reporting it.", problem);
        await DescribeEnumParametersAsync(operation, context, cancellationToken);
    }

    // ApiEnum<T> binds through its TryParse, so the generator shows a bare string; show the enum it accepts.
    private static async Task DescribeEnumParametersAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        foreach (var description in context.Description.ParameterDescriptions)
        {
            var type = Nullable.GetUnderlyingType(description.Type ?? typeof(object)) ?? description.Type;
            if (type is not { IsGenericType: true } || type.GetGenericTypeDefinition() != typeof(ApiEnum<>)) continue;
            if (operation.Parameters?.FirstOrDefault(p => p.Name == description.Name) is not OpenApiParameter parameter) continue;
            var enumType = type.GetGenericArguments()[0];
            var document = context.Document!;
            if (document.Components?.Schemas?.ContainsKey(enumType.Name) != true)
                document.AddComponent(enumType.Name, await context.GetOrCreateSchemaAsync(enumType, cancellationToken: cancellationToken));
            parameter.Schema = new OpenApiSchemaReference(enumType.Name, document);
        }
    }

    private static void AddPagingParameters(OpenApiOperation operation)
    {
        operation.Parameters!.Add(new OpenApiParameter
        {
            Name = "limit",
            In = ParameterLocation.Query,
            Description = $"Items per page, {PageRequest.DefaultLimit} by default.",
            Schema = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Minimum = "1", Maximum = PageRequest.MaxLimit.ToString(System.Globalization.CultureInfo.InvariantCulture) },
        });
        operation.Parameters.Add(new OpenApiParameter
        {
            Name = "cursor",
            In = ParameterLocation.Query,
            Description = "The `nextCursor` of the previous page; omit for the first page.",
            Schema = new OpenApiSchema { Type = JsonSchemaType.String },
        });
    }

    private static void AddProblem(OpenApiOperation operation, string status, string description, IOpenApiSchema schema)
    {
        if (operation.Responses!.ContainsKey(status)) return;
        operation.Responses[status] = new OpenApiResponse
        {
            Description = description,
            Content = new Dictionary<string, OpenApiMediaType>
            {
                [MediaTypeNames.Application.ProblemJson] = new() { Schema = schema },
            },
        };
    }

    private static string Describe(string status) => status switch
    {
        "400" => "Invalid request: `errors` maps each field to its messages.",
        "404" => "No such resource, or one this API key may not see.",
        "409" => "The resource's current state does not allow this (see `currentState`), or a request with this Idempotency-Key is still in flight.",
        _ => "Error.",
    };
}

/// <summary>How a service describes its API beyond what the endpoints say: tag descriptions, public address, contact.</summary>
public sealed class ApiDocumentOptions
{
    /// <summary>Tag name → what the group of operations is for, in the consortium's words.</summary>
    public Dictionary<string, string> Tags { get; } = new(StringComparer.Ordinal)
    {
        ["Caller"] = "Who the presented API key belongs to and what it may do.",
    };

    /// <summary>The address partners reach the service at (config <c>Platform:PublicUrl</c>); "/" (relative) when unset.</summary>
    public string? PublicUrl { get; set; }

    public string ContactEmail { get; set; } = "secretariat@consortium-platform.cn";
}

internal sealed class OpenApiTagComparer : IEqualityComparer<OpenApiTag>
{
    public static readonly OpenApiTagComparer Instance = new();
    public bool Equals(OpenApiTag? x, OpenApiTag? y) => string.Equals(x?.Name, y?.Name, StringComparison.Ordinal);
    public int GetHashCode(OpenApiTag obj) => StringComparer.Ordinal.GetHashCode(obj.Name ?? "");
}
