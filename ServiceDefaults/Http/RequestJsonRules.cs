using System.Collections;
using System.ComponentModel.DataAnnotations;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Platform.ServiceDefaults.Http;

/// <summary>
/// A rule of <see cref="RequestJsonRules"/> broken while reading a body: <see cref="Errors"/> are relative to the
/// object being read (its JSON path is <see cref="JsonException.Path"/>), so <see cref="JsonErrors"/> joins them.
/// </summary>
internal sealed class InputRuleException(IReadOnlyList<(string Field, string Message)> errors)
    : JsonException(string.Join(" ", errors.Select(e => $"{e.Field}: {e.Message}")))
{
    /// <summary>Field relative to the object (<c>""</c> for the value itself, <c>name</c>, <c>roles[0]</c>) → message.</summary>
    public IReadOnlyList<(string Field, string Message)> Errors { get; } = errors;
}

/// <summary>
/// The input rules of every request body, applied once to the JSON contract of every type (so every request record
/// of every service gets them without a line of its own): after an object is read, each of its members is checked —
/// text (<see cref="TextRules"/>, <see cref="MultiLineAttribute"/>, <c>[MaxLength]</c> or <see cref="InputLimits.Text"/>),
/// arrays (no null elements, <c>[MaxLength]</c> or <see cref="InputLimits.Items"/> elements, their texts), integers
/// (<c>[Range]</c>). Enums and dates have strict converters (<see cref="StrictEnumConverterFactory"/>, <see cref="PlausibleDateConverters"/>).
/// </summary>
internal static class RequestJsonRules
{
    public static void Modify(JsonTypeInfo typeInfo)
    {
        if (typeInfo.Kind != JsonTypeInfoKind.Object || typeInfo.Type.Assembly == typeof(object).Assembly) return;
        // Problem documents and framework types are written, never read from a client.
        if (typeInfo.Type.Namespace?.StartsWith("Microsoft.", StringComparison.Ordinal) == true) return;
        ReadNullAsNotGiven(typeInfo);
        var members = typeInfo.Properties
            .Where(p => p.Get is not null && Applies(p.PropertyType))
            .Select(p => new Member(p.Name, p.Get!, Attributes(typeInfo.Type, p)))
            .ToArray();
        if (members.Length == 0) return;
        var previous = typeInfo.OnDeserialized;
        typeInfo.OnDeserialized = value =>
        {
            previous?.Invoke(value);
            List<(string, string)>? errors = null;
            foreach (var member in members) member.Check(member.Get(value), ref errors);
            if (errors is not null) throw new InputRuleException(errors);
        };
    }

    // Generated clients (NSwag) send "member": null for an optional member they were not given: for an optional
    // non-nullable value (a bool, a number, an enum) that means "not given", i.e. its default, not a type error.
    private static void ReadNullAsNotGiven(JsonTypeInfo typeInfo)
    {
        foreach (var property in typeInfo.Properties)
        {
            var type = property.PropertyType;
            if (property.IsRequired || property.Set is null || !type.IsValueType || Nullable.GetUnderlyingType(type) is not null) continue;
            var inner = property.CustomConverter ?? typeInfo.Options.GetConverter(type);
            property.CustomConverter = (JsonConverter)Activator.CreateInstance(typeof(NullAsDefaultConverter<>).MakeGenericType(type), inner)!;
        }
    }

    private sealed class NullAsDefaultConverter<T>(JsonConverter inner) : JsonConverter<T>
    {
        private readonly JsonConverter<T> _inner = (JsonConverter<T>)inner;

        public override bool HandleNull => true;

        public override T? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.TokenType == JsonTokenType.Null ? default : _inner.Read(ref reader, typeToConvert, options);

        public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) => _inner.Write(writer, value, options);
    }

    private static bool Applies(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        return type == typeof(string) || type == typeof(int) || type == typeof(long)
               || (type != typeof(string) && typeof(IEnumerable).IsAssignableFrom(type) && !typeof(IDictionary).IsAssignableFrom(type));
    }

    private static (bool MultiLine, int? MaxLength, RangeAttribute? Range) Attributes(Type declaring, JsonPropertyInfo property)
    {
        var attributes = new List<object>();
        if (property.AttributeProvider is { } provider) attributes.AddRange(provider.GetCustomAttributes(true));
        // A positional record's attributes sit on its constructor parameter unless written [property: ...].
        var clrName = (property.AttributeProvider as MemberInfo)?.Name;
        foreach (var constructor in declaring.GetConstructors())
        foreach (var parameter in constructor.GetParameters())
            if (string.Equals(parameter.Name, clrName, StringComparison.OrdinalIgnoreCase))
                attributes.AddRange(parameter.GetCustomAttributes(true));
        return (attributes.OfType<MultiLineAttribute>().Any(),
            attributes.OfType<MaxLengthAttribute>().Select(a => (int?)a.Length).FirstOrDefault(),
            attributes.OfType<RangeAttribute>().FirstOrDefault());
    }

    private sealed record Member(string Name, Func<object, object?> Get, (bool MultiLine, int? MaxLength, RangeAttribute? Range) Rules)
    {
        public void Check(object? value, ref List<(string, string)>? errors)
        {
            switch (value)
            {
                case null:
                    return;
                case string text:
                    CheckText(text, Name, Rules.MultiLine, Rules.MaxLength ?? InputLimits.Text, ref errors);
                    return;
                case int or long when Rules.Range is { } range:
                    var number = Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture);
                    var (min, max) = (Convert.ToInt64(range.Minimum, System.Globalization.CultureInfo.InvariantCulture), Convert.ToInt64(range.Maximum, System.Globalization.CultureInfo.InvariantCulture));
                    if (number < min || number > max) (errors ??= []).Add((Name, $"Expected {min} to {max}."));
                    return;
                case IEnumerable items and not string:
                    var max2 = Rules.MaxLength ?? InputLimits.Items;
                    var index = 0;
                    foreach (var item in items)
                    {
                        if (index == max2)
                        {
                            (errors ??= []).Add((Name, $"At most {max2} elements."));
                            return;
                        }
                        if (item is null) (errors ??= []).Add(($"{Name}[{index}]", "Must not be null."));
                        else if (item is string element) CheckText(element, $"{Name}[{index}]", false, InputLimits.Text, ref errors);
                        index++;
                    }
                    return;
            }
        }

        private static void CheckText(string text, string field, bool multiLine, int maxLength, ref List<(string, string)>? errors)
        {
            if (TextRules.Problem(text, multiLine) is { } problem) (errors ??= []).Add((field, problem));
            else if (text.Length > maxLength) (errors ??= []).Add((field, $"At most {maxLength} characters."));
        }
    }
}

/// <summary>
/// Enums exactly as the API spells them (<see cref="ApiEnum"/>): <c>"viceChair"</c>, never <c>"ViceChair"</c>,
/// <c>"VICECHAIR"</c>, <c>"viceChair "</c>, a number, or a comma list (which <see cref="JsonStringEnumConverter"/> ORs
/// into a value no member has). Written the same way.
/// </summary>
internal sealed class StrictEnumConverterFactory : JsonConverterFactory
{
    public override bool CanConvert(Type typeToConvert) => typeToConvert.IsEnum;

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        (JsonConverter)Activator.CreateInstance(typeof(StrictEnumConverter<>).MakeGenericType(typeToConvert))!;

    private sealed class StrictEnumConverter<TEnum> : JsonConverter<TEnum> where TEnum : struct, Enum
    {
        public override TEnum Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            string? text = null;
            if (reader.TokenType == JsonTokenType.String)
            {
                try
                {
                    text = reader.GetString();
                }
                catch (InvalidOperationException)
                {
                    // Invalid UTF-8 or a lone surrogate: not one of the names either.
                }
            }
            if (ApiEnum.TryParse<TEnum>(text, out var value)) return value;
            throw new InputRuleException([("", $"Expected one of {string.Join(", ", ApiEnum.Names<TEnum>().Select(n => $"'{n}'"))}.")]);
        }

        public override void Write(Utf8JsonWriter writer, TEnum value, JsonSerializerOptions options) => writer.WriteStringValue(ApiEnum.Name(value));

        public override TEnum ReadAsPropertyName(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            Read(ref reader, typeToConvert, options);

        public override void WriteAsPropertyName(Utf8JsonWriter writer, TEnum value, JsonSerializerOptions options) =>
            writer.WritePropertyName(ApiEnum.Name(value));
    }
}

/// <summary>
/// Dates in JSON bodies within <see cref="PlausibleDates.Any"/>. Also keeps a time without offset near year 1 or
/// 9999 from overflowing (an ArgumentOutOfRangeException, i.e. a 500) when the local offset is applied.
/// </summary>
internal static class PlausibleDateConverters
{
    public static IEnumerable<JsonConverter> All =>
    [
        new PlausibleDateConverter<DateOnly>(JsonMetadataServices.DateOnlyConverter, d => d.ToDateTime(TimeOnly.MinValue)),
        new PlausibleDateConverter<DateTimeOffset>(JsonMetadataServices.DateTimeOffsetConverter, d => d.UtcDateTime),
        new PlausibleDateConverter<DateTime>(JsonMetadataServices.DateTimeConverter, d => d),
    ];

    /// <summary>System.Text.Json's own converter for <typeparamref name="T"/>, refusing a date outside the plausible range.</summary>
    private sealed class PlausibleDateConverter<T>(JsonConverter<T> inner, Func<T, DateTime> moment) : JsonConverter<T>
    {
        public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            T value;
            try
            {
                value = inner.Read(ref reader, typeToConvert, options)!;
            }
            catch (ArgumentOutOfRangeException)
            {
                throw OutOfRange();
            }
            return PlausibleDates.InAny(moment(value)) ? value : throw OutOfRange();
        }

        public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) => inner.Write(writer, value, options);

        private static InputRuleException OutOfRange() =>
            new([("", $"Expected a date from {PlausibleDates.Any.From:yyyy-MM-dd} to {PlausibleDates.Any.To:yyyy-MM-dd}.")]);
    }
}
