using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Platform.Testing;

/// <summary>
/// A bounded, seeded fuzzer over every operation of a service's OpenAPI document (<c>/openapi/v1.json</c>): it builds
/// requests from the schemas (path, query, JSON or CSV body), then breaks one thing in most of them — NUL and other
/// control characters, noncharacters, lone surrogates, invalid UTF-8, huge strings and arrays, <c>null</c> array
/// elements, wrong enum spellings, absurd dates and integers, wrong types, a foreign charset, malformed JSON, bad
/// GUIDs in the path. The platform's promise: never a 5xx, and every 4xx is a problem document.
/// </summary>
/// <example>
/// <code>
/// var report = await OpenApiFuzzer.RunAsync(client, seed: 11, requests: 400, known: new() { ["consortiumId"] = [consortium.ToString()] });
/// Assert.True(report.Failures.Count == 0, report.Describe());
/// </code>
/// </example>
public static class OpenApiFuzzer
{
    private const string LoneSurrogate = "__LONE_SURROGATE__";
    private const string InvalidUtf8 = "__INVALID_UTF8__";

    public sealed record Failure(string Method, string Url, int Status, string Why, string RequestBody, string ResponseBody);

    public sealed record Report(int Seed, int Requests, int Operations, IReadOnlyDictionary<int, int> ByStatus, IReadOnlyList<Failure> Failures)
    {
        public string Describe()
        {
            var text = new StringBuilder();
            text.Append(CultureInfo.InvariantCulture, $"Fuzzer seed {Seed}: {Requests} requests over {Operations} operations; statuses ");
            text.AppendJoin(", ", ByStatus.OrderBy(s => s.Key).Select(s => $"{s.Key}×{s.Value}"));
            text.Append(CultureInfo.InvariantCulture, $"; {Failures.Count} failure(s).");
            foreach (var f in Failures.Take(15))
                text.Append(CultureInfo.InvariantCulture, $"\n  {f.Method} {Trim(f.Url, 200)} → {f.Status}: {f.Why}\n    request: {Trim(f.RequestBody, 300)}\n    response: {Trim(f.ResponseBody, 300)}");
            return text.ToString();
        }

        private static string Trim(string text, int length) => text.Length <= length ? text : text[..length] + "…";
    }

    private sealed record Operation(string Method, string Path, JsonElement Definition);

    /// <summary>
    /// Sends about <paramref name="requests"/> requests spread over every operation. <paramref name="known"/> maps a
    /// parameter or property name (e.g. <c>consortiumId</c>) to real values, so some requests reach past "not found".
    /// </summary>
    public static async Task<Report> RunAsync(HttpClient client, int seed, int requests, IReadOnlyDictionary<string, string[]>? known = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        using var documentResponse = await client.GetAsync(new Uri("/openapi/v1.json", UriKind.Relative), cancellationToken);
        documentResponse.EnsureSuccessStatusCode();
        using var document = JsonDocument.Parse(await documentResponse.Content.ReadAsStringAsync(cancellationToken));
        var root = document.RootElement;
        var operations = new List<Operation>();
        foreach (var path in root.GetProperty("paths").EnumerateObject())
        foreach (var method in path.Value.EnumerateObject())
            if (method.Name is "get" or "post" or "put" or "delete" or "patch")
                operations.Add(new Operation(method.Name.ToUpperInvariant(), path.Name, method.Value));

        var generator = new Generator(new Random(seed), root, known ?? new Dictionary<string, string[]>());
        var byStatus = new SortedDictionary<int, int>();
        var failures = new List<Failure>();
        var perOperation = Math.Max(1, requests / Math.Max(1, operations.Count));
        var sent = 0;
        foreach (var operation in operations)
        {
            for (var i = 0; i < perOperation; i++)
            {
                using var request = generator.Build(operation, mutate: i % 5 != 0, out var bodyText);
                HttpResponseMessage response;
                try
                {
                    response = await client.SendAsync(request, cancellationToken);
                }
                catch (InvalidOperationException refused) when (refused.Message.Contains("null characters", StringComparison.Ordinal))
                {
                    // TestServer's client refuses a NUL in the path before sending (Kestrel refuses it in its parser too).
                    continue;
                }
                using var disposeResponse = response;
                sent++;
                var status = (int)response.StatusCode;
                byStatus[status] = byStatus.GetValueOrDefault(status) + 1;
                var body = await response.Content.ReadAsStringAsync(cancellationToken);
                var why = Judge(response, status, body);
                if (why is not null) failures.Add(new Failure(operation.Method, request.RequestUri!.ToString(), status, why, bodyText, body));
            }
        }
        return new Report(seed, sent, operations.Count, byStatus, failures);
    }

    /// <summary>Why the answer breaks the promise, or null.</summary>
    private static string? Judge(HttpResponseMessage response, int status, string body)
    {
        if (status >= 500) return "a server error";
        if (status < 400) return null;
        if (response.Content.Headers.ContentType?.MediaType != "application/problem+json") return $"a {status} without a problem document ({response.Content.Headers.ContentType})";
        try
        {
            using var problem = JsonDocument.Parse(body);
            if (!problem.RootElement.TryGetProperty("status", out var s) || s.GetInt32() != status) return "a problem document with the wrong status";
            if (!problem.RootElement.TryGetProperty("code", out var code) || code.ValueKind != JsonValueKind.String
                || !Platform.ServiceDefaults.Http.ProblemCode.All.Contains(code.GetString()!)) return "a problem document without a known code";
        }
        catch (JsonException)
        {
            return "a problem document that is not JSON";
        }
        return null;
    }

    private sealed class Generator(Random random, JsonElement document, IReadOnlyDictionary<string, string[]> known)
    {
        private static readonly string[] BadTexts =
        [
            "nul\u0000inside", "bell\u0007", "escape\u001b[31m", "del\u007f", "c1\u0085", "line\nbreak", "nonchar\uffff", "nonchar\ufffe", "\ufdd0",
            LoneSurrogate, "  ", "", "110101199003077777", "11010119900307777X", "<script>alert(1)</script>", "' OR 1=1 --", "%00", "\u202Eevil",
        ];

        private static readonly string[] BadDates =
            ["0001-01-01T00:00:00", "0001-01-01T00:00:00+08:00", "9999-12-31T23:59:59Z", "9999-12-31T23:59:59", "0001-01-01", "9999-12-31", "2025-02-30", "2025-13-01T00:00:00Z", "yesterday"];

        private static readonly object[] BadNumbers = [2147483647, -2147483648, 0, -1, 9223372036854775807L, 1.5, "12"];

        private static readonly string[] BadIds = ["not-a-guid", "00000000-0000-0000-0000-000000000000", "%00", "%07", "12345", new string('f', 5000), "%E2%80%AE"];

        public HttpRequestMessage Build(Operation operation, bool mutate, out string bodyText)
        {
            // What to break: 0 path, 1 query, 2..9 body (when there is one).
            var target = mutate ? random.Next(10) : -1;
            var definition = operation.Definition;
            var path = operation.Path;
            var query = new List<string>();
            if (definition.TryGetProperty("parameters", out var parameters))
            {
                foreach (var parameter in parameters.EnumerateArray())
                {
                    var name = parameter.GetProperty("name").GetString()!;
                    var where = parameter.GetProperty("in").GetString();
                    var schema = parameter.TryGetProperty("schema", out var s) ? s : default;
                    if (where == "path")
                    {
                        var value = target == 0 && random.Next(2) == 0 ? Pick(BadIds) : Uri.EscapeDataString(ScalarText(schema, name));
                        path = path.Replace("{" + name + "}", value, StringComparison.Ordinal);
                    }
                    else if (where == "query" && (target == 1 || random.Next(3) == 0))
                    {
                        var value = target == 1 && random.Next(2) == 0 ? Pick(BadQueryValues) : Uri.EscapeDataString(ScalarText(schema, name));
                        query.Add($"{Uri.EscapeDataString(name)}={value}");
                    }
                }
            }
            if (target == 1 && query.Count == 0) query.Add("limit=%00");
            var url = path + (query.Count > 0 ? "?" + string.Join("&", query) : "");
            var request = new HttpRequestMessage(new HttpMethod(operation.Method), new Uri(url, UriKind.Relative));
            bodyText = "";

            if (!definition.TryGetProperty("requestBody", out var body) || !body.TryGetProperty("content", out var content)) return request;
            var mutateBody = target >= 2;
            if (content.TryGetProperty("application/json", out var json))
            {
                var node = Value(json.TryGetProperty("schema", out var schema) ? schema : default, "$", 0);
                string contentType = "application/json";
                if (mutateBody)
                {
                    switch (random.Next(12))
                    {
                        case 0: contentType = "application/json; charset=klingon"; break;
                        case 1: contentType = Pick(["text/plain", "application/xml", "application/json; charset=utf-16", "multipart/form-data"]); break;
                        default: node = Mutate(node); break;
                    }
                }
                bodyText = node?.ToJsonString() ?? "null";
                if (mutateBody && random.Next(12) == 0) bodyText = Pick(["", "{", "[]", "null", "\"text\"", "{\"a\":1,}", bodyText[..Math.Max(0, bodyText.Length / 2)]]);
                request.Content = Encode(bodyText, contentType);
            }
            else if (content.TryGetProperty("text/csv", out _))
            {
                bodyText = Csv(mutateBody);
                request.Content = Encode(bodyText, mutateBody && random.Next(6) == 0 ? "text/csv; charset=klingon" : "text/csv");
            }
            return request;
        }

        private static readonly string[] BadQueryValues = ["%00", "%07", "%1B", "%EF%BF%BF", "%ED%A0%80", "%FF", "0", "-1", "2147483648", "OrderClass", "a,b", new string('x', 3000), "0001-01-01", "9999-12-31T23:59:59"];

        private static ByteArrayContent Encode(string text, string contentType)
        {
            text = text.Replace(LoneSurrogate, "\\ud800", StringComparison.Ordinal);
            var bytes = Encoding.UTF8.GetBytes(text).ToList();
            // Placeholders become raw invalid UTF-8 bytes.
            var marker = Encoding.UTF8.GetBytes(InvalidUtf8);
            for (var at = IndexOf(bytes, marker); at >= 0; at = IndexOf(bytes, marker))
            {
                bytes.RemoveRange(at, marker.Length);
                bytes.InsertRange(at, [0xC3, 0x28, 0xFF]);
            }
            var content = new ByteArrayContent([.. bytes]);
            content.Headers.TryAddWithoutValidation("Content-Type", contentType);
            return content;
        }

        private static int IndexOf(List<byte> bytes, byte[] marker)
        {
            for (var i = 0; i + marker.Length <= bytes.Count; i++)
                if (bytes.Skip(i).Take(marker.Length).SequenceEqual(marker)) return i;
            return -1;
        }

        private string Csv(bool mutate)
        {
            var header = "eventId,collegeId,programId,traineeRef,type,occurredAt,enterpriseId";
            var rows = new List<string> { header };
            for (var i = 0; i < 1 + random.Next(3); i++)
            {
                string[] cells = [$"e-{random.Next(100000)}", Known("collegeId") ?? Guid.NewGuid().ToString(), Known("programId") ?? Guid.NewGuid().ToString(),
                    $"T-{random.Next(1000)}", "enrolled", "2026-03-01T09:00:00+08:00", ""];
                if (mutate)
                {
                    var cell = random.Next(cells.Length);
                    cells[cell] = Pick([.. BadTexts.Where(t => t != LoneSurrogate), InvalidUtf8, .. BadDates, "\"unclosed", "a\"b"]);
                    if (cells[cell].Contains(',', StringComparison.Ordinal) || cells[cell].Contains('\n', StringComparison.Ordinal)) cells[cell] = "\"" + cells[cell] + "\"";
                }
                rows.Add(string.Join(",", cells));
            }
            return string.Join("\r\n", rows) + "\r\n";
        }

        private string? Known(string name) => known.TryGetValue(name, out var values) && values.Length > 0 ? values[random.Next(values.Length)] : null;

        private T Pick<T>(IReadOnlyList<T> items) => items[random.Next(items.Count)];

        private JsonElement Resolve(JsonElement schema)
        {
            for (var depth = 0; depth < 10 && schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty("$ref", out var reference); depth++)
            {
                var name = reference.GetString()!.Split('/')[^1];
                schema = document.GetProperty("components").GetProperty("schemas").GetProperty(name);
            }
            if (schema.ValueKind == JsonValueKind.Object)
            {
                foreach (var combinator in new[] { "oneOf", "anyOf", "allOf" })
                {
                    if (schema.TryGetProperty(combinator, out var options) && options.GetArrayLength() > 0)
                    {
                        var choices = options.EnumerateArray().Where(o => !IsNullOnly(o)).ToList();
                        if (choices.Count > 0) return Resolve(choices[random.Next(choices.Count)]);
                    }
                }
            }
            return schema;
        }

        private static bool IsNullOnly(JsonElement schema) => schema.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String && t.GetString() == "null";

        private static string? TypeOf(JsonElement schema)
        {
            if (schema.ValueKind != JsonValueKind.Object) return null;
            if (schema.TryGetProperty("type", out var type))
            {
                if (type.ValueKind == JsonValueKind.String) return type.GetString();
                if (type.ValueKind == JsonValueKind.Array) return type.EnumerateArray().Select(t => t.GetString()).FirstOrDefault(t => t != "null");
            }
            if (schema.TryGetProperty("properties", out _)) return "object";
            if (schema.TryGetProperty("enum", out _)) return "string";
            return null;
        }

        /// <summary>A plausible value of the schema.</summary>
        private JsonNode? Value(JsonElement schema, string name, int depth)
        {
            schema = Resolve(schema);
            if (schema.ValueKind != JsonValueKind.Object || depth > 6) return null;
            if (Known(name) is { } knownValue) return JsonValue.Create(knownValue);
            if (schema.TryGetProperty("enum", out var values))
            {
                var options = values.EnumerateArray().Where(v => v.ValueKind != JsonValueKind.Null).ToList();
                if (options.Count > 0) return JsonNode.Parse(options[random.Next(options.Count)].GetRawText());
            }
            switch (TypeOf(schema))
            {
                case "object":
                    var result = new JsonObject();
                    var required = schema.TryGetProperty("required", out var r) ? r.EnumerateArray().Select(x => x.GetString()).ToHashSet() : [];
                    if (schema.TryGetProperty("properties", out var properties))
                        foreach (var property in properties.EnumerateObject())
                            if (required.Contains(property.Name) || random.Next(2) == 0)
                                result[property.Name] = Value(property.Value, property.Name, depth + 1);
                    return result;
                case "array":
                    var array = new JsonArray();
                    var items = schema.TryGetProperty("items", out var i) ? i : default;
                    for (var n = 1 + random.Next(2); n > 0; n--) array.Add(Value(items, name.TrimEnd('s'), depth + 1));
                    return array;
                case "integer":
                    var min = schema.TryGetProperty("minimum", out var mi) && mi.ValueKind == JsonValueKind.Number ? mi.GetInt64() : 1;
                    return JsonValue.Create(Math.Max(min, 1 + random.Next(5)));
                case "number":
                    return JsonValue.Create(1 + random.Next(100));
                case "boolean":
                    return JsonValue.Create(random.Next(2) == 0);
                default:
                    return JsonValue.Create(ScalarText(schema, name));
            }
        }

        /// <summary>A plausible text for a string-ish schema (path and query values too).</summary>
        private string ScalarText(JsonElement schema, string name)
        {
            if (Known(name) is { } knownValue) return knownValue;
            schema = Resolve(schema);
            if (schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty("enum", out var values))
            {
                var options = values.EnumerateArray().Where(v => v.ValueKind == JsonValueKind.String).ToList();
                if (options.Count > 0) return options[random.Next(options.Count)].GetString()!;
            }
            var format = schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty("format", out var f) ? f.GetString() : null;
            var type = TypeOf(schema);
            if (format == "uuid") return Guid.NewGuid().ToString();
            if (format == "date-time") return "2026-05-" + (10 + random.Next(18)).ToString(CultureInfo.InvariantCulture) + "T09:00:00+08:00";
            if (format == "date") return "2026-05-" + (10 + random.Next(18)).ToString(CultureInfo.InvariantCulture);
            if (format == "uri") return "https://example.org/charter.pdf";
            if (format == "email" || name.Contains("email", StringComparison.OrdinalIgnoreCase)) return $"li.{random.Next(1000)}@example.org";
            if (type is "integer" or "number") return (1 + random.Next(5)).ToString(CultureInfo.InvariantCulture);
            if (type == "boolean") return random.Next(2) == 0 ? "true" : "false";
            if (name.Contains("timeZone", StringComparison.OrdinalIgnoreCase)) return "Asia/Shanghai";
            if (name.EndsWith("At", StringComparison.Ordinal)) return "2026-05-12T09:00:00+08:00";
            if (name.EndsWith("Id", StringComparison.Ordinal) || name.EndsWith("Ids", StringComparison.Ordinal)) return Guid.NewGuid().ToString();
            return $"{name} {random.Next(1000)}";
        }

        /// <summary>The value with one thing broken somewhere inside it.</summary>
        private JsonNode? Mutate(JsonNode? node)
        {
            var slots = new List<(JsonNode Parent, object Key, JsonNode? Value)>();
            Collect(node, slots);
            if (slots.Count == 0 || random.Next(8) == 0) return Broken(node);
            var (parent, key, value) = slots[random.Next(slots.Count)];
            var replacement = Broken(value);
            if (parent is JsonObject o) o[(string)key] = replacement;
            else if (parent is JsonArray a) a[(int)key] = replacement;
            return node;
        }

        private static void Collect(JsonNode? node, List<(JsonNode, object, JsonNode?)> slots)
        {
            switch (node)
            {
                case JsonObject o:
                    foreach (var (key, value) in o.ToList())
                    {
                        slots.Add((o, key, value));
                        Collect(value, slots);
                    }
                    break;
                case JsonArray a:
                    for (var i = 0; i < a.Count; i++)
                    {
                        slots.Add((a, i, a[i]));
                        Collect(a[i], slots);
                    }
                    break;
            }
        }

        private JsonNode? Broken(JsonNode? value)
        {
            var kind = value?.GetValueKind();
            var text = kind == JsonValueKind.String ? value!.GetValue<string>() : null;
            switch (random.Next(9))
            {
                case 0:
                    return JsonValue.Create(Pick(BadTexts) + (text ?? ""));
                case 1:
                    return JsonValue.Create(new string('x', 1 + random.Next(2) * 300_000));
                case 2:
                    return new JsonArray(null, JsonValue.Create("x"));
                case 3:
                    return JsonValue.Create(Pick(BadDates));
                case 4:
                    return Pick(BadNumbers) switch
                    {
                        string s => JsonValue.Create(s),
                        int i => JsonValue.Create(i),
                        long l => JsonValue.Create(l),
                        var d => JsonValue.Create(Convert.ToDouble(d, CultureInfo.InvariantCulture)),
                    };
                case 5 when text is { Length: > 0 }:
                    // Enum spellings: PascalCase, UPPER, padded, OR-ed lists.
                    return JsonValue.Create(Pick([char.ToUpperInvariant(text[0]) + text[1..], text.ToUpperInvariant(), text + " ", $"{text},{text}x", $"{text}, other", "1"]));
                case 6:
                    var many = new JsonArray();
                    for (var i = 0; i < 1500; i++) many.Add(value?.DeepClone() ?? JsonValue.Create(i));
                    return many;
                case 7:
                    return Pick<JsonNode?>([null, new JsonObject(), new JsonArray(), JsonValue.Create(true), JsonValue.Create(InvalidUtf8)]);
                default:
                    return JsonValue.Create(Pick(BadIds));
            }
        }
    }
}
