using System.Net;
using Platform.Membership.Contracts;
using Platform.Membership.Features.Memberships;

namespace Platform.Membership.Tests.Api;

public sealed class MembershipVersionTests(MembershipService membership) : MembershipApiTest(membership)
{
    [Fact]
    public async Task Every_membership_event_carries_a_version_one_above_the_last_change_of_that_organization_in_that_consortium_even_across_a_rejoin()
    {
        var consortium = await EstablishAsync();
        var organization = await RegisterAsync("Weifang Engineering Vocational College");
        await using var applied = await Service.WatchAsync<MembershipApplied>();
        await using var activated = await Service.WatchAsync<MembershipActivated>();
        await using var suspended = await Service.WatchAsync<MembershipSuspended>();
        await using var withdrawn = await Service.WatchAsync<MembershipWithdrawn>();

        using var apply = await ApplyAsync(consortium.Id, organization.Id);
        var first = await ReadAsync<MembershipResponse>(apply, HttpStatusCode.Created);
        foreach (var action in new[] { "approve", "suspend", "withdraw" })
        {
            using var response = await ActAsync(first, action, "because");
            await ReadAsync<MembershipResponse>(response, HttpStatusCode.OK);
        }
        using var rejoin = await ApplyAsync(consortium.Id, organization.Id, "back again");
        var second = await ReadAsync<MembershipResponse>(rejoin, HttpStatusCode.Created);
        using var approveAgain = await ActAsync(second, "approve", "welcome back");
        await ReadAsync<MembershipResponse>(approveAgain, HttpStatusCode.OK);

        Assert.Equal(1, (await applied.NextAsync(e => e.MembershipId == first.Id)).Version);
        Assert.Equal(2, (await activated.NextAsync(e => e.MembershipId == first.Id)).Version);
        Assert.Equal(3, (await suspended.NextAsync(e => e.MembershipId == first.Id)).Version);
        Assert.Equal(4, (await withdrawn.NextAsync(e => e.MembershipId == first.Id)).Version);
        // The new membership continues the pair's sequence, so a read model keyed by (consortium, organization) orders it after the old one.
        Assert.Equal(5, (await applied.NextAsync(e => e.MembershipId == second.Id)).Version);
        Assert.Equal(6, (await activated.NextAsync(e => e.MembershipId == second.Id)).Version);
    }
}
