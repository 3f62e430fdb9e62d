using Platform.Balancer;
using Platform.ServiceDefaults.Telemetry;

// The load balancer in front of one platform service's instances (./run.sh --scale): YARP, requests spread over
// the instances whose /health/ready answers; a request no instance could take is a 503 with Retry-After, never a 502.
var builder = WebApplication.CreateBuilder(args);
var settings = BalancerSettings.From(builder.Configuration);
builder.AddPlatformTelemetry(settings.Name);
builder.Services.AddReverseProxy().LoadFromMemory(settings.Routes(), settings.Clusters());

var app = builder.Build();
// A pipeline of our own replaces YARP's default one: load balancing (the cluster's round robin) and passive health
// checks must be named, or YARP picks a destination at random and never marks a failing one down.
app.MapReverseProxy(proxy =>
{
    proxy.Use(Unavailable.WhenNoInstanceAnswersAsync);
    proxy.UseLoadBalancing();
    proxy.UsePassiveHealthChecks();
});
app.Run();

/// <summary>Entry point; public so tests can host the balancer.</summary>
public partial class Program;
