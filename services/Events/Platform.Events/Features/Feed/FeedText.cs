using System.Resources;
using Platform.ServiceDefaults.Localization;

namespace Platform.Events.Features.Feed;

/// <summary>
/// The feed's words in one language, from <c>FeedText.resx</c> (English) and <c>FeedText.zh-CN.resx</c>. Bound to a
/// culture rather than the request's, because the projection tells every story in both languages as it arrives.
/// </summary>
public sealed class FeedText
{
    private static readonly ResourceManager Resources = new("Platform.Events.Features.Feed.FeedText", typeof(FeedText).Assembly);

    public static FeedText English { get; } = new(CultureInfo.GetCultureInfo(PlatformLocalization.English));
    public static FeedText Chinese { get; } = new(CultureInfo.GetCultureInfo(PlatformLocalization.Chinese));

    /// <summary>The request's reader's language (the UI culture the localization middleware chose).</summary>
    public static FeedText Reader => CultureInfo.CurrentUICulture.ReadsChinese() ? Chinese : English;

    private FeedText(CultureInfo culture) => Culture = culture;

    /// <summary>The entry's sentences in this language; an entry written before the feed spoke Chinese stays English until a rebuild.</summary>
    public Told Of(FeedEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return Culture.ReadsChinese() ? new Told(entry.TitleZh ?? entry.Title, entry.ContentZh ?? entry.Content) : new Told(entry.Title, entry.Content);
    }

    public CultureInfo Culture { get; }

    /// <summary>The text of a key; a missing key is a bug the resx parity test and the feed tests catch.</summary>
    public string this[string key] => Resources.GetString(key, Culture) ?? throw new InvalidOperationException($"FeedText has no '{key}'.");

    public string Format(string key, params string[] args) => string.Format(Culture, this[key], args);

    /// <summary>The word for an API enum value (<c>CouncilRole.viceChair</c>), or its plain English words for a value added after this text.</summary>
    public string Word(string group, string apiName) => Resources.GetString($"{group}.{apiName}", Culture) ?? FeedStories.Words(apiName);

    /// <summary>The name that fits the language: the Chinese one when known and the reader reads Chinese, else the English one.</summary>
    public string Name(string name, string? nameZh) => Culture.ReadsChinese() && !string.IsNullOrWhiteSpace(nameZh) ? nameZh : name;

    public string Day(DateOnly day) => day.ToString(this["Format.Day"], Culture);

    /// <summary>A time as it was given (its own offset: the event's zone).</summary>
    public string Minute(DateTimeOffset at) => at.ToString(this["Format.Minute"], Culture);

    public string Number(int n) => n.ToString("D", Culture);

    /// <summary>1st, 2nd… in English; 第一, 第二… in Chinese (the grammar's choice of suffix is English; the templates carry the words).</summary>
    public string Ordinal(int n)
    {
        var key = (n % 100) is 11 or 12 or 13 ? "Ordinal.Other" : (n % 10) switch { 1 => "Ordinal.1", 2 => "Ordinal.2", 3 => "Ordinal.3", _ => "Ordinal.Other" };
        return Format(key, Culture.ReadsChinese() ? ChineseNumeral(n) : Number(n));
    }

    /// <summary>"a/an" before a kind word in English; nothing in Chinese (the templates decide).</summary>
    public string Article(string words, bool capital = false)
    {
        var vowel = words.Length > 0 && "aeiouAEIOU".Contains(words[0], StringComparison.Ordinal);
        return Format((vowel, capital) switch
        {
            (true, true) => "Article.AnCapital",
            (true, false) => "Article.An",
            (false, true) => "Article.ACapital",
            (false, false) => "Article.A",
        }, words);
    }

    /// <summary>"A, B and C" / "A、B和C".</summary>
    public string Join(IReadOnlyList<string> names) => names.Count switch
    {
        0 => "",
        1 => names[0],
        _ => Format("List.LastTwo", string.Join(this["List.Separator"], names.Take(names.Count - 1)), names[^1]),
    };

    /// <summary>A counted sentence: key <c>{prefix}.One</c> for 1, else <c>{prefix}.Other</c>; the count is {0}.</summary>
    public string Count(string prefix, int n, params string[] more) => Format(n == 1 ? $"{prefix}.One" : $"{prefix}.Other", [Number(n), .. more]);

    // Session and rank numbers as a Chinese secretariat writes them: 第一届, 第十二届; past 99, digits.
    private static string ChineseNumeral(int n)
    {
        const string digits = "零一二三四五六七八九";
        if (n is < 0 or > 99) return n.ToString(CultureInfo.InvariantCulture);
        if (n < 10) return digits[n].ToString();
        var tens = n / 10;
        var ones = n % 10;
        return (tens == 1 ? "" : digits[tens].ToString()) + "十" + (ones == 0 ? "" : digits[ones].ToString());
    }
}
