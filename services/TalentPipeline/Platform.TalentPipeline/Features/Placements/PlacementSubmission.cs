using System.Globalization;
using System.Text.Json;

namespace Platform.TalentPipeline.Features.Placements;

/// <summary>A submitted event after reading: either a well-formed candidate or the reasons it is not.</summary>
public sealed class PlacementCandidate
{
    public int Index { get; init; }
    public int? Line { get; init; }
    public string? EventId { get; set; }
    public Guid CollegeId { get; set; }
    public Guid ProgramId { get; set; }
    public string TraineeRef { get; set; } = "";
    public PlacementType Type { get; set; }
    public DateTimeOffset OccurredAt { get; set; }
    public Guid? EnterpriseId { get; set; }
    public List<PlacementReason> Reasons { get; } = [];
    /// <summary>Path prefix of its fields in reasons: <c>events[3].</c>, <c>""</c> for a single event, or CSV column names.</summary>
    public string FieldPrefix { get; init; } = "";

    public bool IsValid => Reasons.Count == 0;

    /// <param name="field">The field of the event, or "" for the event itself (then <c>events[3]</c>, without the dot).</param>
    public void Reject(string field, string message) =>
        Reasons.Add(new PlacementReason(field.Length == 0 ? FieldPrefix.TrimEnd('.') : FieldPrefix + field, message));

    public PlacementResult Result(PlacementOutcome status, PlacementType? stage = null, PlacementFlag? flag = null) =>
        new(Index, Line, EventId, status, status == PlacementOutcome.Rejected ? Reasons : null, stage, flag);
}

/// <summary>
/// Reads submitted events field by field, so one malformed event (a wrong type, an unknown stage, an ID-number-like
/// reference) is rejected with its reasons while the others go on.
/// </summary>
public static class PlacementReading
{
    public const int MaxBatch = 1000;
    private static readonly string[] Fields = ["eventId", "collegeId", "programId", "traineeRef", "type", "occurredAt", "enterpriseId"];

    /// <summary>The body's events: one event object, or <c>{ "events": [...] }</c>; an error (field, message) when it is neither.</summary>
    public static (IReadOnlyList<PlacementCandidate> Candidates, (string Field, string Message)? Error) FromSubmission(JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object) return ([], ("$", "Expected an event object or { \"events\": [...] }."));
        if (!body.TryGetProperty("events", out var events)) return ([FromJson(body, 0, "")], null);
        if (events.ValueKind != JsonValueKind.Array) return ([], ("events", "Expected an array of events."));
        var count = events.GetArrayLength();
        if (count is 0 or > MaxBatch) return ([], ("events", $"Send 1 to {MaxBatch} events per request; this had {count}."));
        return ([.. events.EnumerateArray().Select((e, i) => FromJson(e, i, $"events[{i}]."))], null);
    }

    public static PlacementCandidate FromJson(JsonElement element, int index, string prefix)
    {
        var candidate = new PlacementCandidate { Index = index, FieldPrefix = prefix };
        if (element.ValueKind != JsonValueKind.Object)
        {
            candidate.Reject("", "Expected an event object.");
            return candidate;
        }
        var values = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            if (!Fields.Contains(property.Name, StringComparer.Ordinal))
            {
                candidate.Reject(property.Name, "Unknown field. Trainees are pseudonymous: names and ID numbers are never accepted.");
                continue;
            }
            values[property.Name] = property.Value.ValueKind switch
            {
                JsonValueKind.String => StringOf(property.Value),
                JsonValueKind.Null => null,
                _ => Invalid,
            };
            if (ReferenceEquals(values[property.Name], Invalid))
                candidate.Reject(property.Name, property.Value.ValueKind == JsonValueKind.String
                    ? "Not valid text: invalid UTF-8 or half of a UTF-16 surrogate pair."
                    : "Expected a string.");
        }
        Fill(candidate, name => values.TryGetValue(name, out var v) ? v : null, skip: name => ReferenceEquals(values.GetValueOrDefault(name), Invalid));
        return candidate;
    }

    public static PlacementCandidate FromFields(Func<string, string?> field, int index, int line)
    {
        var candidate = new PlacementCandidate { Index = index, Line = line };
        Fill(candidate, name => field(name) is { Length: > 0 } value ? value : null, skip: _ => false);
        return candidate;
    }

    public static IReadOnlyList<string> KnownFields => Fields;

    private const string Invalid = "\u0000invalid";

    /// <summary>The string, or <see cref="Invalid"/> when it is not valid Unicode (the reader throws on invalid UTF-8 and lone surrogates).</summary>
    private static string StringOf(JsonElement value)
    {
        try
        {
            return value.GetString()!;
        }
        catch (InvalidOperationException)
        {
            return Invalid;
        }
    }

    private static readonly Dictionary<string, PlacementType> TypesByWireName = Enum.GetValues<PlacementType>()
        .ToDictionary(t => ApiEnum.Name(t), StringComparer.Ordinal);

    private static void Fill(PlacementCandidate c, Func<string, string?> value, Func<string, bool> skip)
    {
        // The platform's text rule first (JSON values and CSV cells alike): a field with a control character is refused by name.
        var badText = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in Fields)
        {
            if (skip(name) || value(name) is not { } text || TextRules.Problem(text) is not { } problem) continue;
            c.Reject(name, problem);
            badText.Add(name);
        }
        var skipped = skip;
        skip = name => skipped(name) || badText.Contains(name);

        var eventId = value("eventId");
        c.EventId = eventId;
        if (!skip("eventId"))
        {
            if (string.IsNullOrWhiteSpace(eventId) || eventId.Length > 100) c.Reject("eventId", "Required, 1 to 100 characters.");
            else if (PersonReference.LooksLikeNationalId(eventId)) c.Reject("eventId", "Looks like a national ID number; use the college's own event id.");
        }
        c.CollegeId = ReadGuid(c, "collegeId", value("collegeId"), required: true, skip("collegeId"));
        c.ProgramId = ReadGuid(c, "programId", value("programId"), required: true, skip("programId"));
        c.EnterpriseId = value("enterpriseId") is null || skip("enterpriseId") ? null : ReadGuid(c, "enterpriseId", value("enterpriseId"), required: false, false);

        var traineeRef = value("traineeRef");
        if (!skip("traineeRef"))
        {
            var problems = PersonReference.Check(traineeRef, "traineeRef").ToList();
            foreach (var (field, message) in problems) c.Reject(field, message);
            if (problems.Count == 0) c.TraineeRef = traineeRef!;
        }

        var type = value("type");
        if (!skip("type"))
        {
            if (type is null || !TypesByWireName.TryGetValue(type, out var parsed))
                c.Reject("type", "Expected enrolled, internshipStarted, internshipCompleted, offerMade, offerAccepted, employed, retained6Months, retained12Months or withdrawn.");
            else c.Type = parsed;
        }

        var occurredAt = value("occurredAt");
        if (!skip("occurredAt"))
        {
            if (occurredAt is null
                || !DateTimeOffset.TryParseExact(occurredAt, ["yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", "yyyy-MM-dd'T'HH:mmK"],
                    CultureInfo.InvariantCulture, DateTimeStyles.None, out var at)
                || !(occurredAt.EndsWith('Z') || occurredAt.Length > 6 && occurredAt[^6] is '+' or '-'))
                c.Reject("occurredAt", "Expected an ISO 8601 time with offset, e.g. 2025-07-01T09:00:00+08:00.");
            else if (at.Year < 2000) c.Reject("occurredAt", "Too early: before 2000.");
            else if (!PlausibleDates.InAny(at.UtcDateTime)) c.Reject("occurredAt", "Too late: after 2199.");
            else c.OccurredAt = new DateTimeOffset(at.UtcDateTime.AddTicks(-(at.UtcDateTime.Ticks % 10)), TimeSpan.Zero);
        }
    }

    private static Guid ReadGuid(PlacementCandidate c, string field, string? text, bool required, bool skip)
    {
        if (skip) return Guid.Empty;
        if (text is null)
        {
            if (required) c.Reject(field, "Required.");
            return Guid.Empty;
        }
        if (!Guid.TryParseExact(text, "D", out var id) || id == Guid.Empty)
        {
            c.Reject(field, "Expected a UUID.");
            return Guid.Empty;
        }
        return id;
    }
}
