namespace Platform.Events.Features.Time;

/// <summary>
/// Times as the consortium lives them: stored UTC, shown with the offset of the consortium's zone (e.g.
/// <c>2025-01-15T09:00:00+08:00</c> for Asia/Shanghai), and read without an offset as the consortium's local time.
/// </summary>
public static class ConsortiumTime
{
    public static TimeZoneInfo Zone(string? timeZone)
    {
        if (timeZone is { Length: > 0 } && TimeZoneInfo.TryFindSystemTimeZoneById(timeZone, out var zone)) return zone;
        return TimeZoneInfo.FindSystemTimeZoneById(Domain.KnownConsortium.DefaultTimeZone);
    }

    public static bool IsKnownZone(string timeZone) => TimeZoneInfo.TryFindSystemTimeZoneById(timeZone, out _);

    /// <summary>The instant shown in the zone (its offset at that instant).</summary>
    public static DateTimeOffset Show(DateTimeOffset at, TimeZoneInfo zone) => TimeZoneInfo.ConvertTime(at, zone);

    /// <summary>The local calendar day of an instant in the zone.</summary>
    public static DateOnly Day(DateTimeOffset at, TimeZoneInfo zone) => DateOnly.FromDateTime(Show(at, zone).DateTime);

    /// <summary>Whether an ISO 8601 time names an instant (has an offset or <c>Z</c>), so it reads the same in every zone.</summary>
    public static bool IsInstant(string? text) =>
        DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var parsed) && parsed.Kind != DateTimeKind.Unspecified;

    /// <summary>
    /// Reads an ISO 8601 time. With an offset (or <c>Z</c>) it is that instant; without one it is the consortium's
    /// local time (so "2025-01-15T09:00" is 09:00 in Jining, whatever the server's zone).
    /// </summary>
    public static bool TryRead(string? text, TimeZoneInfo zone, out DateTimeOffset at)
    {
        at = default;
        if (string.IsNullOrWhiteSpace(text)
            || !DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var parsed)) return false;
        // Years 1 and 9999 overflow once an offset is applied; nothing plausible lies there (PlausibleDates).
        if (!PlausibleDates.InAny(parsed)) return false;
        if (parsed.Kind == DateTimeKind.Unspecified)
        {
            // A local time skipped by a daylight-saving jump does not exist; there is no right guess.
            if (zone.IsInvalidTime(parsed)) return false;
            at = new DateTimeOffset(parsed, zone.GetUtcOffset(parsed)).ToUniversalTime();
            return true;
        }
        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var withOffset)) return false;
        at = withOffset.ToUniversalTime();
        return true;
    }
}
