using System.Text.Json;
using System.Text.RegularExpressions;

namespace Platform.Testing;

/// <summary>
/// What a partner's client generator (NSwag, Kiota) needs from a service's OpenAPI document, checked on the real
/// document: readable unique operationIds, string enums without null, declared 404/409/400 problems with their
/// schemas, one parameter name per path segment, described tags, a server address without the request's host.
/// </summary>
public static partial class OpenApiConformance
{
    [GeneratedRegex("^[a-z][A-Za-z0-9]+$")]
    private static partial Regex CamelCase();

    /// <summary>Every rule broken by <paramref name="document"/>, one line each; empty when it is partner-grade.</summary>
    public static IReadOnlyList<string> Violations(JsonElement document)
    {
        List<string> violations = [];
        var operationIds = new Dictionary<string, string>(StringComparer.Ordinal);
        var parameterBySegment = new Dictionary<string, (string Name, string Path)>(StringComparer.Ordinal);
        var usedTags = new HashSet<string>(StringComparer.Ordinal);

        foreach (var path in document.GetProperty("paths").EnumerateObject())
        {
            var segments = path.Name.Split('/');
            for (var i = 1; i < segments.Length; i++)
            {
                if (!segments[i].StartsWith('{')) continue;
                var name = segments[i].Trim('{', '}');
                var owner = segments[i - 1];
                if (parameterBySegment.TryGetValue(owner, out var seen) && seen.Name != name)
                    violations.Add($"{path.Name}: '{{{name}}}' after '{owner}/' is '{{{seen.Name}}}' in {seen.Path}; one name per segment");
                else parameterBySegment[owner] = (name, path.Name);
                if (name == "id") violations.Add($"{path.Name}: name the parameter after its resource (e.g. {{organizationId}}), not {{id}}");
            }

            foreach (var operation in path.Value.EnumerateObject().Where(o => o.Name is "get" or "post" or "put" or "delete" or "patch"))
            {
                var where = $"{operation.Name.ToUpperInvariant()} {path.Name}";
                var op = operation.Value;
                if (!op.TryGetProperty("operationId", out var idElement) || idElement.GetString() is not { } id)
                    violations.Add($"{where}: no operationId");
                else if (!CamelCase().IsMatch(id))
                    violations.Add($"{where}: operationId '{id}' is not camelCase");
                else if (operationIds.TryGetValue(id, out var other))
                    violations.Add($"{where}: operationId '{id}' is also {other}'s");
                else operationIds[id] = where;

                if (op.TryGetProperty("tags", out var tags)) usedTags.UnionWith(tags.EnumerateArray().Select(t => t.GetString()!));
                var responses = op.GetProperty("responses");
                if (path.Name.Contains('{', StringComparison.Ordinal)) RequireProblem(responses, "404", "Problem", where, violations);
                if (operation.Name != "get") RequireProblem(responses, "409", "ConflictProblem", where, violations);
                RequireProblem(responses, "400", "ValidationProblem", where, violations);

                foreach (var parameter in op.TryGetProperty("parameters", out var parameters) ? parameters.EnumerateArray() : default)
                {
                    if (parameter.GetProperty("in").GetString() == "path" && !path.Name.Contains("{" + parameter.GetProperty("name").GetString() + "}", StringComparison.Ordinal))
                        violations.Add($"{where}: path parameter '{parameter.GetProperty("name").GetString()}' is not in the path");
                }
            }
        }

        var schemas = document.GetProperty("components").GetProperty("schemas");
        foreach (var schema in schemas.EnumerateObject())
        {
            foreach (var property in schema.Value.TryGetProperty("properties", out var properties) ? properties.EnumerateObject() : default)
            {
                if (IsArray(property.Value) && !property.Value.TryGetProperty("items", out _))
                    violations.Add($"schema {schema.Name}.{property.Name}: an array without items (a client sees an array of anything)");
                if (property.Value.TryGetProperty("enum", out _) || (property.Value.TryGetProperty("items", out var items) && items.TryGetProperty("enum", out _)))
                    violations.Add($"schema {schema.Name}.{property.Name}: an inline enum (a client gets a type per property); refer to the enum's component");
            }
            if (!schema.Value.TryGetProperty("enum", out var values)) continue;
            if (!schema.Value.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String || type.GetString() != "string")
                violations.Add($"schema {schema.Name}: an enum must have \"type\": \"string\" (found {(type.ValueKind == JsonValueKind.Undefined ? "none" : type.GetRawText())})");
            if (values.EnumerateArray().Any(v => v.ValueKind == JsonValueKind.Null))
                violations.Add($"schema {schema.Name}: null among the enum values");
        }

        var described = document.TryGetProperty("tags", out var declared)
            ? declared.EnumerateArray().Where(t => t.TryGetProperty("description", out var d) && !string.IsNullOrWhiteSpace(d.GetString())).Select(t => t.GetProperty("name").GetString()!).ToHashSet(StringComparer.Ordinal)
            : [];
        violations.AddRange(usedTags.Where(t => !described.Contains(t)).Select(t => $"tag '{t}' has no description"));

        var servers = document.GetProperty("servers").EnumerateArray().Select(s => s.GetProperty("url").GetString()!).ToList();
        if (servers.Count == 0) violations.Add("no server");
        violations.AddRange(servers.Where(url => url != "/" && url.EndsWith('/')).Select(url => $"server '{url}' ends with a slash"));
        violations.AddRange(servers.Where(url => url.Contains("127.0.0.1", StringComparison.Ordinal) || url.Contains("localhost", StringComparison.Ordinal))
            .Select(url => $"server '{url}' is the request's host"));
        var info = document.GetProperty("info");
        if (!info.TryGetProperty("license", out _)) violations.Add("info has no license");
        if (!info.TryGetProperty("contact", out _)) violations.Add("info has no contact");
        return violations;
    }

    private static bool IsArray(JsonElement schema) =>
        schema.TryGetProperty("type", out var type) && (type.ValueKind == JsonValueKind.String
            ? type.GetString() == "array"
            : type.ValueKind == JsonValueKind.Array && type.EnumerateArray().Any(t => t.GetString() == "array"));

    private static void RequireProblem(JsonElement responses, string status, string schema, string where, List<string> violations)
    {
        if (!responses.TryGetProperty(status, out var response))
        {
            violations.Add($"{where}: declares no {status}");
            return;
        }
        var reference = response.TryGetProperty("content", out var content) && content.TryGetProperty("application/problem+json", out var media)
            && media.TryGetProperty("schema", out var s) && s.TryGetProperty("$ref", out var r) ? r.GetString() : null;
        if (reference != "#/components/schemas/" + schema)
            violations.Add($"{where}: {status} is not an application/problem+json {schema} (found {reference ?? "none"})");
    }
}
