using System.Net.Mail;

namespace Platform.Membership.Features;

/// <summary>
/// Field checks shared by the request records. Each request has a <c>Check()</c> that returns every problem at
/// once (field path + reason), so a partner fixes a request in one round trip.
/// </summary>
internal static class RequestChecks
{
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

    public static IEnumerable<(string Field, string Message)> Email(string? value, string field)
    {
        if (value is null) yield break;
        if (value.Length > 320 || !MailAddress.TryCreate(value.Trim(), out var address) || address.Address != value.Trim())
            yield return (field, "Not an email address.");
    }

    public static IEnumerable<(string Field, string Message)> NotEmptyId(Guid value, string field)
    {
        if (value == Guid.Empty) yield return (field, "Required; must not be the empty id.");
    }
}
