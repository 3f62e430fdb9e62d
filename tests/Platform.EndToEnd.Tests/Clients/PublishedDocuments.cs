using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Platform.EndToEnd.Tests.Clients;

/// <summary>The committed contracts in docs/openapi/, from which the partner clients are generated at build time.</summary>
public static class PublishedDocuments
{
    /// <summary>The services (AppHost resource names) whose documents are published, each as docs/openapi/&lt;service&gt;.json.</summary>
    public static readonly string[] Services = ["membership", "talent-pipeline", "events", "webhooks"];

    public const string RefreshCommand =
        "UPDATE_OPENAPI=1 dotnet test tests/Platform.EndToEnd.Tests -c Release --filter FullyQualifiedName~The_published_OpenAPI_documents";

    public static string RepositoryRoot { get; } = FindRoot();

    public static string PathOf(string service) => Path.Combine(RepositoryRoot, "docs", "openapi", service + ".json");

    private static readonly JsonSerializerOptions Indented = new()
    {
        WriteIndented = true,
        // Keep '<', '>', '&', '+', non-ASCII text as written, so the file reads as the service serves it.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>The document as committed: parsed, re-serialized indented, ending with a newline.</summary>
    public static string Normalize(string json) => JsonNode.Parse(json)!.ToJsonString(Indented).ReplaceLineEndings("\n") + "\n";

    /// <summary>
    /// The JSON path of the first difference (objects compared by member name whatever the order, arrays by position),
    /// with both values; null when the two are the same document.
    /// </summary>
    public static string? FirstDifference(JsonNode? committed, JsonNode? served, string path = "$")
    {
        switch (committed, served)
        {
            case (JsonObject a, JsonObject b):
                foreach (var (name, value) in a)
                {
                    if (!b.TryGetPropertyValue(name, out var other)) return $"{Member(path, name)}: committed has it, the service does not serve it";
                    if (FirstDifference(value, other, Member(path, name)) is { } difference) return difference;
                }
                return b.Select(m => m.Key).FirstOrDefault(name => !a.ContainsKey(name)) is { } added
                    ? $"{Member(path, added)}: the service serves it, committed lacks it"
                    : null;
            case (JsonArray a, JsonArray b):
                for (var i = 0; i < Math.Min(a.Count, b.Count); i++)
                    if (FirstDifference(a[i], b[i], $"{path}[{i}]") is { } difference) return difference;
                return a.Count == b.Count ? null : $"{path}: committed has {a.Count} items, the service serves {b.Count}";
            default:
                var left = committed?.ToJsonString() ?? "null";
                var right = served?.ToJsonString() ?? "null";
                return left == right ? null : $"{path}: committed {Shorten(left)}, the service serves {Shorten(right)}";
        }
    }

    private static string Member(string path, string name) =>
        name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_') ? $"{path}.{name}" : $"{path}['{name}']";

    private static string Shorten(string json) => json.Length <= 200 ? json : json[..200] + "…";

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            if (File.Exists(Path.Combine(directory.FullName, "Platform.sln"))) return directory.FullName;
        throw new InvalidOperationException($"No Platform.sln above {AppContext.BaseDirectory}.");
    }
}
