using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using Platform.Membership.Domain;
using Platform.Membership.Features.Memberships;
using Platform.ServiceDefaults.Auth;
using Platform.ServiceDefaults.Http;
using Platform.ServiceDefaults.Persistence;
using Platform.Testing;

namespace Platform.Membership.Tests.Api;

/// <summary>
/// The member list's in-memory versions (LISTEN/NOTIFY) with two instances of the service on one database, as when it
/// is scaled out: a change through one shows in the other, a writer reads its own change, and a lost LISTEN
/// connection falls back to the database and resumes caching once it is back.
/// </summary>
public sealed class MemberListNotificationTests(MembershipService membership) : MembershipApiTest(membership), IAsyncDisposable
{
    private ServiceUnderTest<Program>? _second;
    private string _connectionString = "";

    private ServiceUnderTest<Program> Second => _second!;

    // A second instance on the first one's database and virtual host.
    private async Task<ServiceUnderTest<Program>> SecondAsync()
    {
        if (_second is not null) return _second;
        var settings = Service.Services.GetRequiredService<ServiceDatabase>();
        _connectionString = settings.ConnectionString;
        _second = ServiceUnderTest<Program>.Start("membershipdb", _connectionString, Service.MessagingUri);
        await ListeningAsync(Service);
        await ListeningAsync(_second);
        return _second;
    }

    private static Task ListeningAsync(ServiceUnderTest<Program> service) =>
        ServiceUnderTest<Program>.EventuallyAsync(() => Task.FromResult(service.Services.GetRequiredService<ChangeNotifications>().ProcessId != 0),
            "the instance listens for member-list changes");

    private static MemberListVersions Versions(ServiceUnderTest<Program> service) => service.Services.GetRequiredService<MemberListVersions>();

    private static async Task<(Page<MembershipResponse> Page, EntityTagHeaderValue ETag)> ListAsync(HttpClient client, Guid consortiumId)
    {
        using var response = await client.GetAsync($"/api/v1/consortia/{consortiumId}/memberships", Cancel);
        return (await ReadAsync<Page<MembershipResponse>>(response, HttpStatusCode.OK), response.Headers.ETag!);
    }

    [Fact]
    public async Task A_change_through_one_instance_shows_in_the_other_and_no_stale_page_follows()
    {
        var second = await SecondAsync();
        using var onSecond = second.ClientWithKey();
        var consortium = await EstablishAsync();
        var member = await ActiveMemberAsync(consortium.Id, "Shandong Beichen");
        var (before, etagBefore) = await ListAsync(onSecond, consortium.Id);
        Assert.Equal(MembershipStatus.Active, Assert.Single(before.Items).Status);
        Assert.True(Versions(second).TryGet(consortium.Id, out _), "the second instance keeps the list's version after reading it");

        using (var suspend = await ActAsync(member, "suspend"))
            suspend.EnsureSuccessStatusCode();
        await ServiceUnderTest<Program>.EventuallyAsync(async () =>
            Assert.Single((await ListAsync(onSecond, consortium.Id)).Page.Items).Status == MembershipStatus.Suspended, "the other instance shows the suspension");
        for (var i = 0; i < 20; i++)
        {
            var (after, etagAfter) = await ListAsync(onSecond, consortium.Id);
            Assert.Equal(MembershipStatus.Suspended, Assert.Single(after.Items).Status);
            Assert.NotEqual(etagBefore, etagAfter);
        }
    }

    [Fact]
    public async Task A_member_withdrawn_through_one_instance_loses_the_list_on_the_other()
    {
        var second = await SecondAsync();
        var consortium = await EstablishAsync();
        var member = await ActiveMemberAsync(consortium.Id, "Jinan Heavy Industry");
        using var partner = second.ClientWithKey(await second.IssuePartnerKeyAsync(member.OrganizationId, Scopes.MembershipRead));
        await ListAsync(partner, consortium.Id);

        using (var withdraw = await ActAsync(member, "withdraw"))
            withdraw.EnsureSuccessStatusCode();
        await ServiceUnderTest<Program>.EventuallyAsync(async () =>
        {
            using var response = await partner.GetAsync($"/api/v1/consortia/{consortium.Id}/memberships", Cancel);
            return response.StatusCode == HttpStatusCode.NotFound;
        }, "the withdrawn member no longer reads the list on the other instance");
    }

    [Fact]
    public async Task The_writer_reads_its_own_change_at_once_on_the_same_instance()
    {
        var consortium = await EstablishAsync();
        var member = await ActiveMemberAsync(consortium.Id, "Weichai Power");
        await ListeningAsync(Service);
        // Several rounds: each read follows its write with no wait, so a cache cleared only by the NOTIFY would
        // sooner or later answer with the page before the write.
        for (var round = 0; round < 5; round++)
        {
            var (_, etag) = await ListAsync(Operator, consortium.Id);
            Assert.True(Versions(Service).TryGet(consortium.Id, out _), "the version is kept after a read");
            using (var suspend = await ActAsync(member, "suspend"))
                suspend.EnsureSuccessStatusCode();
            var (suspended, suspendedTag) = await ListAsync(Operator, consortium.Id);
            Assert.Equal(MembershipStatus.Suspended, Assert.Single(suspended.Items).Status);
            Assert.NotEqual(etag, suspendedTag);
            using (var conditional = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/consortia/{consortium.Id}/memberships"))
            {
                conditional.Headers.IfNoneMatch.Add(etag);
                using var stale = await Operator.SendAsync(conditional, Cancel);
                Assert.Equal(HttpStatusCode.OK, stale.StatusCode);
            }
            using (var reinstate = await ActAsync(member, "reinstate"))
                reinstate.EnsureSuccessStatusCode();
            Assert.Equal(MembershipStatus.Active, Assert.Single((await ListAsync(Operator, consortium.Id)).Page.Items).Status);
        }
    }

    [Fact]
    public async Task A_local_commit_clears_its_consortium_at_once_without_waiting_for_the_notification()
    {
        var consortium = await EstablishAsync();
        var member = await ActiveMemberAsync(consortium.Id, "Yantai Shipbuilding");
        await ListeningAsync(Service);
        var versions = Versions(Service);
        // An entry no notification of this test can clear (they carry lower versions): only the commit hook can.
        versions.Keep(consortium.Id, new MemberListState(long.MaxValue, System.Collections.Frozen.FrozenSet<Guid>.Empty), versions.Generation);
        Assert.True(versions.TryGet(consortium.Id, out _));
        using (var suspend = await ActAsync(member, "suspend"))
            suspend.EnsureSuccessStatusCode();
        Assert.False(versions.TryGet(consortium.Id, out var kept) && kept.Version == long.MaxValue, "the writer's commit cleared the consortium's entry");
    }

    [Fact]
    public async Task A_killed_LISTEN_connection_falls_back_to_the_database_and_caching_resumes_after_reconnecting()
    {
        var second = await SecondAsync();
        using var onSecond = second.ClientWithKey();
        var consortium = await EstablishAsync();
        var member = await ActiveMemberAsync(consortium.Id, "Lanzhou Petrochemical");
        await ListAsync(onSecond, consortium.Id);
        Assert.True(Versions(second).TryGet(consortium.Id, out _));

        var listener = second.Services.GetRequiredService<ChangeNotifications>();
        var killed = listener.ProcessId;
        Assert.True(await ThrowawayPostgres.TerminateBackendAsync(_connectionString, killed, Cancel));
        // The lost connection is noticed: nothing kept is trusted any more.
        await ServiceUnderTest<Program>.EventuallyAsync(() => Task.FromResult(listener.ProcessId != killed), "the instance notices the lost LISTEN connection");

        // A change through the other instance shows at once whether or not the second one listens again yet.
        using (var suspend = await ActAsync(member, "suspend"))
            suspend.EnsureSuccessStatusCode();
        await ServiceUnderTest<Program>.EventuallyAsync(async () =>
            Assert.Single((await ListAsync(onSecond, consortium.Id)).Page.Items).Status == MembershipStatus.Suspended, "the second instance shows the suspension");

        await ListeningAsync(second);
        Assert.NotEqual(killed, listener.ProcessId);
        await ServiceUnderTest<Program>.EventuallyAsync(async () =>
        {
            await ListAsync(onSecond, consortium.Id);
            return Versions(second).TryGet(consortium.Id, out _);
        }, "the second instance keeps versions again once it listens");

        // And notifications reach it again.
        using (var reinstate = await ActAsync(member, "reinstate"))
            reinstate.EnsureSuccessStatusCode();
        await ServiceUnderTest<Program>.EventuallyAsync(async () =>
            Assert.Single((await ListAsync(onSecond, consortium.Id)).Page.Items).Status == MembershipStatus.Active, "the reinstatement shows on the second instance");
    }

    [Fact]
    public async Task While_not_listening_nothing_is_kept()
    {
        var consortium = await EstablishAsync();
        await ActiveMemberAsync(consortium.Id, "Qingdao Port");
        var versions = Versions(Service);
        versions.ListeningChanged(false);
        try
        {
            await ListAsync(Operator, consortium.Id);
            Assert.False(versions.TryGet(consortium.Id, out _), "a version read while not listening is not kept");
        }
        finally
        {
            versions.ListeningChanged(true);
        }
    }

    async ValueTask IAsyncDisposable.DisposeAsync()
    {
        if (_second is not null) await _second.DisposeAsync();
        Dispose();
    }
}
