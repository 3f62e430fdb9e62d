using System.Collections.Concurrent;
using System.Text.Json;

namespace Platform.ServiceDefaults.Http;

/// <summary>
/// Enums as the API spells them: camelCase strings (<c>viceChair</c>, <c>technicianCollege</c>), in JSON bodies
/// (PlatformJson does that), in query strings and routes (minimal APIs would want <c>ViceChair</c>), and in
/// integration events (which carry strings, so a consumer built against an older contract still reads a value
/// added later).
/// </summary>
/// <example>
/// <code>
/// app.MapGet("/members", (string? role) => { var parsed = ApiEnum.FromQuery&lt;CouncilRole&gt;(role, "role"); ... });
/// db.AddIntegrationEvent(new CouncilRoleAssigned { Role = ApiEnum.Name(designation.Role), ... });
/// </code>
/// </example>
public static class ApiEnum
{
    private static readonly ConcurrentDictionary<Type, IReadOnlyDictionary<string, object>> ByName = new();

    /// <summary>The API spelling of <paramref name="value"/>.</summary>
    public static string Name<TEnum>(TEnum value) where TEnum : struct, Enum => JsonNamingPolicy.CamelCase.ConvertName(value.ToString());

    /// <summary>Every API spelling of <typeparamref name="TEnum"/>, in declaration order.</summary>
    public static IReadOnlyList<string> Names<TEnum>() where TEnum : struct, Enum => [.. Enum.GetValues<TEnum>().Select(Name)];

    /// <summary>Parses the exact API spelling (no numbers, no other casing).</summary>
    public static bool TryParse<TEnum>(string? text, out TEnum value) where TEnum : struct, Enum
    {
        var names = ByName.GetOrAdd(typeof(TEnum), _ => Enum.GetValues<TEnum>().ToDictionary(Name, v => (object)v, StringComparer.Ordinal));
        if (text is not null && names.TryGetValue(text, out var found))
        {
            value = (TEnum)found;
            return true;
        }
        value = default;
        return false;
    }

    /// <summary>
    /// A query-string filter: null when absent or empty; an unknown value is answered 400 with
    /// <paramref name="field"/> and the allowed values.
    /// </summary>
    public static TEnum? FromQuery<TEnum>(string? text, string field) where TEnum : struct, Enum
    {
        if (string.IsNullOrEmpty(text)) return null;
        if (TryParse<TEnum>(text, out var value)) return value;
        throw new RequestValidationException(field, $"'{text}' is not one of {string.Join(", ", Names<TEnum>())}.");
    }
}
