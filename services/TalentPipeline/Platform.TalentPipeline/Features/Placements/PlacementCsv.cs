using System.Text;

namespace Platform.TalentPipeline.Features.Placements;

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
