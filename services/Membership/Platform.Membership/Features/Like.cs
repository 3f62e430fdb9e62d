namespace Platform.Membership.Features;

/// <summary>A user's text inside an ILIKE pattern matches literally.</summary>
internal static class Like
{
    public static string Escape(string text) => text.Replace(@"\", @"\\", StringComparison.Ordinal)
        .Replace("%", @"\%", StringComparison.Ordinal).Replace("_", @"\_", StringComparison.Ordinal);
}
