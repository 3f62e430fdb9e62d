using System.Globalization;
using System.Resources;

namespace Platform.Dashboard.Features.Reports;

/// <summary>
/// The annual report's text in one reader's language, from <c>AnnualReportText.resx</c> (English) and
/// <c>AnnualReportText.zh-CN.resx</c>; dates and numbers formatted for that language.
/// </summary>
public sealed class AnnualReportText(CultureInfo culture)
{
    internal static readonly ResourceManager Resources = new("Platform.Dashboard.Features.Reports.AnnualReportText", typeof(AnnualReportText).Assembly);

    public CultureInfo Culture { get; } = culture;

    /// <summary>The language tag for <c>&lt;html lang&gt;</c>.</summary>
    public string Language => Culture.TwoLetterISOLanguageName == "zh" ? "zh-CN" : "en";

    public string this[string key] => Resources.GetString(key, Culture) ?? key;

    public string Format(string key, params object?[] args) => string.Format(Culture, this[key], args);

    /// <summary>A kind's name (<c>ProgramKind.orderClass</c> → "Order class"), or the API name when the resources do not know it yet.</summary>
    public string Kind(string group, string? value) =>
        value is null ? "" : Resources.GetString($"{group}.{value}", Culture) ?? value;

    public string Date(DateOnly day) => day.ToString(this["Report.DateFormat"], Culture);

    public string Number(long value) => value.ToString("N0", Culture);

    public string Rate(double? rate) => rate is { } r ? r.ToString("P1", Culture) : this["Rate.None"];
}
