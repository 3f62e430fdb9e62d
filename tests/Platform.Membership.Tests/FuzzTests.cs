using Platform.Testing;

namespace Platform.Membership.Tests;

/// <summary>
/// The service under the schema-driven fuzzer (issue 11): every operation of its OpenAPI document, bounded and seeded
/// (ServiceFuzzing.Seed, printed), real PostgreSQL and RabbitMQ. 0 × 5xx; every 4xx a problem document.
/// </summary>
public sealed class FuzzTests(ThrowawayPostgres postgres, ThrowawayRabbitMq rabbit)
{
    [Fact]
    public async Task Hundreds_of_generated_and_broken_requests_get_no_5xx_and_problem_documents_for_every_4xx()
    {
        await using var service = await ServiceUnderTest<Program>.StartAsync(postgres, rabbit, "membershipdb", ServiceFuzzing.Settings);
        var known = await ServiceFuzzing.AnnounceConsortiumAsync(service);
        await ServiceFuzzing.AssertNoServerErrorsAsync(service, requests: 500, known);
    }
}
