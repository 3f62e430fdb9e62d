using System.Net.Mail;

namespace Platform.ServiceDefaults.Http;

/// <summary>
/// Field checks every service's request records share. Each yields (field, reason) pairs, so a handler gathers every
/// problem of a request at once and answers them together with <see cref="Problems.Validation(ValueTuple{string, string}[])"/>:
/// a partner fixes a request in one round trip.
/// </summary>
/// <example>
/// <code>
/// var errors = FieldChecks.Text(request.Name, "name", 300).Concat(FieldChecks.Email(request.Email, "email")).ToList();
/// if (errors.Count > 0) return Problems.Validation([.. errors]);
/// </code>
/// </example>
public static class FieldChecks
{
    /// <summary>Non-blank when <paramref name="required"/>, and at most <paramref name="maxLength"/> characters once trimmed.</summary>
    public static IEnumerable<(string Field, string Message)> Text(string? value, string field, int maxLength, bool required = true)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            if (required) yield return (field, "Required; must not be empty.");
        }
        else if (value.Trim().Length > maxLength)
        {
            yield return (field, $"At most {maxLength} characters.");
        }
    }

    /// <summary>An email address (surrounding spaces ignored); absent is fine unless <paramref name="required"/>.</summary>
    public static IEnumerable<(string Field, string Message)> Email(string? value, string field, bool required = false)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            if (required) yield return (field, "Required; an email address, e.g. zhang.wei@jnjsxy.edu.cn.");
            yield break;
        }
        var trimmed = value.Trim();
        if (trimmed.Length > 320 || !MailAddress.TryCreate(trimmed, out var address) || address.Address != trimmed)
            yield return (field, "Not an email address, e.g. zhang.wei@jnjsxy.edu.cn.");
    }

    public static IEnumerable<(string Field, string Message)> NotEmptyId(Guid value, string field)
    {
        if (value == Guid.Empty) yield return (field, "Required; must not be the empty id.");
    }

    /// <summary>
    /// One error per item of a list that refers to something the handler did not find (an organization that is not
    /// registered, not an active member…), named by its place: <c>field(i)</c> gives e.g. <c>parties[2]</c>.
    /// </summary>
    public static (string Field, string Message)[] Unknown<T>(IReadOnlyList<T> items, Func<T, bool> isKnown, Func<int, string> field, string message)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(isKnown);
        ArgumentNullException.ThrowIfNull(field);
        return [.. items.Select((item, i) => (item, i)).Where(x => !isKnown(x.item)).Select(x => (field(x.i), message))];
    }
}
