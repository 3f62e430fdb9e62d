using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Platform.Events.Features.Feed;
using Platform.Membership.Contracts;
using Platform.ServiceDefaults.Http;
using Platform.ServiceDefaults.Persistence;
using Platform.Testing;

namespace Platform.Events.Tests;

/// <summary>
/// The feed's page cache (LISTEN/NOTIFY) with two instances of the service on one database, as when it is scaled
/// out: a story written by either shows on both and no stale page follows; a killed LISTEN connection falls back
/// to the database and caching resumes once it listens again.
/// </summary>
public sealed class FeedNotificationTests(EventsServiceFixture fixture) : IClassFixture<EventsServiceFixture>, IAsyncLifetime
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;
    private ServiceUnderTest<Program>? _second;
    private HttpClient _secondOperator = null!;
    private string _connectionString = "";

    public async ValueTask InitializeAsync()
    {
        _connectionString = fixture.Service.Services.GetRequiredService<ServiceDatabase>().ConnectionString;
        _second = ServiceUnderTest<Program>.Start("eventsdb", _connectionString, fixture.Service.MessagingUri,
            new Dictionary<string, string> { ["Platform:PublicUrls:talent-pipeline"] = EventsServiceFixture.TalentPipelineUrl });
        _secondOperator = _second.ClientWithKey();
        await ListeningAsync(fixture.Service);
        await ListeningAsync(_second);
    }

    public async ValueTask DisposeAsync()
    {
        _secondOperator.Dispose();
        if (_second is not null) await _second.DisposeAsync();
    }

    private static Task ListeningAsync(ServiceUnderTest<Program> service) =>
        ServiceUnderTest<Program>.EventuallyAsync(() => Task.FromResult(service.Services.GetRequiredService<ChangeNotifications>().ProcessId != 0),
            "the instance listens for feed changes");

    private static bool Keeps(ServiceUnderTest<Program> service, Guid consortiumId)
    {
        var pages = service.Services.GetRequiredService<FeedPages>();
        return pages.Generation(consortiumId) is { } generation && pages.TryGetPage(FeedPages.PageKey(consortiumId, generation, "en", new PageRequest(50, null)), out _);
    }

    private static async Task<(List<JsonElement> Items, EntityTagHeaderValue ETag)> FeedAsync(HttpClient client, Guid consortiumId)
    {
        using var response = await client.GetAsync(new Uri($"/api/v1/feed?consortiumId={consortiumId}&limit=50", UriKind.Relative), Cancel);
        var body = await response.Content.ReadAsStringAsync(Cancel);
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        return ([.. JsonDocument.Parse(body).RootElement.GetProperty("items").EnumerateArray().Select(e => e.Clone())], response.Headers.ETag!);
    }

    private Task CharterApprovedAsync(Guid consortiumId, int version) =>
        fixture.Service.PublishAsync(new CharterApproved
        {
            ConsortiumId = consortiumId, CharterId = Guid.CreateVersion7(), Version = version, ApprovedOn = new(2025, 1, 15), ApprovedBySession = 1, OccurredAt = DateTimeOffset.UtcNow,
        });

    [Fact]
    public async Task A_story_shows_on_both_instances_and_no_stale_page_or_304_follows()
    {
        var consortium = await fixture.NewConsortiumAsync();
        var (before, etag) = await FeedAsync(_secondOperator, consortium.Id);
        await FeedAsync(fixture.Operator, consortium.Id);
        Assert.True(Keeps(_second!, consortium.Id), "the second instance keeps the page it served");

        await CharterApprovedAsync(consortium.Id, 2);
        // Either instance may consume the message; both must show it.
        foreach (var client in new[] { _secondOperator, fixture.Operator })
        {
            await ServiceUnderTest<Program>.EventuallyAsync(async () => (await FeedAsync(client, consortium.Id)).Items.Count == before.Count + 1,
                "the new story shows on the instance");
        }
        for (var i = 0; i < 10; i++)
        {
            foreach (var client in new[] { _secondOperator, fixture.Operator })
            {
                var (items, current) = await FeedAsync(client, consortium.Id);
                Assert.Equal(before.Count + 1, items.Count);
                Assert.NotEqual(etag, current);
                using var conditional = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/feed?consortiumId={consortium.Id}&limit=50");
                conditional.Headers.IfNoneMatch.Add(etag);
                using var stale = await client.SendAsync(conditional, Cancel);
                Assert.Equal(HttpStatusCode.OK, stale.StatusCode);
            }
        }
    }

    [Fact]
    public async Task A_member_withdrawn_loses_the_feed_on_both_instances()
    {
        var consortium = await fixture.NewConsortiumAsync();
        using var partner = _second!.ClientWithKey(await _second.IssuePartnerKeyAsync(consortium.Enterprise, "events:read"));
        await FeedAsync(partner, consortium.Id);
        await fixture.Service.PublishAsync(new MembershipWithdrawn
        {
            MembershipId = Guid.CreateVersion7(), ConsortiumId = consortium.Id, OrganizationId = consortium.Enterprise, OrganizationName = TestConsortium.EnterpriseName,
            Reason = "left", Version = 100, OccurredAt = DateTimeOffset.UtcNow,
        });
        await ServiceUnderTest<Program>.EventuallyAsync(async () =>
        {
            using var response = await partner.GetAsync(new Uri($"/api/v1/feed?consortiumId={consortium.Id}", UriKind.Relative), Cancel);
            return response.StatusCode == HttpStatusCode.NotFound;
        }, "the withdrawn member no longer reads the feed");
    }

    [Fact]
    public async Task A_killed_LISTEN_connection_falls_back_to_the_database_and_caching_resumes_after_reconnecting()
    {
        var consortium = await fixture.NewConsortiumAsync();
        var (before, _) = await FeedAsync(_secondOperator, consortium.Id);
        var listener = _second!.Services.GetRequiredService<ChangeNotifications>();
        var killed = listener.ProcessId;
        Assert.True(await ThrowawayPostgres.TerminateBackendAsync(_connectionString, killed, Cancel));
        await ServiceUnderTest<Program>.EventuallyAsync(() => Task.FromResult(listener.ProcessId != killed), "the instance notices the lost LISTEN connection");

        await CharterApprovedAsync(consortium.Id, 3);
        await ServiceUnderTest<Program>.EventuallyAsync(async () => (await FeedAsync(_secondOperator, consortium.Id)).Items.Count == before.Count + 1,
            "the story shows on the instance whose LISTEN connection was killed");

        await ListeningAsync(_second);
        await ServiceUnderTest<Program>.EventuallyAsync(async () =>
        {
            await FeedAsync(_secondOperator, consortium.Id);
            return Keeps(_second, consortium.Id);
        }, "the instance keeps pages again once it listens");
        await CharterApprovedAsync(consortium.Id, 4);
        await ServiceUnderTest<Program>.EventuallyAsync(async () => (await FeedAsync(_secondOperator, consortium.Id)).Items.Count == before.Count + 2,
            "a later story shows too: notifications arrive again");
    }
}
