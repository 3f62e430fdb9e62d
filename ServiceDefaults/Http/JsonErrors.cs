using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using System.Text.RegularExpressions;

namespace Platform.ServiceDefaults.Http;

/// <summary>
/// Turns a <see cref="JsonException"/> from reading a request body into field → messages for a 400, with
/// the field as a camelCase path (<c>kind</c>, <c>events[3].type</c>; <c>$</c> for the body as a whole).
/// Messages name what was expected (a type, the allowed enum values), never .NET type names.
/// </summary>
internal static partial class JsonErrors
{
    public const string Body = "$";

    public static Dictionary<string, string[]> Describe(JsonException exception, Type? bodyType, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var path = exception.Path ?? Body;
        var field = ToField(path);

        if (exception is InputRuleException rules)
            return rules.Errors.GroupBy(e => JoinRelative(field, e.Field), StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray(), StringComparer.Ordinal);

        // The reader refuses invalid UTF-8 and escaped lone surrogates ("\ud800") when it decodes a string.
        if (exception.InnerException is InvalidOperationException invalid
            && (invalid.Message.Contains("UTF", StringComparison.Ordinal) || invalid.Message.Contains("surrogate", StringComparison.OrdinalIgnoreCase)))
            return new() { [field] = ["Not valid text: invalid UTF-8 or half of a UTF-16 surrogate pair."] };

        // Syntax errors come from the reader: System.Text.Json wraps its reader's exception.
        if (exception.InnerException is JsonException)
        {
            var where = exception.LineNumber is { } line ? $" (line {line + 1}, position {exception.BytePositionInLine + 1})" : "";
            return new() { [Body] = [$"The request body is not valid JSON{where}."] };
        }

        // The exception does not carry the names of missing members; its message does, quoted.
        var missingAt = exception.Message.IndexOf("missing required properties", StringComparison.Ordinal);
        if (missingAt >= 0)
        {
            var names = QuotedName().Matches(exception.Message[missingAt..]).Select(m => m.Groups[1].Value).ToList();
            if (names.Count > 0)
                return names.ToDictionary(name => Join(field, name), _ => new[] { "This field is required." }, StringComparer.Ordinal);
            return new() { [field] = ["Required fields are missing."] };
        }

        if (exception.Message.Contains("null value", StringComparison.Ordinal) || exception.Message.Contains("setting null", StringComparison.Ordinal))
            return new() { [field] = ["This field must not be null."] };

        var target = bodyType is null ? null : TypeAt(bodyType, path, options);
        return new() { [field] = [target is null ? "The value is not valid." : $"Expected {Describe(target, options)}."] };
    }

    /// <summary><c>$.events[3].type</c> → <c>events[3].type</c>; <c>$</c> stays <c>$</c>.</summary>
    public static string ToField(string path) =>
        path == "$" || path.Length == 0 ? Body : path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');

    private static string Join(string parent, string name) => parent == Body ? name : $"{parent}.{name}";

    /// <summary><c>events[3]</c> + <c>type</c> → <c>events[3].type</c>; + <c>roles[0]</c>; + <c>""</c> → itself.</summary>
    private static string JoinRelative(string parent, string relative) =>
        relative.Length == 0 ? parent : parent == Body ? relative : relative[0] == '[' ? parent + relative : $"{parent}.{relative}";

    /// <summary>Follows a JSON path through the serializer's own contract (so naming policies apply) to the member's type.</summary>
    private static Type? TypeAt(Type root, string path, JsonSerializerOptions options)
    {
        var type = root;
        foreach (Match segment in PathSegment().Matches(path))
        {
            var info = options.GetTypeInfo(Nullable.GetUnderlyingType(type) ?? type);
            if (segment.Groups["index"].Success)
            {
                type = info.ElementType;
            }
            else
            {
                var name = segment.Groups["name"].Success ? segment.Groups["name"].Value : segment.Groups["quoted"].Value;
                var comparison = options.PropertyNameCaseInsensitive ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
                type = info.Kind == JsonTypeInfoKind.Dictionary
                    ? info.ElementType
                    : info.Properties.FirstOrDefault(p => string.Equals(p.Name, name, comparison))?.PropertyType;
            }
            if (type is null) return null;
        }
        return type;
    }

    private static string Describe(Type type, JsonSerializerOptions options)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type.IsEnum)
            return "one of " + string.Join(", ", EnumNames(type).Select(n => $"'{n}'"));
        if (type == typeof(string)) return "a string";
        if (type == typeof(bool)) return "true or false";
        if (type == typeof(Guid)) return "a UUID string";
        if (type == typeof(DateTimeOffset)) return "an ISO 8601 date-time with offset, e.g. '2025-05-01T09:30:00+08:00'";
        if (type == typeof(DateTime)) return "an ISO 8601 date-time, e.g. '2025-05-01T09:30:00Z'";
        if (type == typeof(DateOnly)) return "an ISO 8601 date, e.g. '2025-05-01'";
        if (type == typeof(TimeOnly)) return "a time of day, e.g. '09:30:00'";
        if (type == typeof(TimeSpan)) return "a duration, e.g. '01:30:00'";
        if (type == typeof(byte) || type == typeof(sbyte) || type == typeof(short) || type == typeof(ushort) || type == typeof(int)
            || type == typeof(uint) || type == typeof(long) || type == typeof(ulong))
            return "an integer";
        if (type == typeof(float) || type == typeof(double) || type == typeof(decimal)) return "a number";
        return options.GetTypeInfo(type).Kind switch
        {
            JsonTypeInfoKind.Enumerable => "an array",
            JsonTypeInfoKind.Object or JsonTypeInfoKind.Dictionary => "an object",
            _ => "a value of another type",
        };
    }

    /// <summary>The names <see cref="JsonStringEnumConverter"/> with the camelCase policy reads and writes.</summary>
    internal static IEnumerable<string> EnumNames(Type enumType) =>
        enumType.GetFields(BindingFlags.Public | BindingFlags.Static).Select(field =>
            field.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name ?? JsonNamingPolicy.CamelCase.ConvertName(field.Name));

    [GeneratedRegex("'([^']*)'")]
    private static partial Regex QuotedName();

    // $.a.b[3]['odd name']
    [GeneratedRegex(@"\.(?<name>[^.\[]+)|\[(?<index>\d+)\]|\['(?<quoted>(?:[^']|'')*)'\]")]
    private static partial Regex PathSegment();
}

/// <summary>
/// A client error found while binding a request (e.g. <c>?limit=</c>, <c>?cursor=</c>), answered as a
/// validation problem by the exception handler. Handlers return <see cref="Problems.Validation(ValueTuple{string, string}[])"/> instead.
/// </summary>
internal sealed class RequestValidationException(string field, string message) : Exception($"{field}: {message}")
{
    public Dictionary<string, string[]> Errors { get; } = new(StringComparer.Ordinal) { [field] = [message] };
}
