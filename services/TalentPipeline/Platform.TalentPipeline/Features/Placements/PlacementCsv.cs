using CsvHelper;

namespace Platform.TalentPipeline.Features.Placements;

/// <summary>
/// Reads a CSV upload (RFC 4180 through CsvHelper: comma-separated, double quotes around fields with commas, quotes or line breaks)
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

    /// <summary>
    /// Splits the text into rows of fields with CsvHelper (RFC 4180), skipping blank lines; returns an error naming the
    /// line of the first record with broken quoting (nothing is imported then, so such records are skipped, not recovered).
    /// </summary>
    private static string? Split(string text, List<Row> rows)
    {
        if (text.Length > 0 && text[0] == '\uFEFF') text = text[1..]; // byte order mark
        CsvMalformedRecord? malformed = null;
        var options = CsvReaderOptions.Default with
        {
            Separator = ',',
            Mode = CsvMode.Rfc4180,
            HasHeader = false, // the header is checked here, with messages of our own
            SkipEmptyLines = true,
            TrackLineNumbers = true,
            TrimWhitespace = false,
            MalformedData = CsvMalformedDataHandling.Skip,
            OnMalformedRecord = record => { malformed ??= record; },
        };
        using var reader = CsvReader.Create(new StringReader(text), options, false);
        while (reader.Read())
        {
            var fields = Enumerable.Range(0, reader.FieldCount).Select(reader.GetString).ToList();
            // A line of spaces only is blank too (unless quoted).
            if (fields.Count == 1 && fields[0].Trim().Length == 0 && !reader.RawRecord.Contains((byte)'"')) continue;
            rows.Add(new Row((int)reader.LineNumber, fields));
        }
        if (malformed is not { } bad) return null;
        return $"Line {bad.LineNumber}: " + bad.Reason switch
        {
            CsvMalformedReason.StrayQuote => "a quote inside an unquoted field; quote the whole field and double the quote.",
            CsvMalformedReason.TextAfterClosingQuote => "text after a closing quote; double a quote inside a quoted field (\"\").",
            CsvMalformedReason.UnterminatedQuote => "a quoted field is never closed.",
            _ => "broken quoting.",
        };
    }
}
