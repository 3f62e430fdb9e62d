using System.Collections.Frozen;
using Platform.Membership.Features.Memberships;

namespace Platform.Membership.Tests.Api;

/// <summary>
/// The rules that decide whether a member-list version read from the database may be kept in memory. A busy platform
/// notifies many consortia a second; a read must not be refused because some other consortium changed meanwhile.
/// </summary>
public sealed class MemberListVersionsTests
{
    private static readonly Guid Jinan = Guid.CreateVersion7(), Tianjin = Guid.CreateVersion7();

    private static MemberListVersions Listening()
    {
        var versions = new MemberListVersions();
        versions.ListeningChanged(true);
        return versions;
    }

    private static MemberListState At(long version) => new(version, FrozenSet<Guid>.Empty);

    [Fact]
    public void A_notification_for_another_consortium_during_a_read_does_not_refuse_it()
    {
        var versions = Listening();
        var generation = versions.Generation;
        versions.Notified($"{Tianjin}:7");
        versions.Keep(Jinan, At(3), generation);
        Assert.True(versions.TryGet(Jinan, out var kept));
        Assert.Equal(3, kept.Version);
    }

    [Fact]
    public void A_notification_of_the_version_read_keeps_it_and_a_newer_one_refuses_it()
    {
        var versions = Listening();
        var generation = versions.Generation;
        versions.Notified($"{Jinan}:3");
        versions.Keep(Jinan, At(3), generation);
        Assert.True(versions.TryGet(Jinan, out _), "the notification was of the very version read");

        versions.Notified($"{Jinan}:4");
        Assert.False(versions.TryGet(Jinan, out _), "a newer version clears the kept one");
        versions.Keep(Jinan, At(3), versions.Generation);
        Assert.False(versions.TryGet(Jinan, out _), "a read older than a notified version is never kept");
    }

    [Fact]
    public void A_local_commit_during_a_read_refuses_it_for_that_consortium_only()
    {
        var versions = Listening();
        var generation = versions.Generation;
        versions.Forget([Jinan]);
        versions.Keep(Jinan, At(3), generation);
        versions.Keep(Tianjin, At(5), generation);
        Assert.False(versions.TryGet(Jinan, out _), "the read may predate the commit");
        Assert.True(versions.TryGet(Tianjin, out _));
    }

    [Fact]
    public void A_clear_of_everything_or_a_lost_connection_during_a_read_refuses_every_read()
    {
        var versions = Listening();
        var generation = versions.Generation;
        versions.Forget(null);
        versions.Keep(Jinan, At(3), generation);
        Assert.False(versions.TryGet(Jinan, out _));

        generation = versions.Generation;
        versions.ListeningChanged(false);
        versions.ListeningChanged(true);
        versions.Keep(Tianjin, At(5), generation);
        Assert.False(versions.TryGet(Tianjin, out _), "the read may have missed a notification while not listening");
        versions.Notified("not a payload of ours");
        versions.Keep(Tianjin, At(5), versions.Generation);
        Assert.True(versions.TryGet(Tianjin, out _));
    }
}
