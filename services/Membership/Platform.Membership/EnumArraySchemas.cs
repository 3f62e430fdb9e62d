using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Platform.Membership;

/// <summary>
/// Arrays of enums (<c>scopes</c>, <c>allowedActions</c>) as arrays of the enum's component. The generator drops their
/// <c>items</c> when the enum has the platform's own JSON converter, and a client would see an array of anything.
/// </summary>
/// <remarks>A workaround for ServiceDefaults' schema transformer (issue 12); remove once it describes enum arrays.</remarks>
internal static class EnumArraySchemas
{
    public static void AddEnumArraySchemas(this IServiceCollection services) =>
        services.Configure<OpenApiOptions>("v1", options => options.AddSchemaTransformer(TransformAsync).AddDocumentTransformer(ReferToEnums));

    private static async Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        if (schema.Items is not null || context.JsonTypeInfo.ElementType is not { } element || context.Document is not { } document) return;
        element = Nullable.GetUnderlyingType(element) ?? element;
        if (!element.IsEnum) return;
        if (document.Components?.Schemas?.ContainsKey(element.Name) != true)
            document.AddComponent(element.Name, await context.GetOrCreateSchemaAsync(element, cancellationToken: cancellationToken));
        schema.Items = await context.GetOrCreateSchemaAsync(element, cancellationToken: cancellationToken);
    }

    // Items added above are inline copies; a reference gives clients one named enum type (ApiScope, not one per property).
    private static Task ReferToEnums(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        var schemas = document.Components?.Schemas;
        if (schemas is null) return Task.CompletedTask;
        var enums = schemas.Where(s => s.Value.Enum is { Count: > 0 }).ToList();
        foreach (var property in schemas.Values.OfType<OpenApiSchema>().SelectMany(s => s.Properties?.Values ?? []).OfType<OpenApiSchema>())
        {
            if (property.Items is not OpenApiSchema { Enum: { Count: > 0 } values }) continue;
            var named = enums.FirstOrDefault(e => e.Value.Enum!.Select(v => v.ToJsonString()).SequenceEqual(values.Select(v => v.ToJsonString())));
            if (named.Key is not null) property.Items = new OpenApiSchemaReference(named.Key, document);
        }
        return Task.CompletedTask;
    }
}
