using System.Net;
using Platform.Testing;

namespace Platform.TalentPipeline.Tests;

/// <summary>The service as deployed: real PostgreSQL and RabbitMQ, ServiceDefaults wired by its Program.cs.</summary>
public sealed class ServiceDefaultsTests(ThrowawayPostgres postgres, ThrowawayRabbitMq rabbit) : IAsyncLifetime
{
    private ServiceUnderTest<Program>? _service;
    private ServiceUnderTest<Program> Service => _service!;

    public async ValueTask InitializeAsync() => _service = await ServiceUnderTest<Program>.StartAsync(postgres, rabbit, "talentpipelinedb");

    public async ValueTask DisposeAsync()
    {
        if (_service is not null) await _service.DisposeAsync();
    }

    [Fact]
    public Task Is_ready_with_its_database_broker_and_outbox_healthy() => ServiceConformance.AssertReadyAsync(Service);

    [Fact]
    public Task Honours_partner_keys_issued_and_revoked_through_membership_events() => ServiceConformance.AssertPartnerKeysFollowMembershipEventsAsync(Service);

    [Fact]
    public async Task Serves_its_OpenAPI_document_and_docs_page_without_a_key()
    {
        using var client = Service.CreateClient();
        using var document = await client.GetAsync(new Uri("/openapi/v1.json", UriKind.Relative), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, document.StatusCode);
        Assert.Contains("/api/v1/me", await document.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        using var docs = await client.GetAsync(new Uri("/docs/index.html", UriKind.Relative), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, docs.StatusCode);
    }
}
