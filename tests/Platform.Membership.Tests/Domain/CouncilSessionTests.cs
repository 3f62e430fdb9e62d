using Platform.Membership.Domain;
using DomainMembership = Platform.Membership.Domain.Membership;

namespace Platform.Membership.Tests.Domain;

/// <summary>The council designation rules on the aggregate itself, without a database.</summary>
public sealed class CouncilSessionTests
{
    private static readonly DateTimeOffset Noon = new(2026, 11, 14, 12, 0, 0, TimeSpan.FromHours(8));
    private static readonly Guid Consortium = Guid.CreateVersion7();

    private static CouncilSession Session(int number = 1) =>
        CouncilSession.Open(Guid.CreateVersion7(), Consortium, number, new DateOnly(2023, 11, 14), new DateOnly(2028, 11, 13), Noon);

    private static DomainMembership ActiveMember()
    {
        var membership = DomainMembership.Apply(Guid.CreateVersion7(), Consortium, Guid.CreateVersion7(), Actor.Operator, Noon, null);
        Assert.True(membership.TryPerform(MembershipAction.Approve, Actor.Operator, Noon, null, out _));
        return membership;
    }

    private static DesignationResult.Applied Applied(DesignationResult result) => Assert.IsType<DesignationResult.Applied>(result);

    [Fact]
    public void A_designation_gives_the_members_their_roles_and_says_which_were_assigned()
    {
        var session = Session();
        DomainMembership[] members = [ActiveMember(), ActiveMember(), ActiveMember()];

        var applied = Applied(session.Designate(
            [new(members[0].OrganizationId, CouncilRole.Chair), new(members[1].OrganizationId, CouncilRole.SecretaryGeneral)], 1, members, Noon.AddHours(1)));

        Assert.Same(session, applied.Session);
        Assert.Equal([(members[0].OrganizationId, CouncilRole.Chair), (members[1].OrganizationId, CouncilRole.SecretaryGeneral)],
            applied.Assigned.Select(a => (a.OrganizationId, a.Role)));
        Assert.All(applied.Assigned, a => Assert.Equal((Consortium, 1, Noon.AddHours(1)), (a.ConsortiumId, a.SessionNumber, a.At)));
        Assert.Empty(applied.Revoked);
        Assert.Equal(new CouncilRole?[] { CouncilRole.Chair, CouncilRole.SecretaryGeneral, null }, members.Select(m => m.CouncilRole));
        Assert.Equal(Noon.AddHours(1), session.LastDesignatedAt);
    }

    [Fact]
    public void A_new_designation_revokes_the_roles_of_members_left_out_and_reassigns_only_changed_roles()
    {
        var session = Session();
        DomainMembership[] members = [ActiveMember(), ActiveMember(), ActiveMember()];
        Applied(session.Designate([new(members[0].OrganizationId, CouncilRole.Chair), new(members[1].OrganizationId, CouncilRole.ViceChair)], 1, members, Noon));

        var applied = Applied(session.Designate(
            [new(members[0].OrganizationId, CouncilRole.Chair), new(members[2].OrganizationId, CouncilRole.CouncilMember)], 1, members, Noon.AddDays(1)));

        Assert.Equal([members[2].OrganizationId], applied.Assigned.Select(a => a.OrganizationId));
        var revoked = Assert.Single(applied.Revoked);
        Assert.Equal((members[1].OrganizationId, CouncilRole.ViceChair, RoleRevocationCause.Redesignated), (revoked.OrganizationId, revoked.Role, revoked.Cause));
        Assert.Null(members[1].CouncilRole);
        Assert.Equal(CouncilRole.CouncilMember, members[2].CouncilRole);
    }

    [Theory]
    [InlineData("outsider")]
    [InlineData("twice")]
    [InlineData("two secretaries-general")]
    public void A_designation_that_breaks_a_rule_changes_nothing(string broken)
    {
        var session = Session();
        DomainMembership[] members = [ActiveMember(), ActiveMember()];
        Applied(session.Designate([new(members[0].OrganizationId, CouncilRole.Chair)], 1, members, Noon));
        CouncilDesignation[] designations = broken switch
        {
            "outsider" => [new(Guid.CreateVersion7(), CouncilRole.ViceChair)],
            "twice" => [new(members[1].OrganizationId, CouncilRole.ViceChair), new(members[1].OrganizationId, CouncilRole.CouncilMember)],
            _ => [new(members[0].OrganizationId, CouncilRole.SecretaryGeneral), new(members[1].OrganizationId, CouncilRole.SecretaryGeneral)],
        };

        var refused = Assert.IsType<DesignationResult.Refused>(session.Designate(designations, 1, members, Noon.AddDays(1)));

        Assert.NotEmpty(refused.Problems);
        Assert.Equal([new CouncilDesignation(members[0].OrganizationId, CouncilRole.Chair)], session.Designations);
        Assert.Equal(new CouncilRole?[] { CouncilRole.Chair, null }, members.Select(m => m.CouncilRole));
        Assert.Equal(Noon, session.LastDesignatedAt);
    }

    [Fact]
    public void A_suspended_member_is_not_among_the_active_members_a_designation_is_checked_against()
    {
        var suspended = ActiveMember();
        suspended.TryPerform(MembershipAction.Suspend, Actor.Operator, Noon, null, out _);

        Assert.Throws<ArgumentException>(() => Session().Designate([], 1, [suspended], Noon));
    }

    [Fact]
    public void Only_the_current_session_accepts_designations()
    {
        var first = Session(1);
        var member = ActiveMember();

        var result = first.Designate([new(member.OrganizationId, CouncilRole.Chair)], currentSessionNumber: 2, [member], Noon);

        Assert.Equal(new DesignationResult.NotCurrent(2), result);
        Assert.Empty(first.Designations);
        Assert.Null(member.CouncilRole);
    }

    [Fact]
    public void Opening_the_next_session_ends_the_roles_of_the_previous_term()
    {
        var first = Session(1);
        DomainMembership[] members = [ActiveMember(), ActiveMember()];
        Applied(first.Designate([new(members[0].OrganizationId, CouncilRole.Chair), new(members[1].OrganizationId, CouncilRole.ViceChair)], 1, members, Noon));

        var revoked = first.EndTerm(members, Noon.AddYears(5));

        Assert.Equal([(members[0].OrganizationId, CouncilRole.Chair), (members[1].OrganizationId, CouncilRole.ViceChair)], revoked.Select(r => (r.OrganizationId, r.Role)));
        Assert.All(revoked, r => Assert.Equal((1, RoleRevocationCause.TermEnded, Noon.AddYears(5)), (r.SessionNumber, r.Cause, r.At)));
        Assert.All(members, m => Assert.Null(m.CouncilRole));
        Assert.Equal(2, first.Designations.Count); // the record of who served stays with the session
    }

    [Fact]
    public void The_next_session_is_numbered_after_the_latest()
    {
        Assert.Null(CouncilSession.CheckNextNumber(1, null));
        Assert.Null(CouncilSession.CheckNextNumber(3, 2));
        Assert.Contains("number 3", CouncilSession.CheckNextNumber(2, 2), StringComparison.Ordinal);
        Assert.NotNull(CouncilSession.CheckNextNumber(1, 2));
    }

    [Fact]
    public void A_member_that_leaves_loses_its_seat_with_the_cause()
    {
        var session = Session();
        var member = ActiveMember();
        Applied(session.Designate([new(member.OrganizationId, CouncilRole.SecretaryGeneral)], 1, [member], Noon));

        var revoked = session.RevokeRole(member.OrganizationId, RoleRevocationCause.Suspended, Noon.AddDays(1));

        Assert.Equal(new RoleRevoked(Consortium, 1, member.OrganizationId, CouncilRole.SecretaryGeneral, RoleRevocationCause.Suspended, Noon.AddDays(1)), revoked);
        Assert.Empty(session.Designations);
        Assert.Null(session.RevokeRole(member.OrganizationId, RoleRevocationCause.Suspended, Noon.AddDays(2)));
    }
}
