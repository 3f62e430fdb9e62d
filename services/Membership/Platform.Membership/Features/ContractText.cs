using System.Text.Json;

namespace Platform.Membership.Features;

/// <summary>Kinds, statuses and roles as they travel in integration events: the API's camelCase strings.</summary>
internal static class ContractText
{
    public static string Of<TEnum>(TEnum value) where TEnum : struct, Enum => JsonNamingPolicy.CamelCase.ConvertName(value.ToString());
}

/// <summary>A user's text inside an ILIKE pattern matches literally.</summary>
internal static class Like
{
    public static string Escape(string text) => text.Replace(@"\", @"\\", StringComparison.Ordinal)
        .Replace("%", @"\%", StringComparison.Ordinal).Replace("_", @"\_", StringComparison.Ordinal);
}
