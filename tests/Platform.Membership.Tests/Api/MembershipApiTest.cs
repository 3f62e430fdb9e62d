using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Platform.Membership.Domain;
using Platform.Membership.Features.Consortia;
using Platform.Membership.Features.Memberships;
using Platform.Membership.Features.Organizations;
using Platform.ServiceDefaults.Http;
using Platform.Testing;

namespace Platform.Membership.Tests.Api;

/// <summary>
/// The membership service as deployed (its Program.cs, real PostgreSQL and RabbitMQ), shared by the test classes that
/// run at the same time: a host start with its migrations, bus and JIT costs far more than the tests that use it.
/// </summary>
public sealed class MembershipService(ThrowawayPostgres postgres, ThrowawayRabbitMq rabbit) : IAsyncLifetime
{
    private static readonly SharedService<Program> Shared = new((postgres, rabbit) => ServiceUnderTest<Program>.StartAsync(postgres, rabbit, "membershipdb"));

    private ServiceUnderTest<Program>? _service;

    public ThrowawayPostgres Postgres => postgres;
    public ThrowawayRabbitMq Rabbit => rabbit;
    public ServiceUnderTest<Program> Service => _service ?? throw new InvalidOperationException("Not started.");

    public async ValueTask InitializeAsync() => _service = await Shared.AcquireAsync(postgres, rabbit);

    public async ValueTask DisposeAsync() => await Shared.ReleaseAsync();
}

/// <summary>
/// The calls a partner or the operator makes to the class's <see cref="MembershipService"/>. Each test builds its own
/// consortium and organizations, so the tests of a class share the service without seeing each other's data.
/// </summary>
public abstract class MembershipApiTest(MembershipService membership) : IClassFixture<MembershipService>, IDisposable
{
    protected ServiceUnderTest<Program> Service => membership.Service;
    protected HttpClient Operator { get; } = membership.Service.ClientWithKey();
    protected static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        Operator.Dispose();
        GC.SuppressFinalize(this);
    }

    protected static async Task<T> ReadAsync<T>(HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync(Cancel);
        Assert.True(response.StatusCode == expected, $"Expected {(int)expected}, got {(int)response.StatusCode}: {body}");
        return JsonSerializer.Deserialize<T>(body, PlatformJson.Options)!;
    }

    /// <summary>Asserts a problem document with <paramref name="status"/> and returns it.</summary>
    protected static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync(Cancel);
        Assert.True(response.StatusCode == status, $"Expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary>The messages of one field of a validation problem.</summary>
    protected static string[] FieldErrors(JsonElement problem, string field) =>
        problem.GetProperty("errors").TryGetProperty(field, out var messages) ? [.. messages.EnumerateArray().Select(m => m.GetString()!)] : [];

    protected static string UniqueName(string name) => $"{name} ({Guid.NewGuid().ToString("N")[..8]})";

    /// <summary>A valid GB 32100 code nobody else in the run has.</summary>
    protected static string NewCreditCode()
    {
        const string alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
        var first17 = "91370100" + string.Concat(Enumerable.Range(0, 9).Select(_ => alphabet[Random.Shared.Next(alphabet.Length)]));
        return first17 + UnifiedSocialCreditCode.CheckCharacter(first17);
    }

    protected async Task<OrganizationResponse> RegisterAsync(string name, OrganizationKind kind = OrganizationKind.Enterprise, string region = "Shandong, Jinan",
        string? creditCode = null)
    {
        using var response = await Operator.PostAsJsonAsync("/api/v1/organizations",
            new { name = UniqueName(name), kind, region, unifiedSocialCreditCode = creditCode }, PlatformJson.Options, Cancel);
        return await ReadAsync<OrganizationResponse>(response, HttpStatusCode.Created);
    }

    protected async Task<ConsortiumResponse> EstablishAsync(string name = "Jinan Economic Development Zone Industry-Education Consortium")
    {
        using var response = await Operator.PostAsJsonAsync("/api/v1/consortia",
            new { name = UniqueName(name), kind = "industryEducationConsortium", region = "Shandong, Jinan", sectors = new[] { "intelligent manufacturing" } },
            PlatformJson.Options, Cancel);
        return await ReadAsync<ConsortiumResponse>(response, HttpStatusCode.Created);
    }

    protected Task<HttpResponseMessage> ApplyAsync(Guid consortiumId, Guid organizationId, string? reason = null) =>
        Operator.PostAsJsonAsync($"/api/v1/consortia/{consortiumId}/memberships", new { organizationId, reason }, PlatformJson.Options, Cancel);

    protected Task<HttpResponseMessage> ActAsync(MembershipResponse membership, string action, string? reason = null, HttpClient? client = null) =>
        (client ?? Operator).PostAsJsonAsync($"/api/v1/consortia/{membership.ConsortiumId}/memberships/{membership.Id}/{action}", new { reason }, PlatformJson.Options, Cancel);

    /// <summary>Registers an organization and makes it an active member of the consortium.</summary>
    protected async Task<MembershipResponse> ActiveMemberAsync(Guid consortiumId, string name, OrganizationKind kind = OrganizationKind.Enterprise)
    {
        var organization = await RegisterAsync(name, kind);
        using var applied = await ApplyAsync(consortiumId, organization.Id);
        var membership = await ReadAsync<MembershipResponse>(applied, HttpStatusCode.Created);
        using var approved = await ActAsync(membership, "approve", "approved by the council");
        return await ReadAsync<MembershipResponse>(approved, HttpStatusCode.OK);
    }

    protected async Task<HttpClient> PartnerAsync(Guid organizationId, params string[] scopes) =>
        Service.ClientWithKey(await Service.IssuePartnerKeyAsync(organizationId, scopes));
}
