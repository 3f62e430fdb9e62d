using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Platform.ServiceDefaults.Auth;
using Platform.ServiceDefaults.Tests.TestApp;
using Platform.Testing;
using static Platform.ServiceDefaults.Tests.TestApp.ProblemAssert;

namespace Platform.ServiceDefaults.Tests.Http;

public sealed class AuthTests(SharedApp shared, ThrowawayPostgres postgres) : IClassFixture<SharedApp>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;
    private TestApp.TestApp App => shared.App;

    [Fact]
    public async Task No_key_is_a_401_problem_with_an_ApiKey_challenge()
    {
        using var client = App.Client();
        using var response = await client.GetAsync("/api/v1/whoami", Cancel);
        var problem = await IsProblemAsync(response, HttpStatusCode.Unauthorized);
        Assert.StartsWith("ApiKey", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        Assert.Contains("X-Api-Key", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_key_is_a_401_and_is_never_logged()
    {
        var key = "pk_made_up_" + Guid.NewGuid().ToString("N");
        using var client = App.Client(key);
        using var response = await client.GetAsync("/api/v1/whoami", Cancel);
        await IsProblemAsync(response, HttpStatusCode.Unauthorized);
        Assert.StartsWith("ApiKey", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        Assert.Contains(App.Logs.Lines, line => line.Contains("was not authenticated", StringComparison.Ordinal));
        Assert.DoesNotContain(App.Logs.Lines, line => line.Contains(key, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Two_key_headers_are_refused()
    {
        using var client = App.Client(TestApp.TestApp.OperatorKey);
        client.DefaultRequestHeaders.Add(ApiKeyDefaults.HeaderName, "second");
        using var response = await client.GetAsync("/api/v1/whoami", Cancel);
        await IsProblemAsync(response, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task The_operator_key_acts_as_operator_with_every_scope()
    {
        using var client = App.Operator();
        var me = await client.GetFromJsonAsync<JsonElement>("/api/v1/whoami", Cancel);
        Assert.Equal("operator", me.GetProperty("kind").GetString());
        Assert.Equal(JsonValueKind.Null, me.GetProperty("organizationId").ValueKind);
        using var created = await client.PostAsJsonAsync("/api/v1/things", new { name = "by operator", kind = "orderClass", seats = 1 }, Cancel);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
    }

    [Fact]
    public void A_started_service_loads_no_data_protection_key_ring()
    {
        // API keys protect nothing: no XML key ring read or written at each start (nor its warnings in a container).
        var hosted = App.Services.GetServices<IHostedService>().Select(s => s.GetType().FullName).ToList();
        Assert.Contains(typeof(PartnerKeyReconciler).FullName, hosted);
        Assert.DoesNotContain("Microsoft.AspNetCore.DataProtection.Internal.DataProtectionHostedService", hosted);
        Assert.DoesNotContain(App.Logs.Lines, line => line.Contains("DataProtection", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_partner_key_carries_its_client_organization_and_scopes()
    {
        var partner = await App.IssuePartnerKeyAsync(Scopes.PipelineRead, Scopes.EventsRead);
        using var client = App.Client(partner.Key);
        var me = await EventuallyAsync(async () => await client.GetAsync("/api/v1/whoami", Cancel), HttpStatusCode.OK);
        var body = await me.Content.ReadFromJsonAsync<JsonElement>(Cancel);
        Assert.Equal("partner", body.GetProperty("kind").GetString());
        Assert.Equal(partner.ApiClientId, body.GetProperty("apiClientId").GetGuid());
        Assert.Equal(partner.OrganizationId, body.GetProperty("organizationId").GetGuid());
        Assert.Equal([Scopes.EventsRead, Scopes.PipelineRead], body.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));
        Assert.DoesNotContain(App.Logs.Lines, line => line.Contains(partner.Key, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_missing_scope_is_a_403_problem_naming_the_scope()
    {
        var partner = await App.IssuePartnerKeyAsync(Scopes.PipelineRead);
        using var client = App.Client(partner.Key);
        await EventuallyAsync(async () => await client.GetAsync("/api/v1/things", Cancel), HttpStatusCode.OK);

        using var response = await client.PostAsJsonAsync("/api/v1/things", new { name = "x", kind = "orderClass", seats = 1 }, Cancel);
        var problem = await IsProblemAsync(response, HttpStatusCode.Forbidden);
        Assert.Contains("'pipeline:write'", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Issued_keys_work_and_revoked_keys_stop_working_within_seconds()
    {
        var partner = await App.IssuePartnerKeyAsync(Scopes.PipelineRead);
        using var client = App.Client(partner.Key);
        var issuedIn = await TimeUntilAsync(client, HttpStatusCode.OK);
        Assert.True(issuedIn < TimeSpan.FromSeconds(3), $"The issued key worked only after {issuedIn}.");

        await App.RevokeAsync(partner);
        var revokedIn = await TimeUntilAsync(client, HttpStatusCode.Unauthorized);
        Assert.True(revokedIn < TimeSpan.FromSeconds(3), $"The revoked key still worked for {revokedIn}.");
        await Task.Delay(PartnerKeysMaxAge, Cancel);
        using var after = await client.GetAsync("/api/v1/whoami", Cancel);
        await IsProblemAsync(after, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_flood_of_unknown_keys_does_not_query_the_database_per_request()
    {
        // Its own app: the flood empties the rate-limit bucket of keyless callers, which the other tests here share.
        await using var app = await TestApp.TestApp.StartAsync(postgres);
        static int Loads(TestApp.TestApp app) => app.Logs.Lines.Count(l => l.Contains("active partner API keys", StringComparison.Ordinal));
        var before = Loads(app);
        var started = Stopwatch.StartNew();
        for (var i = 0; i < 100; i++)
        {
            using var client = app.Client($"pk_flood_{i}_{Guid.NewGuid():N}");
            using var response = await client.GetAsync("/api/v1/whoami", Cancel);
            // Past the burst, the client's address is rate limited: that is the other half of the defence.
            Assert.Contains(response.StatusCode, new[] { HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests });
        }
        // One snapshot load per MaxAge at most (plus one for a load already due when the flood began).
        var allowed = 2 + (int)(started.Elapsed / PartnerKeysMaxAge);
        Assert.InRange(Loads(app) - before, 0, allowed);
    }

    [Fact]
    public async Task Another_organizations_private_resource_is_a_404()
    {
        var owner = await App.IssuePartnerKeyAsync(Scopes.PipelineRead, Scopes.PipelineWrite);
        var stranger = await App.IssuePartnerKeyAsync(Scopes.PipelineRead);
        using var ownerClient = App.Client(owner.Key);
        using var strangerClient = App.Client(stranger.Key);
        await EventuallyAsync(async () => await strangerClient.GetAsync("/api/v1/whoami", Cancel), HttpStatusCode.OK);

        using var created = await EventuallyAsync(
            async () => await ownerClient.PostAsJsonAsync("/api/v1/things", new { name = "private", kind = "orderClass", seats = 1 }, Cancel),
            HttpStatusCode.Created);
        var location = created.Headers.Location!;

        using var asStranger = await strangerClient.GetAsync(location, Cancel);
        var problem = await IsProblemAsync(asStranger, HttpStatusCode.NotFound);
        using var missing = await strangerClient.GetAsync($"/api/v1/things/{Guid.CreateVersion7()}", Cancel);
        var missingProblem = await IsProblemAsync(missing, HttpStatusCode.NotFound);
        // Indistinguishable from a resource that does not exist.
        Assert.Equal(missingProblem.GetProperty("detail").GetString(), problem.GetProperty("detail").GetString());

        using var asOwner = await ownerClient.GetAsync(location, Cancel);
        Assert.Equal(HttpStatusCode.OK, asOwner.StatusCode);
        using var operatorClient = App.Operator();
        using var asOperator = await operatorClient.GetAsync(location, Cancel);
        Assert.Equal(HttpStatusCode.OK, asOperator.StatusCode);
    }

    [Fact]
    public async Task Anonymous_endpoints_and_probes_need_no_key()
    {
        using var client = App.Client();
        using var open = await client.GetAsync("/api/v1/public", Cancel);
        Assert.Equal(HttpStatusCode.OK, open.StatusCode);
        using var live = await client.GetAsync("/health/live", Cancel);
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
    }

    [Fact]
    public void RequireScope_refuses_unknown_scopes()
    {
        var builder = WebApplication.CreateSlimBuilder();
        using var app = builder.Build();
        Assert.Throws<ArgumentException>(() => app.MapGet("/x", () => "x").RequireScope("pipeline:wrte"));
    }

    private static readonly TimeSpan PartnerKeysMaxAge = TimeSpan.FromSeconds(2);

    private static async Task<TimeSpan> TimeUntilAsync(HttpClient client, HttpStatusCode status)
    {
        var started = Stopwatch.StartNew();
        using var response = await EventuallyAsync(async () => await client.GetAsync("/api/v1/whoami", Cancel), status);
        return started.Elapsed;
    }

    /// <summary>Repeats the request until it answers <paramref name="status"/> (keys replicate within seconds).</summary>
    private static async Task<HttpResponseMessage> EventuallyAsync(Func<Task<HttpResponseMessage>> send, HttpStatusCode status)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var response = await send();
            if (response.StatusCode == status || deadline.Elapsed > TimeSpan.FromSeconds(5)) return response;
            response.Dispose();
            await Task.Delay(100, Cancel);
        }
    }
}
