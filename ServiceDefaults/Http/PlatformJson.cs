using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Platform.ServiceDefaults.Http;

/// <summary>
/// The JSON conventions of every public API (API.md): camelCase members, enums as camelCase strings
/// (<c>"viceChair"</c>, never integers), ISO 8601 times (System.Text.Json's default for
/// <see cref="DateTimeOffset"/>), and strict reading so a wrong type is a 400, not a silent coercion. Reading also
/// enforces the input rules (<see cref="RequestJsonRules"/>): text without control characters, size caps, no null
/// array elements, exact enum spellings, plausible dates.
/// </summary>
public static class PlatformJson
{
    /// <summary>
    /// Read-only options with the platform conventions, for code outside the HTTP pipeline (tests, clients): exact enum
    /// spellings, but not the request-body input rules (a client reads long charter texts and old dates back).
    /// </summary>
    public static JsonSerializerOptions Options { get; } = CreateOptions();

    /// <summary>Applies the platform conventions to <paramref name="options"/> (the minimal-API options start from the web defaults).</summary>
    public static void Apply(JsonSerializerOptions options) => Apply(options, inputRules: true);

    /// <param name="inputRules">The request-body rules (text, caps, plausible dates): for reading what clients send, not what the platform answers.</param>
    private static void Apply(JsonSerializerOptions options, bool inputRules)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        // Web defaults read "12" as 12; a partner sending a string for a number has a bug we should report.
        options.NumberHandling = JsonNumberHandling.Strict;
        // null for a non-nullable member and a missing constructor argument are client errors (400), not nulls in our domain.
        options.RespectNullableAnnotations = true;
        options.RespectRequiredConstructorParameters = true;
        if (options.Converters.OfType<StrictEnumConverterFactory>().Any()) return;
        // Exact API spelling only: JsonStringEnumConverter also reads "ViceChair", "VICECHAIR " and OR-ed comma lists.
        options.Converters.Add(new StrictEnumConverterFactory());
        if (!inputRules) return;
        foreach (var converter in PlausibleDateConverters.All) options.Converters.Add(converter);
        // Text, array and number rules of every request record, enforced while the body is read (RequestJsonRules).
        options.TypeInfoResolver = (options.TypeInfoResolver ?? new DefaultJsonTypeInfoResolver()).WithAddedModifier(RequestJsonRules.Modify);
    }

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        Apply(options, inputRules: false);
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
