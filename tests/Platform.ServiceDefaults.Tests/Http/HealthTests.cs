using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Platform.ServiceDefaults.Health;
using Platform.Testing;

namespace Platform.ServiceDefaults.Tests.Http;

public sealed class HealthTests(ThrowawayPostgres postgres)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static async Task<(HttpStatusCode Status, JsonElement Body)> GetAsync(TestApp.TestApp app, string path)
    {
        using var client = app.Client();
        using var response = await client.GetAsync(path, Cancel);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync(Cancel)).RootElement);
    }

    private static JsonElement Check(JsonElement body, string name) =>
        body.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("name").GetString() == name);

    [Fact]
    public async Task Live_and_ready_answer_the_JSON_shape()
    {
        await using var app = await TestApp.TestApp.StartAsync(postgres);

        var (liveStatus, live) = await GetAsync(app, "/health/live");
        Assert.Equal(HttpStatusCode.OK, liveStatus);
        Assert.Equal("healthy", live.GetProperty("status").GetString());
        Assert.True(live.GetProperty("totalDurationMs").GetDouble() >= 0);
        Assert.Equal(["self"], live.GetProperty("checks").EnumerateArray().Select(c => c.GetProperty("name").GetString()));

        var (readyStatus, ready) = await GetAsync(app, "/health/ready");
        Assert.Equal(HttpStatusCode.OK, readyStatus);
        var database = Check(ready, "database");
        Assert.Equal("healthy", database.GetProperty("status").GetString());
        Assert.True(database.GetProperty("durationMs").GetDouble() >= 0);
        Assert.Equal(JsonValueKind.Object, database.GetProperty("data").ValueKind);
        Assert.True(database.TryGetProperty("description", out _));
        Assert.DoesNotContain(ready.GetProperty("checks").EnumerateArray(), c => c.GetProperty("name").GetString() == "self");
    }

    [Fact]
    public async Task A_failing_ready_check_makes_ready_503_without_exception_details_while_live_stays_200()
    {
        await using var app = await TestApp.TestApp.StartAsync(postgres, builder => builder.Services.AddHealthChecks()
            .AddCheck("broker", () => HealthCheckResult.Unhealthy("The broker does not answer.", new InvalidOperationException("secret-connection-detail"),
                new Dictionary<string, object> { ["attempts"] = 3, ["node"] = "rabbit@localhost" }), [HealthEndpoints.Ready]));

        var (readyStatus, ready) = await GetAsync(app, "/health/ready");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, readyStatus);
        Assert.Equal("unhealthy", ready.GetProperty("status").GetString());
        var broker = Check(ready, "broker");
        Assert.Equal("unhealthy", broker.GetProperty("status").GetString());
        Assert.Equal("The broker does not answer.", broker.GetProperty("description").GetString());
        Assert.Equal(3, broker.GetProperty("data").GetProperty("attempts").GetInt32());
        Assert.Equal("rabbit@localhost", broker.GetProperty("data").GetProperty("node").GetString());
        Assert.DoesNotContain("secret-connection-detail", ready.GetRawText(), StringComparison.Ordinal);
        Assert.Equal("healthy", Check(ready, "database").GetProperty("status").GetString());

        var (liveStatus, _) = await GetAsync(app, "/health/live");
        Assert.Equal(HttpStatusCode.OK, liveStatus);
    }
}
