using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using k8s.Models;

namespace Platform.Deploy.Tests;

/// <summary>The workloads: probes, resources, images, replicas, disruption budgets, autoscalers, settings.</summary>
public sealed partial class DeploymentTests
{
    private static readonly Manifests M = Manifests.Repository;
    private static readonly AppHostModel AppHost = AppHostModel.Repository;
    private const string Registry = "ghcr.io/consortium-platform/";

    private static List<V1Deployment> Deployments => [.. M.BaseOf<V1Deployment>()];

    /// <summary>Our own services' Deployments: one per AppHost project, named like it.</summary>
    private static List<(AppHostModel.Service Service, V1Deployment? Deployment)> Platform =>
        [.. AppHost.Services.Select(s => (s, Deployments.SingleOrDefault(d => d.Metadata.Name == s.Name)))];

    [Fact]
    public void Every_service_of_the_AppHost_has_a_deployment()
    {
        Assert.Equal(5, AppHost.Services.Count); // membership, talent-pipeline, events, webhooks, dashboard
        Assert.Empty(Platform.Where(p => p.Deployment is null).Select(p => p.Service.Name));
    }

    [Fact]
    public void Platform_services_are_probed_on_their_health_endpoints()
    {
        var problems = new List<string>();
        foreach (var (service, deployment) in Platform)
        {
            var container = deployment!.Spec.Template.Spec.Containers.Single();
            if (container.ReadinessProbe?.HttpGet?.Path != "/health/ready") problems.Add($"{service.Name}: readiness probe is not GET /health/ready");
            if (container.LivenessProbe?.HttpGet?.Path != "/health/live") problems.Add($"{service.Name}: liveness probe is not GET /health/live");
            if (container.StartupProbe?.HttpGet?.Path is not ("/health/live" or "/health/ready")) problems.Add($"{service.Name}: startup probe is not on a health endpoint");
            var ports = (container.Ports ?? []).Select(p => p.Name).ToHashSet();
            foreach (var probe in new[] { container.ReadinessProbe, container.LivenessProbe, container.StartupProbe })
                if (probe?.HttpGet?.Port?.Value is { } port && !ports.Contains(port) && !(container.Ports ?? []).Any(p => p.ContainerPort.ToString(System.Globalization.CultureInfo.InvariantCulture) == port))
                    problems.Add($"{service.Name}: a probe targets port {port}, which the container does not declare");
        }
        foreach (var other in Deployments.Where(d => Platform.All(p => p.Deployment != d)))
            foreach (var container in other.Spec.Template.Spec.Containers)
                if (container.ReadinessProbe is null || container.LivenessProbe is null)
                    problems.Add($"{other.Metadata.Name}: readiness and liveness probes are required");
        Assert.Empty(problems);
    }

    [Fact]
    public void Every_container_has_cpu_and_memory_requests_and_a_memory_limit_not_below_them()
    {
        var problems = new List<string>();
        foreach (var deployment in Deployments)
            foreach (var container in deployment.Containers())
            {
                var requests = container.Resources?.Requests ?? new Dictionary<string, ResourceQuantity>();
                var limits = container.Resources?.Limits ?? new Dictionary<string, ResourceQuantity>();
                foreach (var resource in new[] { "cpu", "memory" })
                    if (!requests.ContainsKey(resource)) problems.Add($"{deployment.Metadata.Name}/{container.Name}: no {resource} request");
                if (!limits.TryGetValue("memory", out var memoryLimit)) problems.Add($"{deployment.Metadata.Name}/{container.Name}: no memory limit");
                else if (requests.TryGetValue("memory", out var memoryRequest) && memoryLimit.ToDecimal() < memoryRequest.ToDecimal())
                    problems.Add($"{deployment.Metadata.Name}/{container.Name}: memory limit below its request");
                if (limits.TryGetValue("cpu", out var cpuLimit) && requests.TryGetValue("cpu", out var cpuRequest) && cpuLimit.ToDecimal() < cpuRequest.ToDecimal())
                    problems.Add($"{deployment.Metadata.Name}/{container.Name}: cpu limit below its request");
            }
        Assert.Empty(problems);
    }

    [Fact]
    public void Images_come_from_the_platform_registry_and_get_their_tag_from_kustomize()
    {
        var kustomization = M.Base.Single(d => d.Kind == "Kustomization");
        var tagged = (kustomization.Tree["images"] as JsonArray ?? []).Select(i => (string?)i?["name"]).OfType<string>().ToHashSet();
        var problems = new List<string>();
        foreach (var (service, deployment) in Platform)
        {
            var image = deployment!.Spec.Template.Spec.Containers.Single().Image;
            if (image != Registry + service.Name) problems.Add($"{service.Name}: image {image}, expected {Registry}{service.Name} (tag through kustomize images:)");
            if (!tagged.Contains(Registry + service.Name)) problems.Add($"{service.Name}: no entry in the base kustomization's images:");
        }
        foreach (var other in Deployments.Where(d => Platform.All(p => p.Deployment != d)))
            foreach (var container in other.Containers())
                if (!ImageWithTag().IsMatch(container.Image) || container.Image.EndsWith(":latest", StringComparison.Ordinal))
                    problems.Add($"{other.Metadata.Name}: image {container.Image} must name a version");
        // An overlay that is applied gives every image a real tag.
        foreach (var overlay in M.Documents.Where(d => d.Kind == "Kustomization" && d.File.Contains("/overlays/", StringComparison.Ordinal)))
            foreach (var name in tagged)
                if ((overlay.Tree["images"] as JsonArray ?? []).SingleOrDefault(i => (string?)i?["name"] == name) is not { } entry
                    || ((string?)entry["newTag"] ?? "set-by-overlay") == "set-by-overlay")
                    problems.Add($"{overlay.File}: no release tag for {name}");
        Assert.Empty(problems);
    }

    [Fact]
    public void Services_with_a_database_run_at_least_two_replicas_with_a_disruption_budget_and_an_autoscaler()
    {
        var budgets = M.BaseOf<V1PodDisruptionBudget>().ToList();
        var autoscalers = M.BaseOf<V2HorizontalPodAutoscaler>().ToList();
        var services = AppHost.DomainServices.ToList();
        Assert.Equal(4, services.Count);
        var problems = new List<string>();
        foreach (var service in services)
        {
            var deployment = Deployments.Single(d => d.Metadata.Name == service.Name);
            var labels = deployment.Spec.Template.Metadata.Labels;
            if (!Pods.Selects(deployment.Spec.Selector.MatchLabels, labels)) problems.Add($"{service.Name}: the selector does not select its own pods");
            if ((deployment.Spec.Replicas ?? 1) < 2) problems.Add($"{service.Name}: fewer than 2 replicas");

            var budget = budgets.Where(b => Pods.Selects(b.Spec.Selector?.MatchLabels, labels)).ToList();
            if (budget.Count != 1) problems.Add($"{service.Name}: {budget.Count} PodDisruptionBudgets select its pods (expected 1)");
            else if (budget[0].Spec.MinAvailable is null && budget[0].Spec.MaxUnavailable is null) problems.Add($"{service.Name}: its PDB sets neither minAvailable nor maxUnavailable");

            var hpa = autoscalers.Where(h => h.Spec.ScaleTargetRef.Kind == "Deployment" && h.Spec.ScaleTargetRef.Name == service.Name).ToList();
            if (hpa.Count != 1) { problems.Add($"{service.Name}: {hpa.Count} HorizontalPodAutoscalers target it (expected 1)"); continue; }
            var spec = hpa[0].Spec;
            if ((spec.MinReplicas ?? 1) < 2) problems.Add($"{service.Name}: the HPA may scale below 2");
            if (spec.MaxReplicas < (spec.MinReplicas ?? 1)) problems.Add($"{service.Name}: the HPA's maxReplicas is below its minReplicas");
            if (!spec.Metrics.Any(m => m.Type == "Resource" && m.Resource?.Name == "cpu")) problems.Add($"{service.Name}: the HPA does not scale on CPU");
            var queue = spec.Metrics.Where(m => m.Type == "External" && m.External?.Metric?.Name == "rabbitmq_queue_messages_ready")
                .Select(m => (m.External.Metric.Selector?.MatchLabels is { } match && match.TryGetValue("queue", out var q) ? q : null)).ToList();
            if (queue.Count != 1) problems.Add($"{service.Name}: the HPA does not scale on one queue's depth (External rabbitmq_queue_messages_ready)");
            else if (!ConsumerQueues.Repository.TryGetValue(service.Name, out var consumed) || !consumed.Contains(queue[0]!))
                problems.Add($"{service.Name}: the HPA watches queue {queue[0]}, which the service does not consume");
        }
        Assert.Empty(problems);
    }

    [Fact]
    public void Each_service_is_given_every_setting_the_AppHost_gives_it_and_only_settings_the_repository_knows()
    {
        var configMaps = M.BaseOf<V1ConfigMap>().ToDictionary(c => c.Metadata.Name, c => c.Data ?? new Dictionary<string, string>());
        var secrets = M.BaseOf<V1Secret>().ToDictionary(s => s.Metadata.Name, s => (IEnumerable<string>)[.. (s.StringData?.Keys ?? []), .. (s.Data?.Keys ?? [])]);
        var known = ConfigurationKeys.Repository;
        var problems = new List<string>();
        foreach (var (service, deployment) in Platform)
        {
            var container = deployment!.Spec.Template.Spec.Containers.Single();
            var env = container.Env ?? [];
            var keys = new List<string>();
            foreach (var from in container.EnvFrom ?? [])
            {
                if (from.ConfigMapRef?.Name is { } c && configMaps.TryGetValue(c, out var data)) keys.AddRange(data.Keys);
                if (from.SecretRef?.Name is { } s && secrets.TryGetValue(s, out var secretKeys)) keys.AddRange(secretKeys);
            }
            keys.AddRange(env.Select(e => e.Name));

            foreach (var missing in service.Keys.Except(keys)) problems.Add($"{service.Name}: {missing} is not set (the AppHost sets it)");
            foreach (var otel in new[] { "OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_SERVICE_NAME" })
                if (!keys.Contains(otel)) problems.Add($"{service.Name}: {otel} is not set (telemetry would go nowhere)");
            foreach (var duplicate in keys.GroupBy(k => k).Where(g => g.Count() > 1)) problems.Add($"{service.Name}: {duplicate.Key} is set twice");

            // $(NAME) in a value is expanded by the kubelet only when NAME is defined before it in env.
            var referenced = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < env.Count; i++)
                foreach (Match reference in Expansion().Matches(env[i].Value ?? ""))
                {
                    var name = reference.Groups[1].Value;
                    referenced.Add(name);
                    if (!env.Take(i).Any(e => e.Name == name)) problems.Add($"{service.Name}: {env[i].Name} uses $({name}), not defined before it");
                }
            foreach (var key in keys.Where(k => !referenced.Contains(k) && k != "POD_NAME" && !service.Keys.Contains(k) && !known.IsKnown(k)))
                problems.Add($"{service.Name}: {key} is neither documented (README, Configuration) nor read by the code");
        }
        Assert.Empty(problems);
    }

    [Fact]
    public void Overlays_patch_settings_of_existing_config_maps_with_keys_the_repository_knows()
    {
        var baseMaps = M.BaseOf<V1ConfigMap>().Select(c => c.Metadata.Name).ToHashSet();
        var patches = M.Documents.Where(d => d.File.Contains("/overlays/", StringComparison.Ordinal) && d.Typed is V1ConfigMap).ToList();
        Assert.NotEmpty(patches);
        var problems = new List<string>();
        foreach (var patch in patches)
        {
            if (!baseMaps.Contains(patch.Name)) problems.Add($"{patch}: patches a ConfigMap the base does not have");
            foreach (var key in ((V1ConfigMap)patch.Typed!).Data?.Keys ?? [])
                if (!ConfigurationKeys.Repository.IsKnown(key)) problems.Add($"{patch}: {key} is neither documented (README, Configuration) nor read by the code");
        }
        Assert.Empty(problems);
    }

    [Fact]
    public void Addresses_in_the_settings_point_at_services_and_ports_that_exist()
    {
        var services = M.BaseOf<V1Service>().ToDictionary(s => s.Metadata.Name, s => s.Spec.Ports.Select(p => p.Port).ToHashSet());
        // The operators make these Services: <cluster>-rw for CloudNativePG's primary, the cluster's name for RabbitMQ.
        foreach (var cluster in M.BaseKind("Cluster")) services[cluster.Name + "-rw"] = [5432];
        foreach (var rabbit in M.BaseKind("RabbitmqCluster")) services[rabbit.Name] = [5672, 15672];

        var values = M.BaseOf<V1ConfigMap>().SelectMany(c => (c.Data ?? new Dictionary<string, string>()).Select(kv => ($"ConfigMap/{c.Metadata.Name}", kv.Key, kv.Value)))
            .Concat(M.BaseOf<V1Secret>().SelectMany(s => (s.StringData ?? new Dictionary<string, string>()).Select(kv => ($"Secret/{s.Metadata.Name}", kv.Key, kv.Value))))
            .Concat(Deployments.SelectMany(d => d.Containers().SelectMany(c => c.Env ?? []).Where(e => e.Value is not null).Select(e => ($"Deployment/{d.Metadata.Name}", e.Name, e.Value))))
            .ToList();
        var problems = new List<string>();
        var checkedAny = 0;
        foreach (var (owner, key, value) in values)
        {
            string? host = null;
            int port = 0;
            if (Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "amqp" && !uri.Host.Contains('.', StringComparison.Ordinal) && uri.Host != "+")
                (host, port) = (uri.Host, uri.Port);
            else if (key.StartsWith("ConnectionStrings__", StringComparison.Ordinal) && NpgsqlHost().Match(value) is { Success: true } m)
                (host, port) = (m.Groups["host"].Value, int.Parse(m.Groups["port"].Value, System.Globalization.CultureInfo.InvariantCulture));
            if (host is null) continue;
            checkedAny++;
            if (!services.TryGetValue(host, out var ports)) problems.Add($"{owner}: {key} points at {host}, which is no Service here");
            else if (!ports.Contains(port)) problems.Add($"{owner}: {key} points at {host}:{port}, a port the Service does not expose");
        }
        Assert.True(checkedAny >= 10, $"only {checkedAny} addresses found");
        Assert.Empty(problems);
    }

    [Fact]
    public void Containers_run_as_non_root_on_a_read_only_root_file_system()
    {
        var problems = new List<string>();
        foreach (var deployment in Deployments)
        {
            var pod = deployment.Spec.Template.Spec.SecurityContext;
            foreach (var container in deployment.Containers())
            {
                var own = container.SecurityContext;
                if ((own?.RunAsNonRoot ?? pod?.RunAsNonRoot) != true) problems.Add($"{deployment.Metadata.Name}/{container.Name}: runAsNonRoot is not set");
                if (own?.ReadOnlyRootFilesystem != true) problems.Add($"{deployment.Metadata.Name}/{container.Name}: the root file system is writable");
                if (own?.AllowPrivilegeEscalation != false) problems.Add($"{deployment.Metadata.Name}/{container.Name}: privilege escalation is allowed");
                if (own?.Capabilities?.Drop?.Contains("ALL") != true) problems.Add($"{deployment.Metadata.Name}/{container.Name}: capabilities are not dropped");
            }
        }
        Assert.Empty(problems);
    }

    [Fact]
    public void Network_policies_select_pods_of_this_deployment()
    {
        var policies = M.BaseOf<V1NetworkPolicy>().ToList();
        Assert.NotEmpty(policies);
        // Labels the operators put on their pods, besides our Deployments' templates.
        var podLabels = Deployments.Select(d => d.Spec.Template.Metadata.Labels).ToList();
        foreach (var cluster in M.BaseKind("Cluster")) podLabels.Add(new Dictionary<string, string> { ["cnpg.io/cluster"] = cluster.Name });
        foreach (var rabbit in M.BaseKind("RabbitmqCluster")) podLabels.Add(new Dictionary<string, string> { ["app.kubernetes.io/name"] = rabbit.Name });
        var problems = new List<string>();
        foreach (var policy in policies)
        {
            if (!podLabels.Any(l => Pods.Selects(policy.Spec.PodSelector.MatchLabels, l))) problems.Add($"NetworkPolicy/{policy.Metadata.Name}: selects no pod");
            foreach (var peer in (policy.Spec.Ingress ?? []).SelectMany(i => i.FromProperty ?? []).Where(p => p.PodSelector is not null && p.NamespaceSelector is null))
                if (!podLabels.Any(l => Pods.Selects(peer.PodSelector.MatchLabels, l))) problems.Add($"NetworkPolicy/{policy.Metadata.Name}: a source selects no pod");
        }
        Assert.Empty(problems);
    }

    [Fact]
    public void Connection_pools_at_the_autoscalers_ceilings_fit_the_database_connection_limit()
    {
        var autoscalers = M.BaseOf<V2HorizontalPodAutoscaler>().ToList();
        var pooled = 0;
        foreach (var deployment in Deployments)
            foreach (var env in deployment.Containers().SelectMany(c => c.Env ?? []).Where(e => e.Name.StartsWith("ConnectionStrings__", StringComparison.Ordinal) && e.Value is not null))
            {
                var pool = PoolSize().Match(env.Value);
                Assert.True(pool.Success, $"{deployment.Metadata.Name}: {env.Name} sets no Maximum Pool Size (Npgsql's default 100 per pod would exhaust the server)");
                var pods = autoscalers.SingleOrDefault(h => h.Spec.ScaleTargetRef.Name == deployment.Metadata.Name)?.Spec.MaxReplicas ?? deployment.Spec.Replicas ?? 1;
                pooled += pods * int.Parse(pool.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            }
        var cluster = Assert.Single(M.BaseKind("Cluster"));
        var limit = int.Parse((string?)cluster.Tree["spec"]?["postgresql"]?["parameters"]?["max_connections"] ?? "100", System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(pooled > 0, "no pooled connection string found");
        // Room for the operator's, the replication's and an administrator's connections.
        Assert.True(pooled + 20 <= limit, $"{pooled} pooled connections at the HPAs' ceilings (+20 reserved) exceed max_connections {limit}");
    }

    [GeneratedRegex(@"^[\w.\-/]+:[\w][\w.\-]{0,127}$")]
    private static partial Regex ImageWithTag();

    [GeneratedRegex(@"\$\(([A-Za-z_][A-Za-z0-9_]*)\)")]
    private static partial Regex Expansion();

    [GeneratedRegex(@"Host=(?<host>[^;]+);Port=(?<port>\d+)")]
    private static partial Regex NpgsqlHost();

    [GeneratedRegex(@"Maximum Pool Size=(\d+)")]
    private static partial Regex PoolSize();
}
