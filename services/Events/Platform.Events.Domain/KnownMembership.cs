using System.Linq.Expressions;

namespace Platform.Events.Domain;

/// <summary>
/// An organization's membership of a consortium, as of the latest membership event (the read model of membership's
/// announcements). Only an active member organizes events and signs agreements; an active or suspended one reads its
/// consortium's directory, feed and agreements register.
/// </summary>
public sealed class KnownMembership
{
    private KnownMembership(Guid consortiumId, Guid organizationId)
    {
        ConsortiumId = consortiumId;
        OrganizationId = organizationId;
    }

    public Guid ConsortiumId { get; private set; }
    public Guid OrganizationId { get; private set; }
    public Guid MembershipId { get; private set; }
    public MembershipStatus Status { get; private set; }
    /// <summary>When the event that set the status occurred (the producer's clock: shown, not used for order).</summary>
    public DateTimeOffset ChangedAt { get; private set; }
    /// <summary>Membership's version of the event that set the status; only a greater one overwrites it (0: from before versions, ordered by time).</summary>
    public long Version { get; private set; }

    public bool IsActive => Status == MembershipStatus.Active;

    /// <summary>Whether the organization still belongs to the consortium (active or suspended): it reads what the consortium shares.</summary>
    public static readonly Expression<Func<KnownMembership, bool>> BelongsToConsortium =
        m => m.Status == MembershipStatus.Active || m.Status == MembershipStatus.Suspended;

    public static KnownMembership Create(Guid consortiumId, Guid organizationId, Guid membershipId, MembershipStatus status, long version, DateTimeOffset at) =>
        new(consortiumId, organizationId) { MembershipId = membershipId, Status = status, Version = version, ChangedAt = at.ToUniversalTime() };

    /// <summary>
    /// Applies a status announced with membership's <paramref name="version"/>. Membership events arrive out of order
    /// (retries, redeliveries, concurrent consumers) and producers' clocks disagree, so an announcement that is not
    /// newer changes nothing and returns false. Version 0 (a producer from before versions) is ordered by time, and
    /// only against other version-0 announcements.
    /// </summary>
    public bool TryApply(MembershipStatus status, long version, DateTimeOffset at, Guid membershipId)
    {
        var utc = at.ToUniversalTime();
        if (!IsNewer(version, utc)) return false;
        MembershipId = membershipId;
        Status = status;
        ChangedAt = utc;
        Version = version;
        return true;
    }

    private bool IsNewer(long version, DateTimeOffset at) => version > 0 ? version > Version : Version == 0 && ChangedAt <= at;
}
