using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Platform.ServiceDefaults.Http;

/// <summary>
/// The OpenAPI schemas of what <see cref="PlatformJson"/> reads with its own converters (enums, dates), which the
/// schema generator cannot see through: enums as their exact API names, dates with their format and range.
/// </summary>
internal static class InputSchemas
{
    public static async Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        // The generator leaves an array of an enum read by our converter without items: refer to the enum's component.
        if (schema.Items is null && context.JsonTypeInfo.ElementType is { } element && (Nullable.GetUnderlyingType(element) ?? element) is { IsEnum: true } enumType
            && context.Document is { } document)
        {
            if (document.Components?.Schemas?.ContainsKey(enumType.Name) != true)
                document.AddComponent(enumType.Name, await context.GetOrCreateSchemaAsync(enumType, cancellationToken: cancellationToken));
            schema.Items = new OpenApiSchemaReference(enumType.Name, document);
            return;
        }

        var declared = context.JsonTypeInfo.Type;
        var type = Nullable.GetUnderlyingType(declared) ?? declared;
        var nullable = type != declared ? JsonSchemaType.Null : 0;
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(ApiEnum<>)) type = type.GetGenericArguments()[0];
        if (type.IsEnum)
        {
            // One component per enum, shared by nullable and non-nullable uses (a nullable property wraps it in
            // oneOf with null): no null among the values, which generators would turn into a junk member.
            schema.Type = JsonSchemaType.String;
            schema.Enum = [.. typeof(ApiEnum).GetMethod(nameof(ApiEnum.Names))!.MakeGenericMethod(type).Invoke(null, null) is IEnumerable<string> names
                ? names.Select(n => (JsonNode)JsonValue.Create(n)!) : []];
            schema.Properties?.Clear();
        }
        else if (schema.Type is null && Primitive(type) is { } primitive)
        {
            // An optional value member read through RequestJsonRules' null-as-not-given converter: the generator cannot see through it.
            (schema.Type, schema.Format) = primitive;
        }
        else if (type == typeof(DateTimeOffset) || type == typeof(DateTime) || type == typeof(DateOnly))
        {
            schema.Type = JsonSchemaType.String | nullable;
            schema.Format = type == typeof(DateOnly) ? "date" : "date-time";
            schema.Description ??= $"From {PlausibleDates.Any.From:yyyy-MM-dd} to {PlausibleDates.Any.To:yyyy-MM-dd}.";
        }
    }

    private static (JsonSchemaType, string?)? Primitive(Type type) =>
        type == typeof(bool) ? (JsonSchemaType.Boolean, null)
        : type == typeof(int) || type == typeof(short) || type == typeof(byte) ? (JsonSchemaType.Integer, "int32")
        : type == typeof(long) ? (JsonSchemaType.Integer, "int64")
        : type == typeof(double) || type == typeof(decimal) ? (JsonSchemaType.Number, "double")
        : type == typeof(float) ? (JsonSchemaType.Number, "float")
        : type == typeof(Guid) ? (JsonSchemaType.String, "uuid")
        : null;

    /// <summary>
    /// Properties and array items the generator wrote as an inline copy of an enum (<c>type</c>, <c>scopes</c>) refer
    /// to the enum's component instead, so a client gets one named enum type, not one per property.
    /// </summary>
    public static void ReferToEnumComponents(OpenApiDocument document)
    {
        var schemas = document.Components?.Schemas;
        if (schemas is null) return;
        var enums = schemas.Where(s => s.Value.Enum is { Count: > 0 }).ToList();
        string? Named(IOpenApiSchema? schema) => schema is OpenApiSchema { Enum: { Count: > 0 } values }
            ? enums.FirstOrDefault(e => e.Value.Enum!.Select(v => v?.ToJsonString()).SequenceEqual(values.Select(v => v?.ToJsonString()))).Key
            : null;
        foreach (var owner in schemas.Values.OfType<OpenApiSchema>())
        {
            if (owner.Properties is not { } properties) continue;
            foreach (var (name, property) in properties.ToList())
            {
                if (Named(property) is { } propertyEnum) properties[name] = new OpenApiSchemaReference(propertyEnum, document);
                else if (property is OpenApiSchema array && Named(array.Items) is { } itemEnum) array.Items = new OpenApiSchemaReference(itemEnum, document);
            }
        }
    }
}
