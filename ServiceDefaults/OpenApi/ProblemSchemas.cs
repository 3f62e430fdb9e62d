using System.Text.Json.Nodes;
using Microsoft.OpenApi;
using Platform.ServiceDefaults.Http;

namespace Platform.ServiceDefaults.OpenApi;

/// <summary>
/// The three problem documents every service answers with (RFC 9457, written by ProblemDocumentWriter), as
/// components: <c>Problem</c>, <c>ValidationProblem</c> (with <c>errors</c>) and <c>ConflictProblem</c> (with
/// <c>currentState</c>). <c>detail</c> is marked as the error message, so a generated client's exception reads it.
/// </summary>
internal static class ProblemSchemas
{
    public const string Problem = "Problem";
    public const string ValidationProblem = "ValidationProblem";
    public const string ConflictProblem = "ConflictProblem";

    /// <summary>A reference to the named problem schema, added to the document's components on first use.</summary>
    public static IOpenApiSchema Reference(OpenApiDocument document, string name)
    {
        document.Components ??= new OpenApiComponents();
        document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        if (!document.Components.Schemas.ContainsKey(name)) document.AddComponent(name, Build(name));
        return new OpenApiSchemaReference(name, document);
    }

    private static OpenApiSchema Build(string name)
    {
        var schema = new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Description = name switch
            {
                ValidationProblem => "A request with invalid fields (400).",
                ConflictProblem => "A request the resource's current state does not allow (409).",
                _ => "An error (RFC 9457 problem details).",
            },
            Properties = new Dictionary<string, IOpenApiSchema>
            {
                ["type"] = new OpenApiSchema { Type = JsonSchemaType.String, Format = "uri", Description = "The RFC section of the status." },
                ["title"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "The status's reason phrase." },
                ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32" },
                ["detail"] = new OpenApiSchema
                {
                    Type = JsonSchemaType.String,
                    Description = "What went wrong, for a person to read.",
                    // Kiota makes this the exception's Message.
                    Extensions = new Dictionary<string, IOpenApiExtension> { ["x-ms-primary-error-message"] = new JsonNodeExtension(JsonValue.Create(true)) },
                },
                ["instance"] = new OpenApiSchema { Type = JsonSchemaType.String },
                ["code"] = new OpenApiSchema
                {
                    Type = JsonSchemaType.String,
                    // Not an enum: a generated client must not break when a kind of error is added.
                    Description = "The kind of error, stable across versions (branch on this, not on `detail`); unknown codes are handled by `status`. One of: "
                        + string.Join(", ", ProblemCode.All.Select(c => $"`{c}`")) + ".",
                },
                ["traceId"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "The request's trace id; quote it when reporting a problem." },
            },
            Required = new HashSet<string> { "type", "title", "status", "detail", "code" },
        };
        if (name == ValidationProblem)
        {
            schema.Properties["errors"] = new OpenApiSchema
            {
                Type = JsonSchemaType.Object,
                Description = "Each invalid field (camelCase JSON path, e.g. `events[3].type`) with its messages.",
                AdditionalProperties = new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.String } },
            };
            schema.Required.Add("errors");
        }
        if (name == ConflictProblem)
        {
            schema.Properties["currentState"] = new OpenApiSchema
            {
                Type = JsonSchemaType.Object,
                Description = "The resource as it is now: at least its `status`; absent when the conflict is an Idempotency-Key still in flight.",
                Properties = new Dictionary<string, IOpenApiSchema> { ["status"] = new OpenApiSchema { Type = JsonSchemaType.String } },
                AdditionalProperties = new OpenApiSchema(),
            };
        }
        return schema;
    }
}
