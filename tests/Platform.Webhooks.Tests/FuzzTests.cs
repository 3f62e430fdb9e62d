using System.Net.Http.Json;
using System.Text.Json;
using Platform.Testing;

namespace Platform.Webhooks.Tests;

/// <summary>
/// The service under the schema-driven fuzzer (issue 11): every operation of its OpenAPI document, bounded and seeded
/// (ServiceFuzzing.Seed, printed), real PostgreSQL and RabbitMQ. 0 × 5xx; every 4xx a problem document. Loopback
/// targets are allowed so that a registered endpoint gives the fuzzer real ids (its receiver port refuses connections).
/// </summary>
public sealed class FuzzTests(ThrowawayPostgres postgres, ThrowawayRabbitMq rabbit)
{
    [Fact]
    public async Task Hundreds_of_generated_and_broken_requests_get_no_5xx_and_problem_documents_for_every_4xx()
    {
        var settings = new Dictionary<string, string>(ServiceFuzzing.Settings) { ["Webhooks:AllowPrivateTargets"] = "true" };
        await using var service = await ServiceUnderTest<Program>.StartAsync(postgres, rabbit, "webhooksdb", settings);
        var known = await ServiceFuzzing.AnnounceConsortiumAsync(service);
        using var client = service.ClientWithKey();
        using var registered = await client.PostAsJsonAsync("/api/v1/webhook-endpoints",
            new { organizationId = known["collegeId"][0], url = "http://127.0.0.1:9/hooks", eventTypes = new[] { "*" } }, TestContext.Current.CancellationToken);
        registered.EnsureSuccessStatusCode();
        var endpoint = await registered.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        known["endpointId"] = [endpoint.GetProperty("id").GetString()!];
        await ServiceFuzzing.AssertNoServerErrorsAsync(service, requests: 500, known);
    }
}
