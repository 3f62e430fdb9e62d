using System.Text.RegularExpressions;

namespace Platform.ServiceDefaults.Http;

/// <summary>
/// Marks a request text field that may span lines (descriptions, reasons, charter text): tab, line feed and
/// carriage return are allowed in it. Every other text field refuses all control characters.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
public sealed class MultiLineAttribute : Attribute;

/// <summary>
/// The limits every request body gets unless a field says otherwise with <c>[MaxLength]</c>
/// (System.ComponentModel.DataAnnotations; on a positional record write <c>[property: MaxLength(n)]</c> or on the parameter).
/// </summary>
public static class InputLimits
{
    /// <summary>Characters of a text field without its own cap.</summary>
    public const int Text = 4000;

    /// <summary>Elements of an array without its own cap.</summary>
    public const int Items = 1000;

    /// <summary>Characters of a reason (suspension, cancellation, withdrawal...), the same everywhere.</summary>
    public const int Reason = 1000;
}

/// <summary>
/// What text the platform accepts, one rule for every field of every service (JSON bodies, query strings, CSV cells):
/// no control characters (tab and line breaks only where the field is multi-line), no Unicode noncharacters
/// (U+FFFE, U+FFFF, U+FDD0–U+FDEF...) and no lone surrogates. PostgreSQL refuses NUL, and the others break the
/// Atom feed's XML and every client that echoes them.
/// </summary>
public static class TextRules
{
    /// <summary>Why <paramref name="value"/> is not acceptable text, or null when it is.</summary>
    public static string? Problem(string value, bool multiLine = false)
    {
        ArgumentNullException.ThrowIfNull(value);
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsHighSurrogate(c))
            {
                if (i + 1 >= value.Length || !char.IsLowSurrogate(value[i + 1])) return LoneSurrogate(i);
                var codePoint = char.ConvertToUtf32(c, value[i + 1]);
                if ((codePoint & 0xFFFE) == 0xFFFE) return $"Character {i + 1} is the Unicode noncharacter U+{codePoint:X}.";
                i++;
                continue;
            }
            if (char.IsLowSurrogate(c)) return LoneSurrogate(i);
            if (c is '\t' or '\n' or '\r' && multiLine) continue;
            if (char.IsControl(c))
                return multiLine
                    ? $"Character {i + 1} is the control character U+{(int)c:X4}; only tab and line breaks are allowed."
                    : $"Character {i + 1} is the control character U+{(int)c:X4}; this field is one line of text without control characters.";
            if (c is >= '\uFDD0' and <= '\uFDEF' or '\uFFFE' or '\uFFFF') return $"Character {i + 1} is the Unicode noncharacter U+{(int)c:X4}.";
        }
        return null;
    }

    private static string LoneSurrogate(int index) => $"Character {index + 1} is half of a UTF-16 surrogate pair; the text is not valid Unicode.";
}

/// <summary>
/// Dates within a plausible range for the field: a date far in the past or future is a typo or a probe, and years 1
/// and 9999 overflow as soon as a time zone is applied. Every date in a JSON body is checked against <see cref="Any"/>;
/// a handler narrows a field further (a founding date is <see cref="Historical"/>, a scheduled event <see cref="Scheduled"/>).
/// </summary>
public static class PlausibleDates
{
    /// <summary>The widest range: 1900-01-01 to 2199-12-31.</summary>
    public static readonly (DateOnly From, DateOnly To) Any = (new DateOnly(1900, 1, 1), new DateOnly(2199, 12, 31));

    /// <summary>A date in history (founding, signing, approval): 1900 up to a year from today.</summary>
    public static (DateOnly From, DateOnly To) Historical(TimeProvider time) => (Any.From, Today(time).AddYears(1));

    /// <summary>Something planned or happening (events, sessions, programs): ten years back to ten years ahead.</summary>
    public static (DateOnly From, DateOnly To) Scheduled(TimeProvider time) => (Today(time).AddYears(-10), Today(time).AddYears(10));

    /// <summary>Whether <paramref name="date"/> lies in <paramref name="range"/>; yields the field's problem otherwise.</summary>
    public static IEnumerable<(string Field, string Message)> Check(DateOnly date, string field, (DateOnly From, DateOnly To) range)
    {
        if (date < range.From || date > range.To)
            yield return (field, $"Expected a date from {range.From:yyyy-MM-dd} to {range.To:yyyy-MM-dd}.");
    }

    /// <inheritdoc cref="Check(DateOnly, string, ValueTuple{DateOnly, DateOnly})"/>
    public static IEnumerable<(string Field, string Message)> Check(DateTimeOffset at, string field, (DateOnly From, DateOnly To) range) =>
        Check(DateOnly.FromDateTime(at.UtcDateTime), field, range);

    /// <summary>Whether a date (read from JSON, from any field) is within <see cref="Any"/>.</summary>
    public static bool InAny(DateTime dateTime) => dateTime >= Any.From.ToDateTime(TimeOnly.MinValue) && dateTime < Any.To.AddDays(1).ToDateTime(TimeOnly.MinValue);

    private static DateOnly Today(TimeProvider time) => DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
}

/// <summary>
/// A person's reference (a trainee, an entrant): the pseudonym a college chooses, never a name or an ID number.
/// The one check every service runs wherever such a reference is accepted.
/// </summary>
public static partial class PersonReference
{
    public const int MaxLength = 64;

    /// <summary>Whether <paramref name="value"/> contains something that looks like a PRC resident ID number (18 digits, the last may be X; or the old 15 digits).</summary>
    public static bool LooksLikeNationalId(string value) => NationalId().IsMatch(value);

    /// <summary>Required, 1 to <see cref="MaxLength"/> characters, one line of text, no ID number.</summary>
    public static IEnumerable<(string Field, string Message)> Check(string? value, string field)
    {
        if (string.IsNullOrWhiteSpace(value) || value.Length > MaxLength)
        {
            yield return (field, $"Required, 1 to {MaxLength} characters.");
            yield break;
        }
        if (TextRules.Problem(value) is { } text) yield return (field, text);
        else if (LooksLikeNationalId(value))
            yield return (field, "Looks like a national ID number. People are pseudonymous: send the college's own reference, never an ID number.");
    }

    [GeneratedRegex(@"(?<![0-9])([0-9]{17}[0-9Xx]|[0-9]{15})(?![0-9])")]
    private static partial Regex NationalId();
}
