using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.LoadBalancing;

namespace Platform.Balancer;

/// <summary>
/// <c>Balancer:Name</c> (the service it fronts, for telemetry) and <c>Balancer:Destinations:0..n</c> (each instance's
/// base URL), as the AppHost sets them.
/// </summary>
public sealed record BalancerSettings(string Name, IReadOnlyList<Uri> Destinations)
{
    private const string ClusterId = "instances";

    public static BalancerSettings From(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var name = configuration["Balancer:Name"] is { Length: > 0 } n ? n : "balancer";
        var destinations = configuration.GetSection("Balancer:Destinations").GetChildren()
            .Select(d => Uri.TryCreate(d.Value, UriKind.Absolute, out var uri) ? uri
                : throw new InvalidOperationException($"Balancer:Destinations:{d.Key} is not an absolute URL: '{d.Value}'."))
            .ToList();
        if (destinations.Count == 0) throw new InvalidOperationException("Set Balancer:Destinations:0 (and :1, …) to the instances' URLs.");
        return new BalancerSettings(name, destinations);
    }

    public IReadOnlyList<RouteConfig> Routes() =>
        [new RouteConfig { RouteId = "everything", ClusterId = ClusterId, Match = new RouteMatch { Path = "{**path}" } }];

    public IReadOnlyList<ClusterConfig> Clusters() =>
    [
        new ClusterConfig
        {
            ClusterId = ClusterId,
            LoadBalancingPolicy = LoadBalancingPolicies.RoundRobin,
            Destinations = Destinations.Select((uri, i) => (uri, i))
                .ToDictionary(d => $"instance-{d.i + 1}", d => new DestinationConfig { Address = d.uri.ToString(), Health = new Uri(d.uri, "/").ToString() }),
            HealthCheck = new HealthCheckConfig
            {
                // An instance that stops answering readiness gets no new requests within a second or two…
                Active = new ActiveHealthCheckConfig { Enabled = true, Interval = TimeSpan.FromSeconds(1), Timeout = TimeSpan.FromSeconds(2), Policy = "ConsecutiveFailures", Path = "/health/ready" },
                // …and one that refuses connections (killed) is taken out at once, until the active check sees it back.
                Passive = new PassiveHealthCheckConfig { Enabled = true, Policy = "TransportFailureRate", ReactivationPeriod = TimeSpan.FromSeconds(2) },
                AvailableDestinationsPolicy = "HealthyOrPanic",
            },
            Metadata = new Dictionary<string, string> { ["ConsecutiveFailuresHealthPolicy.Threshold"] = "1" },
        },
    ];
}
