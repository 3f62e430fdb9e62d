using System.Net.Mime;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.DependencyInjection;
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
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = $"Consortium Platform — {serviceName}",
                    Version = DocumentName,
                    Description = "Conventions (auth, errors, lists, idempotency, rate limits) are the same in every service: see API.md.",
                };
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                document.Components.SecuritySchemes[ApiKeyDefaults.Scheme] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.ApiKey,
                    In = ParameterLocation.Header,
                    Name = ApiKeyDefaults.HeaderName,
                    Description = "The operator key, or a partner key issued by the operator for one organization with scopes.",
                };
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
        var problem = await SchemaReferenceAsync(document, context, typeof(ProblemDetails), cancellationToken);
        var validationProblem = await SchemaReferenceAsync(document, context, typeof(HttpValidationProblemDetails), cancellationToken);
        operation.Responses ??= new OpenApiResponses();
        operation.Parameters ??= [];

        var isPost = string.Equals(context.Description.HttpMethod, HttpMethods.Post, StringComparison.OrdinalIgnoreCase);
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

        AddProblem(operation, "400", "Invalid request: `errors` maps each field to its messages.", validationProblem);
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
            AddProblem(operation, "409", "A conflicting state, or a request with this Idempotency-Key is still in flight.", problem);
            AddProblem(operation, "422", "This Idempotency-Key was used with a different request.", problem);
        }
        AddProblem(operation, "429", "Rate limit of this API key exceeded; see `Retry-After`.", problem);
        AddProblem(operation, "500", "Unexpected error; quote `traceId` when reporting it.", problem);
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

    /// <summary>A component schema generated from the type (once per document), referenced by name.</summary>
    private static async Task<IOpenApiSchema> SchemaReferenceAsync(OpenApiDocument document, OpenApiOperationTransformerContext context, Type type, CancellationToken cancellationToken)
    {
        var name = type.Name;
        // An endpoint's own .ProducesProblem() may have registered the component already, without traceId.
        if (document.Components?.Schemas?.TryGetValue(name, out var existing) == true)
        {
            if (existing is OpenApiSchema known) AddTraceId(known);
        }
        else
        {
            var schema = await context.GetOrCreateSchemaAsync(type, cancellationToken: cancellationToken);
            AddTraceId(schema);
            document.AddComponent(name, schema);
        }
        return new OpenApiSchemaReference(name, document);

        // Added by ProblemDocumentWriter to every problem; not a member of the .NET type.
        static void AddTraceId(OpenApiSchema schema)
        {
            schema.Properties ??= new Dictionary<string, IOpenApiSchema>();
            schema.Properties["traceId"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "The request's trace id; quote it when reporting a problem." };
        }
    }
}
