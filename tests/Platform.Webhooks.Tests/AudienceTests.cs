using Platform.Webhooks.Domain;

namespace Platform.Webhooks.Tests;

/// <summary>The isolation rules of Domain/Audience.cs and the member read model's ordering, without a database.</summary>
public sealed class AudienceTests
{
    private static readonly Guid Consortium = Guid.CreateVersion7();
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 8, 0, 0, TimeSpan.Zero);

    private static ConsortiumMember Member(Guid organizationId, MemberStatus status) => ConsortiumMember.Create(Consortium, organizationId, status, 1, Now);

    [Fact]
    public void Consortium_news_goes_to_active_and_suspended_members_only()
    {
        var active = Guid.CreateVersion7();
        var suspended = Guid.CreateVersion7();
        ConsortiumMember[] members =
        [
            Member(active, MemberStatus.Active), Member(suspended, MemberStatus.Suspended), Member(Guid.CreateVersion7(), MemberStatus.Withdrawn),
            Member(Guid.CreateVersion7(), MemberStatus.Rejected), Member(Guid.CreateVersion7(), MemberStatus.Applied),
        ];

        Assert.Equal(new HashSet<Guid> { active, suspended }, Audience.ForConsortium(members));
        Assert.Empty(Audience.ForConsortium([]));
    }

    [Fact]
    public void A_membership_change_goes_to_the_organization_whatever_its_status_and_to_the_other_current_members()
    {
        var withdrawn = Member(Guid.CreateVersion7(), MemberStatus.Active);
        Assert.True(withdrawn.TryApply(MemberStatus.Withdrawn, 2, Now));
        var other = Guid.CreateVersion7();
        ConsortiumMember[] members = [withdrawn, Member(other, MemberStatus.Suspended), Member(Guid.CreateVersion7(), MemberStatus.Rejected),
            ConsortiumMember.Create(Guid.CreateVersion7(), Guid.CreateVersion7(), MemberStatus.Active, 1, Now)];

        var audience = Audience.ForMembershipChange(withdrawn, members);

        Assert.Equal(withdrawn.OrganizationId, audience.Subject);
        Assert.Equal(new HashSet<Guid> { other }, audience.Others);
    }

    [Fact]
    public void Program_news_goes_to_its_parties_and_a_flagged_placement_to_its_college_only()
    {
        var college = Guid.CreateVersion7();
        var enterprise = Guid.CreateVersion7();
        Assert.Equal(new HashSet<Guid> { college, enterprise }, Audience.ForProgram([college, enterprise, college]));
        Assert.Empty(Audience.ForProgram([]));
        Assert.Equal(new HashSet<Guid> { college }, Audience.ForFlaggedPlacement(college));
    }

    [Theory]
    [InlineData("technicianCollege", true)]
    [InlineData("vocationalCollege", true)]
    [InlineData("university", true)]
    [InlineData("enterprise", false)]
    [InlineData("industryAssociation", false)]
    [InlineData(null, false)]
    public void Only_colleges_may_subscribe_to_flagged_placements_and_everyone_to_everything_they_may_see(string? kind, bool college)
    {
        Assert.Equal(college, Audience.MayEverSee(WebhookEventType.PlacementFlagged, kind));
        Assert.True(Audience.MayEverSee(WebhookEventType.All, kind));
        Assert.True(Audience.MayEverSee(WebhookEventType.ProgramLaunched, kind));
        Assert.True(Audience.MayEverSee(WebhookEventType.AgreementSigned, kind));
        Assert.False(Audience.MayEverSee(WebhookEventType.WebhookTest, kind));
    }

    [Fact]
    public void Only_a_newer_membership_version_applies_and_version_zero_is_ordered_by_time()
    {
        var member = ConsortiumMember.Create(Consortium, Guid.CreateVersion7(), MemberStatus.Active, 3, Now);
        Assert.False(member.TryApply(MemberStatus.Suspended, 2, Now.AddHours(1)));
        Assert.False(member.TryApply(MemberStatus.Suspended, 3, Now.AddHours(1)));
        Assert.False(member.TryApply(MemberStatus.Suspended, 0, Now.AddHours(1)));
        Assert.Equal(MemberStatus.Active, member.Status);
        Assert.True(member.TryApply(MemberStatus.Withdrawn, 5, Now.AddHours(-1)));
        Assert.Equal((MemberStatus.Withdrawn, 5L), (member.Status, member.Version));

        var legacy = ConsortiumMember.Create(Consortium, Guid.CreateVersion7(), MemberStatus.Active, 0, Now);
        Assert.False(legacy.TryApply(MemberStatus.Suspended, 0, Now));
        Assert.False(legacy.TryApply(MemberStatus.Suspended, 0, Now.AddMinutes(-1)));
        Assert.True(legacy.TryApply(MemberStatus.Suspended, 0, Now.AddMinutes(1)));
        Assert.True(legacy.TryApply(MemberStatus.Active, 1, Now));
        Assert.False(legacy.TryApply(MemberStatus.Withdrawn, 0, Now.AddDays(1)));
    }
}
