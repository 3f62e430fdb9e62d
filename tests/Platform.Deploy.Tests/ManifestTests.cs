using System.Text.Json.Nodes;
using k8s.Models;

namespace Platform.Deploy.Tests;

/// <summary>
/// The files themselves: they parse, built-in kinds load into KubernetesClient's typed models in strict mode (an
/// unknown or misplaced field is refused: the schema check for built-in kinds), kustomize lists them, secrets exist.
/// </summary>
public sealed class ManifestTests
{
    private static readonly Manifests M = Manifests.Repository;

    [Fact]
    public void The_manifests_exist()
    {
        Assert.NotEmpty(M.Files);
        Assert.True(File.Exists(Path.Combine(M.Folder, "base", "kustomization.yaml")));
    }

    [Fact]
    public void Every_document_is_a_named_object_of_a_kind_we_know()
    {
        var problems = new List<string>();
        foreach (var d in M.Documents)
        {
            if (d.LoadError is not null) problems.Add($"{d}: the typed model refuses it: {d.LoadError}");
            else if (d.ApiVersion.Length == 0 || d.Kind.Length == 0) problems.Add($"{d}: apiVersion and kind are required");
            else if (d.Typed is null && !Manifests.CustomKinds.Contains($"{d.ApiVersion}/{d.Kind}")) problems.Add($"{d}: unknown kind");
            if (d.Kind != "Kustomization" && d.Name.Length == 0) problems.Add($"{d}: metadata.name is required");
            // kustomize sets the namespace: a manifest naming its own would escape an overlay's.
            if (d.Tree["metadata"]?["namespace"] is not null) problems.Add($"{d}: metadata.namespace is set (kustomization.yaml sets it)");
        }
        Assert.Empty(problems);
    }

    [Fact]
    public void Every_kustomization_lists_every_file_beside_it_and_nothing_missing()
    {
        var problems = new List<string>();
        var kustomizations = M.Documents.Where(d => d.Kind == "Kustomization").ToList();
        Assert.NotEmpty(kustomizations);
        foreach (var k in kustomizations)
        {
            var folder = Path.GetDirectoryName(Path.Combine(M.Root, k.File))!;
            var listed = Strings(k.Tree["resources"]).Concat(Strings(k.Tree["components"]))
                .Concat((k.Tree["patches"] as JsonArray ?? []).Select(p => (string?)p?["path"]).OfType<string>())
                .ToList();
            foreach (var entry in listed)
            {
                var target = Path.GetFullPath(Path.Combine(folder, entry));
                if (!File.Exists(target) && !File.Exists(Path.Combine(target, "kustomization.yaml"))) problems.Add($"{k.File}: {entry} does not exist");
            }
            var listedFiles = listed.Select(e => Path.GetFullPath(Path.Combine(folder, e))).ToHashSet();
            var nested = Directory.EnumerateFiles(folder, "kustomization.yaml", SearchOption.AllDirectories)
                .Select(Path.GetDirectoryName).Where(f => f != folder).ToList();
            foreach (var file in Directory.EnumerateFiles(folder, "*.yaml", SearchOption.AllDirectories))
            {
                if (Path.GetFileName(file) == "kustomization.yaml" || nested.Any(n => file.StartsWith(n + Path.DirectorySeparatorChar, StringComparison.Ordinal))) continue;
                if (!listedFiles.Contains(Path.GetFullPath(file))) problems.Add($"{k.File}: {M.Relative(file)} is not listed");
            }
        }
        Assert.Empty(problems);
    }

    [Fact]
    public void Every_secret_and_config_map_a_manifest_uses_exists_with_the_key_it_reads()
    {
        var secrets = M.BaseOf<V1Secret>().ToDictionary(s => s.Metadata.Name, s => Keys(s.StringData, s.Data?.Keys));
        var configMaps = M.BaseOf<V1ConfigMap>().ToDictionary(c => c.Metadata.Name, c => Keys(c.Data, null));
        var problems = new List<string>();
        void Need(Dictionary<string, HashSet<string>> known, string what, string owner, string? name, string? key)
        {
            if (name is null) return;
            if (!known.TryGetValue(name, out var keys)) problems.Add($"{owner}: {what} {name} does not exist");
            else if (key is not null && !keys.Contains(key)) problems.Add($"{owner}: {what} {name} has no key {key}");
        }

        foreach (var deployment in M.BaseOf<V1Deployment>())
        {
            var owner = $"Deployment/{deployment.Metadata.Name}";
            foreach (var container in deployment.Containers())
            {
                foreach (var from in container.EnvFrom ?? [])
                {
                    Need(secrets, "Secret", owner, from.SecretRef?.Name, null);
                    Need(configMaps, "ConfigMap", owner, from.ConfigMapRef?.Name, null);
                }
                foreach (var env in container.Env ?? [])
                {
                    Need(secrets, "Secret", owner, env.ValueFrom?.SecretKeyRef?.Name, env.ValueFrom?.SecretKeyRef?.Key);
                    Need(configMaps, "ConfigMap", owner, env.ValueFrom?.ConfigMapKeyRef?.Name, env.ValueFrom?.ConfigMapKeyRef?.Key);
                }
            }
            foreach (var volume in deployment.Spec.Template.Spec.Volumes ?? [])
            {
                Need(secrets, "Secret", owner, volume.Secret?.SecretName, null);
                Need(configMaps, "ConfigMap", owner, volume.ConfigMap?.Name, null);
            }
        }
        // The operators' resources name secrets too: CloudNativePG's managed roles and bootstrap owner.
        foreach (var cluster in M.BaseKind("Cluster"))
        {
            Need(secrets, "Secret", $"Cluster/{cluster.Name}", (string?)cluster.Tree["spec"]?["bootstrap"]?["initdb"]?["secret"]?["name"], "password");
            foreach (var role in cluster.Tree["spec"]?["managed"]?["roles"] as JsonArray ?? [])
                Need(secrets, "Secret", $"Cluster/{cluster.Name} role {role?["name"]}", (string?)role?["passwordSecret"]?["name"], "password");
        }
        Assert.Empty(problems);
    }

    [Fact]
    public void Secrets_hold_placeholders_only()
    {
        var secrets = M.BaseOf<V1Secret>().ToList();
        Assert.NotEmpty(secrets);
        var problems = new List<string>();
        foreach (var secret in secrets)
        {
            if (secret.Data is { Count: > 0 }) problems.Add($"Secret/{secret.Metadata.Name}: base64 data hides what it holds; use stringData placeholders");
            foreach (var (key, value) in secret.StringData ?? new Dictionary<string, string>())
                // A basic-auth username is a name, not a secret.
                if (!(secret.Type == "kubernetes.io/basic-auth" && key == "username") && !value.Contains("CHANGE-ME", StringComparison.Ordinal))
                    problems.Add($"Secret/{secret.Metadata.Name}: {key} is not a CHANGE-ME placeholder");
        }
        Assert.Empty(problems);
    }

    private static HashSet<string> Keys(IDictionary<string, string>? a, IEnumerable<string>? b) =>
        [.. (a?.Keys ?? []).Concat(b ?? [])];

    private static IEnumerable<string> Strings(JsonNode? node) => (node as JsonArray ?? []).Select(n => (string?)n).OfType<string>();
}
