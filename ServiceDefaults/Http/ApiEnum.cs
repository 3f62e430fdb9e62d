using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Platform.ServiceDefaults.Http;

/// <summary>
/// Enums as the API spells them: camelCase strings (<c>viceChair</c>, <c>technicianCollege</c>), in JSON bodies
/// (PlatformJson does that), in query strings and routes (minimal APIs would want <c>ViceChair</c>), and in
/// integration events (which carry strings, so a consumer built against an older contract still reads a value
/// added later).
/// </summary>
/// <example>
/// <code>
/// api.MapGet("/members", (ApiEnum&lt;CouncilRole&gt;? role) => ... role?.Value ...);
/// db.AddIntegrationEvent(new CouncilRoleAssigned { Role = ApiEnum.Name(designation.Role), ... });
/// </code>
/// </example>
public static class ApiEnum
{
    private static readonly ConcurrentDictionary<Type, IReadOnlyDictionary<string, object>> ByName = new();

    /// <summary>The API spelling of <paramref name="value"/>.</summary>
    /// <remarks>camelCase of the member's name, unless it carries <see cref="JsonStringEnumMemberNameAttribute"/> (e.g. <c>"membership:read"</c>).</remarks>
    public static string Name<TEnum>(TEnum value) where TEnum : struct, Enum =>
        typeof(TEnum).GetField(value.ToString())?.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name
        ?? JsonNamingPolicy.CamelCase.ConvertName(value.ToString());

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
}

/// <summary>
/// An enum in a query string or route, spelled as the API spells it (<c>?role=viceChair</c>). Minimal APIs would
/// bind a bare enum case-sensitively by its C# name and accept numbers; this binds the API names only, and the
/// OpenAPI document shows it as a string enum. An unknown value is answered 400 naming the parameter and the
/// allowed values (<see cref="ClientErrorExceptionHandler"/>).
/// </summary>
public readonly record struct ApiEnum<TEnum>(TEnum Value) where TEnum : struct, Enum
{
    public static bool TryParse(string? text, out ApiEnum<TEnum> result)
    {
        var parsed = ApiEnum.TryParse<TEnum>(text, out var value);
        result = new ApiEnum<TEnum>(value);
        return parsed;
    }

    public static implicit operator TEnum(ApiEnum<TEnum> value) => value.Value;

    public override string ToString() => ApiEnum.Name(Value);
}
