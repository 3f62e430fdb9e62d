using Xunit;

using System.Net;

namespace Platform.Testing;

/// <summary>
/// What ServiceDefaults promises, proven on each real service as its Program.cs builds it (real PostgreSQL and
/// RabbitMQ). Each service's test project derives one class from this.
/// </summary>
public abstract class ServiceConformanceTests<TProgram>(ThrowawayPostgres postgres, ThrowawayRabbitMq rabbit, string databaseName) : IAsyncLifetime
    where TProgram : class
{
    private ServiceUnderTest<TProgram>? _service;
    private ServiceUnderTest<TProgram> Service => _service!;

    public async ValueTask InitializeAsync() => _service = await ServiceUnderTest<TProgram>.StartAsync(postgres, rabbit, databaseName);

    public async ValueTask DisposeAsync()
    {
        if (_service is not null) await _service.DisposeAsync();
        GC.SuppressFinalize(this);
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

    [Fact]
    public async Task Its_OpenAPI_document_is_one_a_partner_can_generate_a_good_client_from()
    {
        using var client = Service.CreateClient();
        var text = await client.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative), TestContext.Current.CancellationToken);
        using var document = System.Text.Json.JsonDocument.Parse(text);
        var violations = OpenApiConformance.Violations(document.RootElement);
        Assert.True(violations.Count == 0, $"{violations.Count} problem(s) in the OpenAPI document:{Environment.NewLine}{string.Join(Environment.NewLine, violations)}");
    }
}
