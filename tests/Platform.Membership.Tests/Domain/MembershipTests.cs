using Platform.Membership.Domain;
using DomainMembership = Platform.Membership.Domain.Membership;

namespace Platform.Membership.Tests.Domain;

public sealed class MembershipTests
{
    private static readonly DateTimeOffset Noon = new(2026, 11, 14, 12, 0, 0, TimeSpan.FromHours(8));

    private static DomainMembership Applied() =>
        DomainMembership.Apply(Guid.CreateVersion7(), Guid.CreateVersion7(), Guid.CreateVersion7(), Actor.Operator, Noon, "founding member");

    [Fact]
    public void An_approved_member_can_be_suspended_reinstated_and_withdrawn_and_every_step_is_recorded()
    {
        var membership = Applied();
        Assert.True(membership.TryPerform(MembershipAction.Approve, Actor.Operator, Noon.AddHours(1), "council approved", out _));
        Assert.True(membership.TryPerform(MembershipAction.Suspend, Actor.Operator, Noon.AddHours(2), "dues unpaid", out _));
        Assert.True(membership.TryPerform(MembershipAction.Reinstate, Actor.Operator, Noon.AddHours(3), "dues paid", out _));
        Assert.True(membership.TryPerform(MembershipAction.Withdraw, Actor.Operator, Noon.AddHours(4), "left the region", out _));

        Assert.Equal(MembershipStatus.Withdrawn, membership.Status);
        Assert.False(membership.IsCurrent);
        Assert.Equal(
            [MembershipStatus.Applied, MembershipStatus.Active, MembershipStatus.Suspended, MembershipStatus.Active, MembershipStatus.Withdrawn],
            membership.History.Select(t => t.To));
        Assert.Equal("dues unpaid", membership.History[2].Reason);
        Assert.Equal(Noon.AddHours(2), membership.History[2].At);
    }

    [Theory]
    [InlineData(MembershipAction.Suspend)]
    [InlineData(MembershipAction.Reinstate)]
    [InlineData(MembershipAction.Withdraw)]
    public void An_application_can_only_be_approved_or_rejected(MembershipAction action)
    {
        var membership = Applied();
        Assert.False(membership.TryPerform(action, Actor.Operator, Noon, null, out var transition));
        Assert.Null(transition);
        Assert.Equal(MembershipStatus.Applied, membership.Status);
        Assert.Single(membership.History);
        Assert.Equal([MembershipAction.Approve, MembershipAction.Reject], membership.AllowedActions);
    }

    [Fact]
    public void Rejected_and_withdrawn_are_final()
    {
        var rejected = Applied();
        rejected.TryPerform(MembershipAction.Reject, Actor.Operator, Noon, "not in the region", out _);
        Assert.Empty(rejected.AllowedActions);
        Assert.False(rejected.IsCurrent);

        foreach (var action in Enum.GetValues<MembershipAction>())
            Assert.Null(DomainMembership.Target(MembershipStatus.Withdrawn, action));
    }

    [Fact]
    public void A_suspended_member_cannot_be_suspended_again_but_can_withdraw()
    {
        Assert.Null(DomainMembership.Target(MembershipStatus.Suspended, MembershipAction.Suspend));
        Assert.Equal(MembershipStatus.Withdrawn, DomainMembership.Target(MembershipStatus.Suspended, MembershipAction.Withdraw));
    }

    [Fact]
    public void A_suspended_or_withdrawn_member_loses_its_council_role()
    {
        var membership = Applied();
        Assert.Throws<InvalidOperationException>(() => membership.DesignateCouncilRole(CouncilRole.ViceChair));
        membership.TryPerform(MembershipAction.Approve, Actor.Operator, Noon, null, out _);
        membership.DesignateCouncilRole(CouncilRole.ViceChair);
        Assert.Equal(CouncilRole.ViceChair, membership.CouncilRole);

        membership.TryPerform(MembershipAction.Suspend, Actor.Operator, Noon.AddDays(1), "inactive", out _);
        Assert.Null(membership.CouncilRole);

        membership.TryPerform(MembershipAction.Reinstate, Actor.Operator, Noon.AddDays(2), null, out _);
        Assert.Null(membership.CouncilRole); // a role comes back only by a new designation
    }
}
