using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using YamlDotNet.RepresentationModel;

namespace Platform.Deploy.Tests;

/// <summary>One YAML document of a file under deploy/kubernetes, as a JSON tree (every scalar a string) and, for a
/// built-in kind, as the typed Kubernetes model loaded strictly (an unknown field fails the load).</summary>
public sealed record ManifestDocument(string File, int Index, JsonObject Tree, object? Typed, string? LoadError = null)
{
    public string ApiVersion => (string?)Tree["apiVersion"] ?? "";
    public string Kind => (string?)Tree["kind"] ?? "";
    public string Name => (string?)Tree["metadata"]?["name"] ?? "";
    public override string ToString() => $"{File}#{Index} {Kind}/{Name}";
}

/// <summary>Every manifest of the repository's deploy/kubernetes, read once.</summary>
public sealed class Manifests
{
    /// <summary>apiVersion/kind of what we apply besides built-in kinds: the operators' resources and kustomize's file.</summary>
    public static readonly IReadOnlySet<string> CustomKinds = new HashSet<string>(StringComparer.Ordinal)
    {
        "postgresql.cnpg.io/v1/Cluster",
        "postgresql.cnpg.io/v1/Database",
        "rabbitmq.com/v1beta1/RabbitmqCluster",
        "kustomize.config.k8s.io/v1beta1/Kustomization",
    };

    public Manifests(string root)
    {
        Root = root;
        Folder = Path.Combine(root, "deploy", "kubernetes");
        Files = [.. Directory.EnumerateFiles(Folder, "*.*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".yaml", StringComparison.Ordinal) || f.EndsWith(".yml", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)];
        Documents = [.. Files.SelectMany(Load)];
    }

    public string Root { get; }
    public string Folder { get; }
    public IReadOnlyList<string> Files { get; }
    public IReadOnlyList<ManifestDocument> Documents { get; }

    /// <summary>The manifests of the base (what an overlay starts from): one object per kind and name.</summary>
    public IEnumerable<ManifestDocument> Base => Documents.Where(d => d.File.StartsWith(Relative(Path.Combine(Folder, "base")) + "/", StringComparison.Ordinal));

    public IEnumerable<T> BaseOf<T>() => Base.Select(d => d.Typed).OfType<T>();

    public IEnumerable<ManifestDocument> BaseKind(string kind) => Base.Where(d => d.Kind == kind);

    public string Relative(string path) => Path.GetRelativePath(Root, path).Replace('\\', '/');

    private IEnumerable<ManifestDocument> Load(string file)
    {
        var text = File.ReadAllText(file);
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        var index = 0;
        foreach (var document in stream.Documents)
        {
            var tree = ToJson(document.RootNode) as JsonObject
                ?? throw new InvalidDataException($"{Relative(file)}: document {index} is not a mapping");
            var key = $"{(string?)tree["apiVersion"]}/{(string?)tree["kind"]}";
            object? typed = null;
            string? error = null;
            if (!CustomKinds.Contains(key))
            {
                // Each document again on its own: the typed loader takes a whole stream and cannot say which failed.
                var serialized = new YamlDotNet.Serialization.SerializerBuilder().Build().Serialize(ToPlain(document.RootNode));
                try
                {
                    typed = KubernetesYaml.LoadAllFromString(serialized, typeMap: null, strict: true).Single();
                }
                catch (Exception e) when (e is YamlDotNet.Core.YamlException or InvalidOperationException or ArgumentException or FormatException)
                {
                    error = e.InnerException is { } inner ? $"{e.Message} {inner.Message}" : e.Message;
                }
            }
            yield return new ManifestDocument(Relative(file), index++, tree, typed, error);
        }
    }

    private static object? ToPlain(YamlNode node) => node switch
    {
        YamlMappingNode map => map.Children.ToDictionary(c => ((YamlScalarNode)c.Key).Value!, c => ToPlain(c.Value)),
        YamlSequenceNode seq => seq.Children.Select(ToPlain).ToList(),
        YamlScalarNode scalar => scalar.Style is YamlDotNet.Core.ScalarStyle.Plain ? PlainScalar(scalar.Value) : scalar.Value,
        _ => throw new InvalidDataException($"unsupported YAML node {node.NodeType}"),
    };

    // A plain scalar keeps its YAML type on the way to the typed loader: 2 stays a number, true a boolean.
    private static object? PlainScalar(string? value) =>
        value is null or "~" or "null" ? null
        : long.TryParse(value, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var number) ? number
        : value is "true" ? true : value is "false" ? false : value;

    private static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(c => KeyValuePair.Create(((YamlScalarNode)c.Key).Value!, ToJson(c.Value)))),
        YamlSequenceNode seq => new JsonArray([.. seq.Children.Select(ToJson)]),
        YamlScalarNode scalar => scalar.Value is null ? null : JsonValue.Create(scalar.Value),
        _ => throw new InvalidDataException($"unsupported YAML node {node.NodeType}"),
    };

    /// <summary>The repository's root: the folder above the test's binaries that holds Platform.sln.</summary>
    public static string FindRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
            if (File.Exists(Path.Combine(folder.FullName, "Platform.sln"))) return folder.FullName;
        throw new InvalidOperationException("Platform.sln not found above " + AppContext.BaseDirectory);
    }

    public static Manifests Repository { get; } = new(FindRoot());
}

/// <summary>Helpers over the typed models.</summary>
public static class Pods
{
    public static bool Selects(IDictionary<string, string>? selector, IDictionary<string, string>? labels) =>
        selector is { Count: > 0 } && labels is not null && selector.All(s => labels.TryGetValue(s.Key, out var v) && v == s.Value);

    public static IEnumerable<V1Container> Containers(this V1Deployment deployment) =>
        deployment.Spec.Template.Spec.Containers.Concat(deployment.Spec.Template.Spec.InitContainers ?? []);
}
