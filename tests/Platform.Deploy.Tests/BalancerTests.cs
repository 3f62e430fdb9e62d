using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Logging;

namespace Platform.Deploy.Tests;

/// <summary>
/// The load balancer of <c>./run.sh --scale</c> (AppHost/Balancer, YARP) in front of two real instances listening on
/// loopback: requests reach both, and an instance that dies costs clients at most a 503 with Retry-After.
/// </summary>
public sealed class BalancerTests : IAsyncLifetime
{
    private readonly Instance _first = new("first");
    private readonly Instance _second = new("second");
    private WebApplicationFactory<Program>? _balancer;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        await _first.StartAsync();
        await _second.StartAsync();
        _balancer = new WebApplicationFactory<Program>().WithWebHostBuilder(web => web
            .UseSetting("Balancer:Name", "talent-pipeline")
            .UseSetting("Balancer:Destinations:0", _first.Url)
            .UseSetting("Balancer:Destinations:1", _second.Url)
            .ConfigureLogging(logging => logging.ClearProviders()));
    }

    [Fact]
    public async Task Requests_take_turns_over_every_ready_instance()
    {
        using var client = _balancer!.CreateClient();
        var servedBy = new List<string>();
        for (var i = 0; i < 20; i++)
        {
            using var response = await client.GetAsync(new Uri("/api/v1/who", UriKind.Relative), Cancel);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            servedBy.Add(await response.Content.ReadAsStringAsync(Cancel));
        }
        // Round robin, not chance: one after the other, half each.
        Assert.Equal(["first", "second"], servedBy.Distinct().Order());
        Assert.All(servedBy.Zip(servedBy.Skip(1)), pair => Assert.NotEqual(pair.First, pair.Second));
    }

    [Fact]
    public async Task An_instance_that_dies_costs_at_most_a_503_with_retry_after_and_the_survivor_takes_over()
    {
        using var client = _balancer!.CreateClient();
        await _second.StopAsync();

        var statuses = new ConcurrentBag<HttpStatusCode>();
        var servedBy = new List<string>();
        var deadline = DateTime.UtcNow.AddSeconds(15);
        var consecutiveOk = 0;
        while (consecutiveOk < 20 && DateTime.UtcNow < deadline)
        {
            using var response = await client.GetAsync(new Uri("/api/v1/who", UriKind.Relative), Cancel);
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                consecutiveOk++;
                servedBy.Add(await response.Content.ReadAsStringAsync(Cancel));
                continue;
            }
            consecutiveOk = 0;
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.NotNull(response.Headers.RetryAfter);
            await Task.Delay(100, Cancel);
        }
        Assert.True(consecutiveOk >= 20, $"the survivor did not take over within 15 s: {string.Join(", ", statuses)}");
        Assert.All(servedBy.TakeLast(20), who => Assert.Equal("first", who));
    }

    [Fact]
    public async Task With_no_instance_left_the_answer_is_a_503_problem_with_retry_after_not_a_502()
    {
        using var client = _balancer!.CreateClient();
        await _first.StopAsync();
        await _second.StopAsync();

        using var response = await client.PostAsync(new Uri("/api/v1/placement-events", UriKind.Relative), new StringContent("{}"), Cancel);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(1), response.Headers.RetryAfter?.Delta);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Cancel));
        Assert.Equal("unavailable", problem.RootElement.GetProperty("code").GetString());
        Assert.Equal(503, problem.RootElement.GetProperty("status").GetInt32());
    }

    public async ValueTask DisposeAsync()
    {
        if (_balancer is not null) await _balancer.DisposeAsync();
        await _first.StopAsync();
        await _second.StopAsync();
    }

    /// <summary>A stand-in service instance on a real loopback port: ready, and says who it is.</summary>
    private sealed class Instance(string name)
    {
        private WebApplication? _app;

        public string Url { get; private set; } = "";

        public async Task StartAsync()
        {
            var port = FreePort();
            Url = $"http://127.0.0.1:{port}";
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls(Url);
            builder.Logging.ClearProviders();
            _app = builder.Build();
            _app.MapGet("/health/ready", () => Results.Ok());
            _app.MapGet("/api/v1/who", () => name);
            await _app.StartAsync(Cancel);
        }

        public async Task StopAsync()
        {
            if (_app is null) return;
            await _app.StopAsync(CancellationToken.None);
            await _app.DisposeAsync();
            _app = null;
        }

        private static int FreePort()
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
    }
}
