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
        else if (type == typeof(DateTimeOffset) || type == typeof(DateTime) || type == typeof(DateOnly))
        {
            schema.Type = JsonSchemaType.String | nullable;
            schema.Format = type == typeof(DateOnly) ? "date" : "date-time";
            schema.Description ??= $"From {PlausibleDates.Any.From:yyyy-MM-dd} to {PlausibleDates.Any.To:yyyy-MM-dd}.";
        }
    }

    /// <summary>
    /// Array items the generator wrote as an inline copy of an enum (<c>scopes</c>) refer to the enum's component
    /// instead, so a client gets one named enum type, not one per property.
    /// </summary>
    public static void ReferToEnumComponents(OpenApiDocument document)
    {
        var schemas = document.Components?.Schemas;
        if (schemas is null) return;
        var enums = schemas.Where(s => s.Value.Enum is { Count: > 0 }).ToList();
        foreach (var property in schemas.Values.OfType<OpenApiSchema>().SelectMany(s => s.Properties?.Values ?? []).OfType<OpenApiSchema>())
        {
            if (property.Items is not OpenApiSchema { Enum: { Count: > 0 } values }) continue;
            var named = enums.FirstOrDefault(e => e.Value.Enum!.Select(v => v?.ToJsonString()).SequenceEqual(values.Select(v => v?.ToJsonString())));
            if (named.Key is not null) property.Items = new OpenApiSchemaReference(named.Key, document);
        }
    }
}
