using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Platform.ServiceDefaults.Auth;
using Platform.ServiceDefaults.Http;
using Platform.TalentPipeline.Domain;
using Platform.TalentPipeline.Persistence;

namespace Platform.TalentPipeline.Features.Placements;

/// <summary>One event of a trainee's history.</summary>
public sealed record TraineeEventResponse(string EventId, Guid ProgramId, PlacementType Type, DateTimeOffset OccurredAt, Guid? EnterpriseId,
    PlacementFlag? Flag, DateTimeOffset AcceptedAt);

/// <summary>A trainee's current stage and whole history (ordered by occurredAt).</summary>
public sealed record TraineeResponse(Guid CollegeId, string TraineeRef, Guid ConsortiumId, Guid ProgramId, PlacementType Stage, DateTimeOffset StageOccurredAt,
    IReadOnlyList<TraineeEventResponse> History);

/// <summary>A college's data-quality issues: accepted events that make impossible sequences.</summary>
public sealed record DataQualityResponse(Guid? CollegeId, int Issues, IReadOnlyDictionary<string, int> ByFlag, IReadOnlyList<FlaggedEventResponse> Recent);

/// <summary>One flagged event.</summary>
public sealed record FlaggedEventResponse(Guid CollegeId, string EventId, string TraineeRef, PlacementType Type, DateTimeOffset OccurredAt, PlacementFlag Flag);

public static class PlacementEndpoints
{
    public static IEndpointRouteBuilder MapPlacements(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1").WithTags("Placements");
        api.MapPost("/placement-events", SubmitJsonAsync).RequireScope(Scopes.PipelineWrite)
            .Accepts<PlacementBatchRequest>("application/json")
            .WithSummary("Push one placement event, or { events: [...] } (at most 1,000); each is answered accepted, duplicate or rejected with reasons.");
        api.MapPost("/placement-events/csv", SubmitCsvAsync).RequireScope(Scopes.PipelineWrite)
            .Accepts<string>("text/csv")
            .WithSummary("Push placement events as CSV (header eventId,collegeId,programId,traineeRef,type,occurredAt,enterpriseId); a per-row report with line numbers.");
        api.MapGet("/trainees/{collegeId:guid}/{traineeRef}", GetTraineeAsync).RequireScope(Scopes.PipelineRead)
            .WithSummary("A trainee's current stage and history.");
        api.MapGet("/data-quality", GetDataQualityAsync).RequireScope(Scopes.PipelineRead)
            .WithSummary("Accepted events flagged as impossible sequences, per college.");
        return app;
    }

    private static async Task<Results<Ok<PlacementReport>, ValidationProblem, ProblemHttpResult>> SubmitJsonAsync(
        HttpRequest request, Caller caller, PlacementIngestion ingestion, CancellationToken cancellationToken)
    {
        if (request.ContentType is null || !request.ContentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
            return Problems.Status(StatusCodes.Status415UnsupportedMediaType, "Send application/json (or text/csv to /placement-events/csv).");
        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(request.Body, cancellationToken: cancellationToken);
        }
        catch (JsonException exception)
        {
            return Problems.Validation(("body", $"Malformed JSON: {exception.Message}"));
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return Problems.Validation(("body", "Expected an event object or { \"events\": [...] }."));
            List<PlacementCandidate> candidates;
            if (root.TryGetProperty("events", out var events))
            {
                if (events.ValueKind != JsonValueKind.Array) return Problems.Validation(("events", "Expected an array of events."));
                var count = events.GetArrayLength();
                if (count is 0 or > PlacementReading.MaxBatch)
                    return Problems.Validation(("events", $"Send 1 to {PlacementReading.MaxBatch} events per request; this had {count}."));
                candidates = [.. events.EnumerateArray().Select((e, i) => PlacementReading.FromJson(e, i, $"events[{i}]."))];
            }
            else
            {
                candidates = [PlacementReading.FromJson(root, 0, "")];
            }
            return TypedResults.Ok(PlacementReport.Of(await ingestion.IngestAsync(candidates, caller, cancellationToken)));
        }
    }

    private static async Task<Results<Ok<PlacementReport>, ValidationProblem, ProblemHttpResult>> SubmitCsvAsync(
        HttpRequest request, Caller caller, PlacementIngestion ingestion, CancellationToken cancellationToken)
    {
        if (request.ContentType is null || !request.ContentType.StartsWith("text/csv", StringComparison.OrdinalIgnoreCase))
            return Problems.Status(StatusCodes.Status415UnsupportedMediaType, "Send text/csv.");
        string text;
        try
        {
            using var reader = new StreamReader(request.Body, new UTF8Encoding(false, throwOnInvalidBytes: true));
            text = await reader.ReadToEndAsync(cancellationToken);
        }
        catch (DecoderFallbackException)
        {
            return Problems.Validation(("body", "The file is not UTF-8 text. Nothing was imported."));
        }

        var read = PlacementCsv.Read(text);
        if (read.Error is { } error) return Problems.Validation(("body", error + " Nothing was imported."));
        return TypedResults.Ok(PlacementReport.Of(await ingestion.IngestAsync(read.Candidates, caller, cancellationToken)));
    }

    private static async Task<Results<Ok<TraineeResponse>, ProblemHttpResult>> GetTraineeAsync(Guid collegeId, string traineeRef, Caller caller,
        TalentPipelineDbContext db, CancellationToken cancellationToken)
    {
        if (!caller.CanActFor(collegeId)) return Problems.NotFound();
        var trainee = await db.Trainees.AsNoTracking().FirstOrDefaultAsync(t => t.CollegeId == collegeId && t.TraineeRef == traineeRef, cancellationToken);
        if (trainee is null || trainee.Events == 0) return Problems.NotFound();
        var history = await db.PlacementEvents.AsNoTracking()
            .Where(e => e.CollegeId == collegeId && e.TraineeRef == traineeRef)
            .OrderBy(e => e.OccurredAt).ThenBy(e => e.EventId)
            .Select(e => new TraineeEventResponse(e.EventId, e.ProgramId, e.Type, e.OccurredAt, e.EnterpriseId, e.Flag, e.AcceptedAt))
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(new TraineeResponse(trainee.CollegeId, trainee.TraineeRef, trainee.ConsortiumId, trainee.ProgramId, trainee.Stage,
            trainee.StageOccurredAt, history));
    }

    private static async Task<Results<Ok<DataQualityResponse>, ValidationProblem, ProblemHttpResult>> GetDataQualityAsync(Guid? collegeId, Caller caller,
        TalentPipelineDbContext db, CancellationToken cancellationToken)
    {
        if (collegeId is null && !caller.IsOperator) return Problems.Validation(("collegeId", "Required: your own organization's id."));
        if (collegeId is { } id && !caller.CanActFor(id)) return Problems.NotFound();
        var flagged = db.PlacementEvents.AsNoTracking().Where(e => e.Flag != null);
        if (collegeId is { } c) flagged = flagged.Where(e => e.CollegeId == c);
        var byFlag = await flagged.GroupBy(e => e.Flag!.Value).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(cancellationToken);
        var recent = await flagged.OrderByDescending(e => e.AcceptedAt).ThenBy(e => e.EventId).Take(50)
            .Select(e => new FlaggedEventResponse(e.CollegeId, e.EventId, e.TraineeRef, e.Type, e.OccurredAt, e.Flag!.Value))
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(new DataQualityResponse(collegeId, byFlag.Sum(f => f.Count),
            byFlag.ToDictionary(f => ApiEnum.Name(f.Key), f => f.Count), recent));
    }
}

/// <summary>
/// Reads a CSV upload (RFC 4180: comma-separated, double quotes around fields with commas, quotes or line breaks)
/// whole before anything is imported: a structural problem (unknown or missing columns, a row with the wrong number
/// of fields, a broken quote) fails the upload with its line number; field problems reject only their row.
/// </summary>
public static class PlacementCsv
{
    public sealed record Reading(IReadOnlyList<PlacementCandidate> Candidates, string? Error);

    private sealed record Row(int Line, IReadOnlyList<string> Fields);

    public static Reading Read(string text)
    {
        var rows = new List<Row>();
        if (Split(text, rows) is { } malformed) return new Reading([], malformed);
        if (rows.Count == 0) return new Reading([], "The file is empty: expected a header line.");
        var header = rows[0].Fields.Select(f => f.Trim()).ToArray();
        var unknown = header.Where(h => !PlacementReading.KnownFields.Contains(h, StringComparer.Ordinal)).ToList();
        if (unknown.Count > 0)
            return new Reading([], $"Line 1: unknown column(s) {string.Join(", ", unknown)}; expected {string.Join(",", PlacementReading.KnownFields)}. " +
                                   "Trainees are pseudonymous: names and ID numbers are never accepted.");
        var missing = PlacementReading.KnownFields.Where(f => f != "enterpriseId" && !header.Contains(f, StringComparer.Ordinal)).ToList();
        if (missing.Count > 0) return new Reading([], $"Line 1: missing column(s) {string.Join(", ", missing)}.");
        if (header.Distinct(StringComparer.Ordinal).Count() != header.Length) return new Reading([], "Line 1: a column appears twice.");
        if (rows.Count == 1) return new Reading([], "The file has a header but no rows.");
        if (rows.Count - 1 > PlacementReading.MaxBatch) return new Reading([], $"{rows.Count - 1} rows; at most {PlacementReading.MaxBatch} per upload, split the file.");

        var candidates = new List<PlacementCandidate>();
        foreach (var row in rows.Skip(1))
        {
            if (row.Fields.Count != header.Length)
                return new Reading([], $"Line {row.Line}: {row.Fields.Count} field(s), the header has {header.Length}.");
            candidates.Add(PlacementReading.FromFields(name => Array.IndexOf(header, name) is var i and >= 0 ? row.Fields[i].Trim() : null, candidates.Count, row.Line));
        }
        return new Reading(candidates, null);
    }

    /// <summary>Splits the text into rows of fields, skipping blank lines; returns an error for a broken quote.</summary>
    private static string? Split(string text, List<Row> rows)
    {
        var line = 1;
        var i = 0;
        if (text.Length > 0 && text[0] == '\uFEFF') i = 1; // byte order mark
        while (i < text.Length)
        {
            var rowLine = line;
            var fields = new List<string>();
            var field = new StringBuilder();
            var quoted = false;
            var wasQuoted = false;
            var endOfRow = false;
            while (i < text.Length && !endOfRow)
            {
                var ch = text[i];
                if (quoted)
                {
                    if (ch == '"')
                    {
                        if (i + 1 < text.Length && text[i + 1] == '"') { field.Append('"'); i += 2; continue; }
                        quoted = false;
                        i++;
                        if (i < text.Length && text[i] is not (',' or '\r' or '\n'))
                            return $"Line {line}: text after a closing quote; double a quote inside a quoted field (\"\").";
                        continue;
                    }
                    if (ch == '\n') line++;
                    field.Append(ch);
                    i++;
                    continue;
                }
                switch (ch)
                {
                    case '"' when field.Length == 0 && !wasQuoted:
                        quoted = wasQuoted = true;
                        i++;
                        break;
                    case '"':
                        return $"Line {line}: a quote inside an unquoted field; quote the whole field and double the quote.";
                    case ',':
                        fields.Add(field.ToString());
                        field.Clear();
                        wasQuoted = false;
                        i++;
                        break;
                    case '\r' or '\n':
                        i += ch == '\r' && i + 1 < text.Length && text[i + 1] == '\n' ? 2 : 1;
                        line++;
                        endOfRow = true;
                        break;
                    default:
                        field.Append(ch);
                        i++;
                        break;
                }
            }
            if (quoted) return $"Line {rowLine}: a quoted field is never closed.";
            fields.Add(field.ToString());
            if (fields.Count == 1 && fields[0].Trim().Length == 0 && !wasQuoted) continue; // blank line
            rows.Add(new Row(rowLine, fields));
        }
        return null;
    }
}
