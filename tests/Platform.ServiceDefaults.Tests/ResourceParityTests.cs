using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace Platform.ServiceDefaults.Tests;

/// <summary>
/// Every resource file in the repository speaks both languages: each <c>X.resx</c> (English) has an
/// <c>X.zh-CN.resx</c> with the same keys, no empty values and the same placeholders. Found from the repository root,
/// so a pair added anywhere is covered without touching this test.
/// </summary>
public sealed partial class ResourceParityTests
{
    private const string Chinese = "zh-CN";

    [Fact]
    public void Every_resource_file_has_the_same_keys_values_and_placeholders_in_English_and_Chinese()
    {
        var files = ResourceFiles(RepositoryRoot());
        Assert.NotEmpty(files);
        var problems = new List<string>();
        foreach (var english in files.Where(f => Culture(f) is null))
        {
            var chinese = Path.ChangeExtension(english, null) + $".{Chinese}.resx";
            if (!File.Exists(chinese)) problems.Add($"{english}: no {Path.GetFileName(chinese)} beside it");
            else problems.AddRange(Compare(english, chinese));
        }
        // A translation without its English file would be a language the default readers never see.
        foreach (var translated in files.Where(f => Culture(f) is not null))
        {
            if (Culture(translated) != Chinese) problems.Add($"{translated}: a language the platform does not speak");
            var english = Path.ChangeExtension(Path.ChangeExtension(translated, null), null) + ".resx";
            if (!File.Exists(english)) problems.Add($"{translated}: no English {Path.GetFileName(english)} beside it");
        }
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public void The_checker_names_a_key_in_one_language_only_an_empty_value_and_a_lost_placeholder()
    {
        var folder = Directory.CreateTempSubdirectory("resx-parity-");
        try
        {
            var english = Path.Combine(folder.FullName, "Made.resx");
            var chinese = Path.Combine(folder.FullName, $"Made.{Chinese}.resx");
            File.WriteAllText(english, Resx(("Joined", "{0} joined"), ("Held", "{title} was held"), ("Left", "{0} left"), ("OnlyEnglish", "Hello"), ("Empty", "Something")));
            File.WriteAllText(chinese, Resx(("Joined", "{0}加入联盟"), ("Held", "{0}举行"), ("Left", "{0}退出"), ("OnlyChinese", "你好"), ("Empty", " ")));

            var problems = Compare(english, chinese);

            Assert.Equal(4, problems.Count);
            Assert.Contains(problems, p => p.Contains("'OnlyEnglish'", StringComparison.Ordinal) && p.Contains("only in English", StringComparison.Ordinal));
            Assert.Contains(problems, p => p.Contains("'OnlyChinese'", StringComparison.Ordinal) && p.Contains($"only in {Chinese}", StringComparison.Ordinal));
            Assert.Contains(problems, p => p.Contains("'Empty'", StringComparison.Ordinal) && p.Contains("empty", StringComparison.Ordinal));
            Assert.Contains(problems, p => p.Contains("'Held'", StringComparison.Ordinal) && p.Contains("{title}", StringComparison.Ordinal));

            // A faithful pair passes.
            File.WriteAllText(chinese, Resx(("Joined", "{0}加入联盟"), ("Held", "{title}举行"), ("Left", "{0}退出"), ("OnlyEnglish", "你好"), ("Empty", "某事")));
            Assert.Empty(Compare(english, chinese));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    /// <summary>What differs between an English file and its Chinese one, one line per problem.</summary>
    private static List<string> Compare(string englishPath, string chinesePath)
    {
        var english = Strings(englishPath);
        var chinese = Strings(chinesePath);
        var problems = new List<string>();
        problems.AddRange(english.Keys.Except(chinese.Keys).Select(k => $"{englishPath}: '{k}' only in English"));
        problems.AddRange(chinese.Keys.Except(english.Keys).Select(k => $"{chinesePath}: '{k}' only in {Chinese}"));
        foreach (var (file, strings) in new[] { (englishPath, english), (chinesePath, chinese) })
            problems.AddRange(strings.Where(s => string.IsNullOrWhiteSpace(s.Value)).Select(s => $"{file}: '{s.Key}' is empty"));
        foreach (var key in english.Keys.Intersect(chinese.Keys))
        {
            var a = Placeholders(english[key]);
            var b = Placeholders(chinese[key]);
            if (!a.SetEquals(b))
                problems.Add($"{chinesePath}: '{key}' has placeholders [{string.Join(", ", b.Order())}] but English has [{string.Join(", ", a.Order())}]");
        }
        return problems;
    }

    /// <summary>The string resources of a .resx file (entries with a type are files or objects, not text).</summary>
    private static Dictionary<string, string> Strings(string path) =>
        XDocument.Load(path).Root!.Elements("data")
            .Where(d => d.Attribute("type") is null && d.Attribute("mimetype") is null)
            .ToDictionary(d => (string)d.Attribute("name")!, d => (string?)d.Element("value") ?? "", StringComparer.Ordinal);

    /// <summary>{0}, {name}, {0:D} → "{0}", "{name}"; "{{" is a literal brace.</summary>
    private static HashSet<string> Placeholders(string text) =>
        [.. PlaceholderPattern().Matches(text.Replace("{{", "", StringComparison.Ordinal).Replace("}}", "", StringComparison.Ordinal)).Select(m => "{" + m.Groups[1].Value + "}")];

    [GeneratedRegex(@"\{([A-Za-z0-9_.]+)(?:[,:][^}]*)?\}")]
    private static partial Regex PlaceholderPattern();

    /// <summary>The language tag of <c>X.zh-CN.resx</c>; null for <c>X.resx</c>. By shape, not ICU: tests may run in invariant mode.</summary>
    private static string? Culture(string path)
    {
        var name = Path.GetFileNameWithoutExtension(path);
        var dot = name.LastIndexOf('.');
        return dot >= 0 && CultureTag().IsMatch(name[(dot + 1)..]) ? name[(dot + 1)..] : null;
    }

    [GeneratedRegex(@"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")]
    private static partial Regex CultureTag();

    private static List<string> ResourceFiles(string root) =>
        [.. Directory.EnumerateFiles(root, "*.resx", SearchOption.AllDirectories)
            .Where(f => !f.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj" or ".git" or "node_modules"))
            .Order(StringComparer.Ordinal)];

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Platform.sln"))) return dir.FullName;
        throw new InvalidOperationException($"No Platform.sln above {AppContext.BaseDirectory}.");
    }

    private static string Resx(params (string Name, string Value)[] entries) =>
        new XDocument(new XElement("root", entries.Select(e =>
            new XElement("data", new XAttribute("name", e.Name), new XElement("value", e.Value))))).ToString();
}
