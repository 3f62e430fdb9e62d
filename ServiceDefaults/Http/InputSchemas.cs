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
    public static Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
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
        return Task.CompletedTask;
    }
}
