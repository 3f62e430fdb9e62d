using System.Text.RegularExpressions;

namespace Platform.Deploy.Tests;

/// <summary>
/// The settings a service may be given, as the repository states them: the README's "Configuration" table and the
/// configuration paths the code reads (string literals such as <c>"Platform:OperatorKey"</c> or an options section
/// such as <c>"Webhooks:Delivery"</c>, under which any key is fine), written the environment's way (<c>:</c> → <c>__</c>).
/// </summary>
public sealed partial class ConfigurationKeys
{
    public ConfigurationKeys(string root)
    {
        var readme = File.ReadAllText(Path.Combine(root, "README.md"));
        var section = readme[readme.IndexOf("## Configuration", StringComparison.Ordinal)..];
        section = section[..section.IndexOf("\n## ", 5, StringComparison.Ordinal)];
        var documented = new HashSet<string>(StringComparer.Ordinal);
        foreach (var line in section.Split('\n').Where(l => l.StartsWith('|')))
        {
            var first = line.Split('|', StringSplitOptions.RemoveEmptyEntries)[0];
            foreach (Match key in Backticked().Matches(first)) documented.Add(key.Groups[1].Value);
        }
        Documented = documented;

        var read = new HashSet<string>(StringComparer.Ordinal);
        var sections = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in new[] { "services", "ServiceDefaults" }.SelectMany(f => Directory.EnumerateFiles(Path.Combine(root, f), "*.cs", SearchOption.AllDirectories))
                     .Where(f => !f.Contains("/obj/", StringComparison.Ordinal) && !f.Contains("/bin/", StringComparison.Ordinal)))
        {
            var code = File.ReadAllText(file);
            foreach (Match path in ConfigurationPath().Matches(code))
                read.Add(path.Groups[1].Value.Replace(":", "__", StringComparison.Ordinal));
            foreach (Match bound in BoundSection().Matches(code))
                sections.Add(bound.Groups[1].Value.Replace(":", "__", StringComparison.Ordinal));
        }
        ReadByCode = read;
        Sections = sections;
    }

    /// <summary>Keys in the README's Configuration table (a row like <c>`ConnectionStrings__membershipdb`, `__eventsdb`</c> gives the first in full).</summary>
    public IReadOnlySet<string> Documented { get; }

    /// <summary>Configuration paths in the services' and ServiceDefaults' code, as environment names.</summary>
    public IReadOnlySet<string> ReadByCode { get; }

    /// <summary>Sections the code binds to options (<c>GetSection("…")</c>, <c>Section = "…"</c>): any key under them is read.</summary>
    public IReadOnlySet<string> Sections { get; }

    /// <summary>A key the repository knows: documented, read by the code, or under a section the code binds.</summary>
    public bool IsKnown(string key) =>
        Documented.Contains(key) || ReadByCode.Contains(key) || Sections.Any(section => key.StartsWith(section + "__", StringComparison.Ordinal))
        || (key.StartsWith("ConnectionStrings__", StringComparison.Ordinal) && Documented.Any(d => d.StartsWith("ConnectionStrings__", StringComparison.Ordinal)))
        || (key.StartsWith("services__", StringComparison.Ordinal) && key.EndsWith("__http__0", StringComparison.Ordinal));

    public static ConfigurationKeys Repository { get; } = new(Manifests.FindRoot());

    [GeneratedRegex("(?:GetSection\\(|Section = )\"([A-Z][A-Za-z]*(?::[A-Za-z][A-Za-z0-9-]*)*)\"")]
    private static partial Regex BoundSection();

    [GeneratedRegex("`([A-Za-z][A-Za-z0-9_]*)`")]
    private static partial Regex Backticked();

    [GeneratedRegex("\"([A-Z][A-Za-z]+(?::[A-Za-z][A-Za-z0-9-]*)+)\"")]
    private static partial Regex ConfigurationPath();
}
