using Platform.Membership.Domain;
using DomainMembership = Platform.Membership.Domain.Membership;

namespace Platform.Membership.Tests.Domain;

/// <summary>The membership state machine as a whole table, and the "current"/"admitted" rules the queries share.</summary>
public sealed class MembershipStateTests
{
    private static readonly DateTimeOffset Noon = new(2026, 11, 14, 12, 0, 0, TimeSpan.FromHours(8));

    private static DomainMembership In(MembershipStatus status)
    {
        var membership = DomainMembership.Apply(Guid.CreateVersion7(), Guid.CreateVersion7(), Guid.CreateVersion7(), Actor.Operator, Noon, null);
        MembershipAction[] path = status switch
        {
            MembershipStatus.Applied => [],
            MembershipStatus.Active => [MembershipAction.Approve],
            MembershipStatus.Rejected => [MembershipAction.Reject],
            MembershipStatus.Suspended => [MembershipAction.Approve, MembershipAction.Suspend],
            _ => [MembershipAction.Approve, MembershipAction.Withdraw],
        };
        foreach (var action in path) Assert.True(membership.TryPerform(action, Actor.Operator, Noon, null, out _));
        Assert.Equal(status, membership.Status);
        return membership;
    }

    [Theory]
    [InlineData(MembershipStatus.Applied, "approve reject")]
    [InlineData(MembershipStatus.Active, "suspend withdraw")]
    [InlineData(MembershipStatus.Suspended, "reinstate withdraw")]
    [InlineData(MembershipStatus.Rejected, "")]
    [InlineData(MembershipStatus.Withdrawn, "")]
    public void Each_status_allows_exactly_its_actions(MembershipStatus status, string allowed)
    {
        var membership = In(status);
        Assert.Equal(allowed, string.Join(' ', membership.AllowedActions.Select(a => a.ToString().ToLowerInvariant())));
        foreach (var action in Enum.GetValues<MembershipAction>().Except(membership.AllowedActions))
        {
            var version = membership.Version;
            Assert.False(membership.TryPerform(action, Actor.Operator, Noon, null, out _));
            Assert.Equal((status, version), (membership.Status, membership.Version));
        }
    }

    [Fact]
    public void Every_transition_raises_the_version_and_a_new_application_follows_the_previous_one()
    {
        var membership = In(MembershipStatus.Withdrawn);
        Assert.Equal(3, membership.Version);
        var again = DomainMembership.Apply(Guid.CreateVersion7(), membership.ConsortiumId, membership.OrganizationId, Actor.Operator, Noon, null, membership.Version);
        Assert.Equal(4, again.Version);
    }

    [Theory]
    [InlineData(MembershipStatus.Applied, true, false)]
    [InlineData(MembershipStatus.Active, true, true)]
    [InlineData(MembershipStatus.Suspended, true, true)]
    [InlineData(MembershipStatus.Rejected, false, false)]
    [InlineData(MembershipStatus.Withdrawn, false, false)]
    public void Current_and_admitted_memberships_are_the_same_in_memory_and_in_queries(MembershipStatus status, bool current, bool admitted)
    {
        var membership = In(status);
        Assert.Equal((current, admitted), (membership.IsCurrent, membership.IsAdmitted));
        // The expressions the queries use give the same answers.
        Assert.Equal(current, new[] { membership }.AsQueryable().Any(DomainMembership.IsCurrentExpression));
        Assert.Equal(admitted, new[] { membership }.AsQueryable().Any(DomainMembership.IsAdmittedExpression));
    }

    [Theory]
    [InlineData(MembershipAction.Suspend, RoleRevocationCause.Suspended)]
    [InlineData(MembershipAction.Withdraw, RoleRevocationCause.Withdrawn)]
    [InlineData(MembershipAction.Approve, null)]
    [InlineData(MembershipAction.Reinstate, null)]
    public void Suspension_and_withdrawal_cost_the_council_role(MembershipAction action, RoleRevocationCause? cause)
    {
        var membership = In(action is MembershipAction.Approve ? MembershipStatus.Applied : action is MembershipAction.Reinstate ? MembershipStatus.Suspended : MembershipStatus.Active);
        if (membership.Status is MembershipStatus.Active) membership.DesignateCouncilRole(CouncilRole.Chair);

        Assert.True(membership.TryPerform(action, Actor.Operator, Noon.AddDays(1), "why", out var transition));

        Assert.Equal(cause, DomainMembership.CouncilRoleLostBy(transition!));
        if (cause is not null) Assert.Null(membership.CouncilRole);
        Assert.Equal((action, "why", Noon.AddDays(1)), (transition!.Action, transition.Reason, transition.At));
    }
}
