using Platform.Events.Domain;

namespace Platform.Events.Tests.Domain;

/// <summary>The member directory's order rule: a late or reordered announcement never rolls a status back.</summary>
public sealed class KnownMembershipTests
{
    private static readonly DateTimeOffset At = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static KnownMembership Member(MembershipStatus status, long version, DateTimeOffset at) =>
        KnownMembership.Create(Guid.CreateVersion7(), Guid.CreateVersion7(), Guid.CreateVersion7(), status, version, at);

    [Fact]
    public void A_newer_version_applies_whatever_the_clocks_say()
    {
        var m = Member(MembershipStatus.Active, 2, At);
        Assert.True(m.TryApply(MembershipStatus.Suspended, 3, At.AddDays(-1), m.MembershipId));
        Assert.Equal((MembershipStatus.Suspended, 3L, At.AddDays(-1)), (m.Status, m.Version, m.ChangedAt));
        Assert.False(m.IsActive);
    }

    [Fact]
    public void An_older_or_repeated_version_changes_nothing()
    {
        var m = Member(MembershipStatus.Suspended, 3, At);
        Assert.False(m.TryApply(MembershipStatus.Active, 2, At.AddDays(1), m.MembershipId));
        Assert.False(m.TryApply(MembershipStatus.Active, 3, At.AddDays(1), m.MembershipId));
        Assert.Equal((MembershipStatus.Suspended, 3L), (m.Status, m.Version));
    }

    [Fact]
    public void Version_zero_is_ordered_by_time_and_only_among_version_zero()
    {
        var legacy = Member(MembershipStatus.Applied, 0, At);
        Assert.False(legacy.TryApply(MembershipStatus.Active, 0, At.AddMinutes(-1), legacy.MembershipId));
        Assert.True(legacy.TryApply(MembershipStatus.Active, 0, At.AddMinutes(1), legacy.MembershipId));
        Assert.True(legacy.IsActive);

        var versioned = Member(MembershipStatus.Active, 1, At);
        Assert.False(versioned.TryApply(MembershipStatus.Withdrawn, 0, At.AddYears(1), versioned.MembershipId));
    }

    [Fact]
    public void Active_and_suspended_members_belong_to_their_consortium()
    {
        var belongs = KnownMembership.BelongsToConsortium.Compile();
        Assert.Equal([MembershipStatus.Active, MembershipStatus.Suspended],
            Enum.GetValues<MembershipStatus>().Where(s => belongs(Member(s, 1, At))));
    }
}
