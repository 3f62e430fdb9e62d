using System.Collections;
using System.Globalization;
using System.Resources;

namespace Platform.Dashboard.Features.Language;

/// <summary>
/// Every visible word of the page (wwwroot), from <c>DashboardText.resx</c> (English) and <c>DashboardText.zh-CN.resx</c>.
/// The page gets them all at once (<c>GET /api/text</c>) and applies them itself.
/// </summary>
public static class DashboardText
{
    private static readonly ResourceManager Resources = new("Platform.Dashboard.Features.Language.DashboardText", typeof(DashboardText).Assembly);

    /// <summary>Every key in <paramref name="culture"/>: the English file, overlaid with the culture's own where it has one.</summary>
    public static SortedDictionary<string, string> All(CultureInfo culture)
    {
        ArgumentNullException.ThrowIfNull(culture);
        var text = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var set in new[] { Resources.GetResourceSet(CultureInfo.InvariantCulture, true, false), Resources.GetResourceSet(culture, true, false) })
        {
            if (set is null) continue;
            foreach (DictionaryEntry entry in set)
                if (entry is { Key: string key, Value: string value }) text[key] = value;
        }
        return text;
    }
}
