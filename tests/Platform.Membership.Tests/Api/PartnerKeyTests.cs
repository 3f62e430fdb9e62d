using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Platform.Membership.Features.ApiClients;
using Platform.Membership.Features.Organizations;
using Platform.Membership.Features.People;
using Platform.ServiceDefaults.Auth;
using Platform.ServiceDefaults.Http;
using Platform.Testing;

namespace Platform.Membership.Tests.Api;

/// <summary>Partner keys as membership issues them: scopes, expiry, and how fast issue and revoke count where.</summary>
public sealed class PartnerKeyTests(MembershipService membership) : MembershipApiTest(membership)
{
    private readonly ThrowawayPostgres _postgres = membership.Postgres;
    private readonly ThrowawayRabbitMq _rabbit = membership.Rabbit;

    [Fact]
    public async Task Partner_writes_need_membership_write_and_a_read_key_gets_403_on_each()
    {
        var organization = await RegisterAsync("Shandong Beichen");
        using var reader = Service.ClientWithKey(await IssueAsync(Operator, organization.Id, [Scopes.MembershipRead]));
        using var writer = Service.ClientWithKey(await IssueAsync(Operator, organization.Id, [Scopes.MembershipWrite]));
        var edit = new { name = organization.Name + " Co., Ltd.", region = "Shandong, Jinan" };
        var representative = new { name = "Wang Li", title = "HR director" };

        using (var put = await reader.PutAsJsonAsync($"/api/v1/organizations/{organization.Id}", edit, PlatformJson.Options, Cancel))
            Assert.Contains("'membership:write'", (await ProblemAsync(put, HttpStatusCode.Forbidden)).GetProperty("detail").GetString(), StringComparison.Ordinal);
        using (var add = await reader.PostAsJsonAsync($"/api/v1/organizations/{organization.Id}/representatives", representative, PlatformJson.Options, Cancel))
            await ProblemAsync(add, HttpStatusCode.Forbidden);

        using (var put = await writer.PutAsJsonAsync($"/api/v1/organizations/{organization.Id}", edit, PlatformJson.Options, Cancel))
            Assert.Equal(edit.name, (await ReadAsync<OrganizationResponse>(put, HttpStatusCode.OK)).Name);
        using var added = await writer.PostAsJsonAsync($"/api/v1/organizations/{organization.Id}/representatives", representative, PlatformJson.Options, Cancel);
        var person = await ReadAsync<PersonResponse>(added, HttpStatusCode.Created);

        using (var remove = await reader.DeleteAsync($"/api/v1/organizations/{organization.Id}/representatives/{person.Id}", Cancel))
            await ProblemAsync(remove, HttpStatusCode.Forbidden);
        using (var remove = await writer.DeleteAsync($"/api/v1/organizations/{organization.Id}/representatives/{person.Id}", Cancel))
            Assert.Equal(HttpStatusCode.NoContent, remove.StatusCode);
        // The read key still reads: write is a scope of its own, not a replacement.
        using (var list = await reader.GetAsync($"/api/v1/organizations/{organization.Id}/representatives", Cancel))
            Assert.Empty((await ReadAsync<Page<PersonResponse>>(list, HttpStatusCode.OK)).Items);
    }

    [Fact]
    public async Task Membership_honours_issue_and_revoke_on_the_next_request_with_no_broker_at_all()
    {
        // No broker listens on port 1: nothing is published or consumed, so only membership's own transaction counts.
        await using var membership = ServiceUnderTest<Program>.Start("membershipdb", await _postgres.CreateDatabaseAsync("membershipdb"),
            new Uri("amqp://platform:none@127.0.0.1:1/nobroker"));
        using var operatorClient = membership.ClientWithKey();
        using var registered = await operatorClient.PostAsJsonAsync("/api/v1/organizations",
            new { name = UniqueName("Shandong Labor college"), kind = "vocationalCollege", region = "Shandong, Jinan" }, PlatformJson.Options, Cancel);
        var organization = await ReadAsync<OrganizationResponse>(registered, HttpStatusCode.Created);
        // A first partner request loads the key snapshot, so the next ones prove it is not stale.
        using (var warm = membership.ClientWithKey("cpk_unknown"))
            await ProblemAsync(await warm.GetAsync("/api/v1/me", Cancel), HttpStatusCode.Unauthorized);

        var issued = Stopwatch.StartNew();
        using var issue = await operatorClient.PostAsJsonAsync($"/api/v1/organizations/{organization.Id}/api-clients",
            new { name = "college SIS", scopes = new[] { Scopes.MembershipRead } }, PlatformJson.Options, Cancel);
        var client = await ReadAsync<ApiClientResponse>(issue, HttpStatusCode.Created);
        using var partner = membership.ClientWithKey(client.Key);
        using (var first = await partner.GetAsync($"/api/v1/organizations/{organization.Id}", Cancel))
            await ReadAsync<OrganizationResponse>(first, HttpStatusCode.OK);
        TestContext.Current.TestOutputHelper?.WriteLine($"issue → first accepted request: {issued.ElapsedMilliseconds} ms");

        var revoked = Stopwatch.StartNew();
        using (var revoke = await operatorClient.DeleteAsync($"/api/v1/api-clients/{client.Id}", Cancel))
            Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        using (var next = await partner.GetAsync($"/api/v1/organizations/{organization.Id}", Cancel))
            Assert.Equal("The API key is invalid or expired.", (await ProblemAsync(next, HttpStatusCode.Unauthorized)).GetProperty("detail").GetString());
        TestContext.Current.TestOutputHelper?.WriteLine($"revoke → first refused request: {revoked.ElapsedMilliseconds} ms");
    }

    [Fact]
    public async Task Another_service_follows_issue_revoke_and_expiry_through_the_broker_within_10_seconds()
    {
        // Membership and the other service share a virtual host; the other service has no reconcile, only events.
        var vhost = await _rabbit.CreateVirtualHostAsync("shared");
        await using var membership = ServiceUnderTest<Program>.Start("membershipdb", await _postgres.CreateDatabaseAsync("membershipdb"), vhost);
        await using var peer = await PeerService.StartAsync(_postgres, vhost, membership: null);
        using var operatorClient = membership.ClientWithKey();
        var organization = await RegisterAsync(operatorClient);

        var issued = Stopwatch.StartNew();
        var key = await IssueAsync(operatorClient, organization, [Scopes.PipelineRead]);
        using var partner = peer.ClientWithKey(key);
        var acceptedIn = await TimeUntilAsync(partner, HttpStatusCode.OK, TimeSpan.FromSeconds(10));
        var clientId = (await MeAsync(partner)).ApiClientId!.Value;

        var revoked = Stopwatch.StartNew();
        using (var revoke = await operatorClient.DeleteAsync($"/api/v1/api-clients/{clientId}", Cancel))
            Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        var refusedIn = await TimeUntilAsync(partner, HttpStatusCode.Unauthorized, TimeSpan.FromSeconds(10));
        TestContext.Current.TestOutputHelper?.WriteLine($"other service: issue honoured after {acceptedIn.TotalMilliseconds:F0} ms (since issue {issued.ElapsedMilliseconds} ms), revoke after {refusedIn.TotalMilliseconds:F0} ms (since revoke {revoked.ElapsedMilliseconds} ms)");

        // The expiry travels with the event: honoured until then, refused from then on.
        var expiring = await IssueAsync(operatorClient, organization, [Scopes.PipelineRead], DateTimeOffset.UtcNow.AddSeconds(6));
        using var expiringPartner = peer.ClientWithKey(expiring);
        await TimeUntilAsync(expiringPartner, HttpStatusCode.OK, TimeSpan.FromSeconds(5));
        await TimeUntilAsync(expiringPartner, HttpStatusCode.Unauthorized, TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Another_service_that_missed_the_events_reconciles_issue_and_revoke_from_membership()
    {
        // Different virtual hosts: the other service never receives membership's events, as if they were lost or parked.
        await using var membership = ServiceUnderTest<Program>.Start("membershipdb", await _postgres.CreateDatabaseAsync("membershipdb"),
            await _rabbit.CreateVirtualHostAsync("membership"));
        await using var peer = await PeerService.StartAsync(_postgres, await _rabbit.CreateVirtualHostAsync("peer"), membership, TimeSpan.FromSeconds(2));
        using var operatorClient = membership.ClientWithKey();
        var organization = await RegisterAsync(operatorClient);

        var key = await IssueAsync(operatorClient, organization, [Scopes.EventsRead]);
        using var partner = peer.ClientWithKey(key);
        var acceptedIn = await TimeUntilAsync(partner, HttpStatusCode.OK, TimeSpan.FromSeconds(15));
        var clientId = (await MeAsync(partner)).ApiClientId!.Value;

        using (var revoke = await operatorClient.DeleteAsync($"/api/v1/api-clients/{clientId}", Cancel))
            Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        var refusedIn = await TimeUntilAsync(partner, HttpStatusCode.Unauthorized, TimeSpan.FromSeconds(15));
        TestContext.Current.TestOutputHelper?.WriteLine($"reconcile only (every 2 s): issue honoured after {acceptedIn.TotalMilliseconds:F0} ms, revoke after {refusedIn.TotalMilliseconds:F0} ms");
        // Stays refused: later reconciles never bring a revoked key back.
        await Task.Delay(TimeSpan.FromSeconds(3), Cancel);
        using (var later = await partner.GetAsync("/api/v1/me", Cancel))
            await ProblemAsync(later, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task The_key_list_for_reconcile_is_the_operators_only()
    {
        var organization = await RegisterAsync("Shandong Beichen");
        using var partner = Service.ClientWithKey(await IssueAsync(Operator, organization.Id, [Scopes.MembershipRead, Scopes.MembershipWrite]));
        using (var refused = await partner.GetAsync("/internal/partner-keys", Cancel))
            await ProblemAsync(refused, HttpStatusCode.Forbidden);
        using (var anonymous = Service.CreateClient())
            await ProblemAsync(await anonymous.GetAsync("/internal/partner-keys", Cancel), HttpStatusCode.Unauthorized);

        var list = await ReadAsync<Platform.ServiceDefaults.Auth.PartnerKeyList>(await Operator.GetAsync("/internal/partner-keys", Cancel), HttpStatusCode.OK);
        var entry = Assert.Single(list.Keys, k => k.OrganizationId == organization.Id);
        Assert.Equal(64, entry.KeyHash.Length);
        Assert.Equal([Scopes.MembershipRead, Scopes.MembershipWrite], entry.Scopes);
    }

    [Fact]
    public async Task A_key_may_carry_an_expiry_shown_in_the_answers_and_is_refused_once_it_passed()
    {
        var organization = await RegisterAsync("Shandong Labor college", Platform.Membership.Domain.OrganizationKind.VocationalCollege);
        // Given in China Standard Time; stored and answered in UTC.
        var expiresAt = DateTimeOffset.UtcNow.AddSeconds(4).ToOffset(TimeSpan.FromHours(8));
        using var issue = await Operator.PostAsJsonAsync($"/api/v1/organizations/{organization.Id}/api-clients",
            new { name = "short-lived", scopes = new[] { Scopes.MembershipRead }, expiresAt }, PlatformJson.Options, Cancel);
        var client = await ReadAsync<ApiClientResponse>(issue, HttpStatusCode.Created);
        Assert.Equal(expiresAt, client.ExpiresAt!.Value, TimeSpan.FromMilliseconds(1));
        Assert.Equal(TimeSpan.Zero, client.ExpiresAt.Value.Offset);
        using (var listed = await Operator.GetAsync($"/api/v1/organizations/{organization.Id}/api-clients", Cancel))
            Assert.Equal(client.ExpiresAt, Assert.Single((await ReadAsync<Page<ApiClientResponse>>(listed, HttpStatusCode.OK)).Items).ExpiresAt);

        using var partner = Service.ClientWithKey(client.Key);
        using (var before = await partner.GetAsync("/api/v1/me", Cancel))
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        await Task.Delay(expiresAt - DateTimeOffset.UtcNow + TimeSpan.FromMilliseconds(200), Cancel);
        using var after = await partner.GetAsync("/api/v1/me", Cancel);
        // The same answer as for an unknown or revoked key: nothing more is revealed.
        Assert.Equal("The API key is invalid or expired.", (await ProblemAsync(after, HttpStatusCode.Unauthorized)).GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData(-60, "future")]
    [InlineData(3 * 366 * 24 * 3600, "at most 2 years")]
    public async Task An_expiry_in_the_past_or_beyond_two_years_is_refused(int secondsFromNow, string reason)
    {
        var organization = await RegisterAsync("Shandong Beichen");
        using var issue = await Operator.PostAsJsonAsync($"/api/v1/organizations/{organization.Id}/api-clients",
            new { name = "x", scopes = new[] { Scopes.MembershipRead }, expiresAt = DateTimeOffset.UtcNow.AddSeconds(secondsFromNow) }, PlatformJson.Options, Cancel);
        Assert.Contains(reason, Assert.Single(FieldErrors(await ProblemAsync(issue, HttpStatusCode.BadRequest), "expiresAt")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Neither_keys_nor_their_hashes_reach_the_logs_at_any_level()
    {
        using var logs = new CapturedLogs();
        var vhost = await _rabbit.CreateVirtualHostAsync("logs");
        await using var membership = ServiceUnderTest<Program>.Start("membershipdb", await _postgres.CreateDatabaseAsync("membershipdb"), vhost,
            new Dictionary<string, string> { ["Logging:LogLevel:Default"] = "Trace" },
            services => services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Trace).AddProvider(logs)));
        await using var peer = await PeerService.StartAsync(_postgres, vhost, membership, TimeSpan.FromSeconds(1), logs);
        using var operatorClient = membership.ClientWithKey();
        var organization = await RegisterAsync(operatorClient);

        var key = await IssueAsync(operatorClient, organization, [Scopes.MembershipRead, Scopes.PipelineRead]);
        var hash = Platform.Membership.Domain.ApiClient.HashOf(key);
        using var atMembership = membership.ClientWithKey(key);
        using var atPeer = peer.ClientWithKey(key);
        var clientId = (await MeAsync(atMembership)).ApiClientId!.Value;
        await TimeUntilAsync(atPeer, HttpStatusCode.OK, TimeSpan.FromSeconds(10));
        using (var revoke = await operatorClient.DeleteAsync($"/api/v1/api-clients/{clientId}", Cancel))
            Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        await TimeUntilAsync(atPeer, HttpStatusCode.Unauthorized, TimeSpan.FromSeconds(10));
        await ProblemAsync(await atMembership.GetAsync("/api/v1/me", Cancel), HttpStatusCode.Unauthorized);
        await Task.Delay(TimeSpan.FromSeconds(1.5), Cancel); // a reconcile or two more

        var lines = logs.Lines.ToList();
        Assert.Contains(lines, line => line.Contains("reconciled", StringComparison.Ordinal));
        Assert.Contains(lines, line => line.StartsWith("Trace ", StringComparison.Ordinal) || line.StartsWith("Debug ", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, line => line.Contains(key, StringComparison.Ordinal));
        Assert.DoesNotContain(lines, line => line.Contains(hash, StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(lines, line => line.Contains(ServiceUnderTest<Program>.OperatorKey, StringComparison.Ordinal));
    }

    private static async Task<string> IssueAsync(HttpClient operatorClient, Guid organizationId, string[] scopes, DateTimeOffset? expiresAt = null)
    {
        using var issue = await operatorClient.PostAsJsonAsync($"/api/v1/organizations/{organizationId}/api-clients",
            new { name = "partner system", scopes, expiresAt }, PlatformJson.Options, Cancel);
        return (await ReadAsync<ApiClientResponse>(issue, HttpStatusCode.Created)).Key!;
    }

    private static async Task<Guid> RegisterAsync(HttpClient operatorClient)
    {
        using var registered = await operatorClient.PostAsJsonAsync("/api/v1/organizations",
            new { name = UniqueName("Jinan Heavy Industry"), kind = "enterprise", region = "Shandong, Jinan" }, PlatformJson.Options, Cancel);
        return (await ReadAsync<OrganizationResponse>(registered, HttpStatusCode.Created)).Id;
    }

    private static async Task<CallerEndpoint.CallerResponse> MeAsync(HttpClient client)
    {
        using var me = await client.GetAsync("/api/v1/me", Cancel);
        return await ReadAsync<CallerEndpoint.CallerResponse>(me, HttpStatusCode.OK);
    }

    /// <summary>How long until <c>/api/v1/me</c> answers <paramref name="status"/>; fails after <paramref name="limit"/>.</summary>
    private static async Task<TimeSpan> TimeUntilAsync(HttpClient client, HttpStatusCode status, TimeSpan limit)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            using (var response = await client.GetAsync("/api/v1/me", Cancel))
                if (response.StatusCode == status) return watch.Elapsed;
            Assert.True(watch.Elapsed < limit, $"/api/v1/me did not answer {(int)status} within {limit.TotalSeconds} s.");
            await Task.Delay(50, Cancel);
        }
    }
}

/// <summary>Keeps every formatted log line and exception text of the services it is added to.</summary>
internal sealed class CapturedLogs : ILoggerProvider
{
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _lines = new();

    public IEnumerable<string> Lines => _lines;

    public ILogger CreateLogger(string categoryName) => new Logger(_lines, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(System.Collections.Concurrent.ConcurrentQueue<string> lines, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)} {exception}");
    }
}
