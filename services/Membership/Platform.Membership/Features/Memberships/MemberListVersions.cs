using System.Collections.Frozen;
using System.Globalization;

namespace Platform.Membership.Features.Memberships;

/// <summary>What a member-list request needs before the page: the list's version and who may read it.</summary>
internal sealed record MemberListState(long Version, FrozenSet<Guid> Members);

/// <summary>
/// Each consortium's member-list version and member organizations, kept in memory so a list request (or a 304) does
/// not wait on the database. The trigger that bumps <c>consortia.member_list_version</c> also sends
/// <c>NOTIFY member_list, 'consortiumId:version'</c>, which clears the entry on every instance. Rules:
/// a local commit clears its consortia at once (a writer reads its own change); while the LISTEN connection is down
/// nothing is kept (everything is read from the database); a version read from the database never replaces a newer
/// notified one; a read that raced with a local clear of its consortium (or a clear of all) is not kept. A notification
/// carries its version, so it refuses only older reads, not every read in flight on any consortium.
/// </summary>
internal sealed class MemberListVersions : IChangeSubscriber
{
    public const string Channel = "member_list";

    private readonly Lock _gate = new();
    private readonly Dictionary<Guid, MemberListState> _states = [];
    private readonly Dictionary<Guid, long> _notified = [];
    // The generation at which each consortium (or everything) was last cleared without a version to compare with.
    private readonly Dictionary<Guid, long> _clearedAt = [];
    private long _clearedAllAt;
    private long _generation;
    private bool _listening;

    /// <summary>Taken before reading the database; <see cref="Keep"/> refuses the read if its consortium (or everything) was cleared since.</summary>
    public long Generation
    {
        get { lock (_gate) return _generation; }
    }

    public bool TryGet(Guid consortiumId, out MemberListState state)
    {
        lock (_gate)
        {
            if (_listening && _states.TryGetValue(consortiumId, out var kept))
            {
                state = kept;
                return true;
            }
        }
        state = null!;
        return false;
    }

    public void Keep(Guid consortiumId, MemberListState state, long generationBeforeRead)
    {
        lock (_gate)
        {
            if (!_listening || _clearedAllAt > generationBeforeRead) return;
            if (_clearedAt.TryGetValue(consortiumId, out var cleared) && cleared > generationBeforeRead) return;
            if (_notified.TryGetValue(consortiumId, out var notified) && state.Version < notified) return;
            _states[consortiumId] = state;
        }
    }

    /// <summary>After a local commit that touched these consortia's lists (null: possibly any, e.g. an organization renamed).</summary>
    public void Forget(IReadOnlyCollection<Guid>? consortia)
    {
        lock (_gate)
        {
            _generation++;
            if (consortia is null)
            {
                _clearedAllAt = _generation;
                _states.Clear();
                return;
            }
            foreach (var id in consortia)
            {
                _clearedAt[id] = _generation;
                _states.Remove(id);
            }
        }
    }

    public void Notified(string payload)
    {
        var separator = payload.IndexOf(':', StringComparison.Ordinal);
        if (separator < 0 || !Guid.TryParse(payload.AsSpan(0, separator), out var consortiumId)
            || !long.TryParse(payload.AsSpan(separator + 1), NumberStyles.Integer, CultureInfo.InvariantCulture, out var version))
        {
            Forget(null); // not ours to understand: trust nothing kept
            return;
        }
        lock (_gate)
        {
            if (!_notified.TryGetValue(consortiumId, out var known) || known < version) _notified[consortiumId] = version;
            if (_states.TryGetValue(consortiumId, out var kept) && kept.Version < version) _states.Remove(consortiumId);
        }
    }

    public void ListeningChanged(bool listening)
    {
        lock (_gate)
        {
            _listening = listening;
            _generation++;
            _clearedAllAt = _generation;
            _states.Clear();
        }
    }
}
