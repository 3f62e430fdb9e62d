using DomainMembership = Platform.Membership.Domain.Membership;

namespace Platform.Membership.Features.Memberships;

/// <summary>The one place a membership's changes (the application, each transition) become integration events.</summary>
internal static class MembershipAnnouncements
{
    public static MembershipApplied Applied(DomainMembership m, Organization o) => new()
    {
        MembershipId = m.Id, ConsortiumId = m.ConsortiumId, OrganizationId = o.Id, OrganizationName = o.Name, OrganizationNameZh = o.NameZh,
        OrganizationKind = ApiEnum.Name(o.Kind), OccurredAt = m.AppliedAt, Version = m.Version,
    };

    /// <summary>The event for a transition <paramref name="m"/> just made (its version is the transition's).</summary>
    public static object Transitioned(DomainMembership m, MembershipTransition transition, Organization o) => transition.Action switch
    {
        MembershipAction.Approve => new MembershipActivated
        {
            MembershipId = m.Id, ConsortiumId = m.ConsortiumId, OrganizationId = o.Id, OrganizationName = o.Name, OrganizationNameZh = o.NameZh,
            OrganizationKind = ApiEnum.Name(o.Kind), Reason = transition.Reason, OccurredAt = transition.At, Version = m.Version,
        },
        MembershipAction.Reject => new MembershipRejected
        {
            MembershipId = m.Id, ConsortiumId = m.ConsortiumId, OrganizationId = o.Id, OrganizationName = o.Name, OrganizationNameZh = o.NameZh, Reason = transition.Reason, OccurredAt = transition.At, Version = m.Version,
        },
        MembershipAction.Suspend => new MembershipSuspended
        {
            MembershipId = m.Id, ConsortiumId = m.ConsortiumId, OrganizationId = o.Id, OrganizationName = o.Name, OrganizationNameZh = o.NameZh, Reason = transition.Reason, OccurredAt = transition.At, Version = m.Version,
        },
        MembershipAction.Reinstate => new MembershipReinstated
        {
            MembershipId = m.Id, ConsortiumId = m.ConsortiumId, OrganizationId = o.Id, OrganizationName = o.Name, OrganizationNameZh = o.NameZh,
            OrganizationKind = ApiEnum.Name(o.Kind), Reason = transition.Reason, OccurredAt = transition.At, Version = m.Version,
        },
        MembershipAction.Withdraw => new MembershipWithdrawn
        {
            MembershipId = m.Id, ConsortiumId = m.ConsortiumId, OrganizationId = o.Id, OrganizationName = o.Name, OrganizationNameZh = o.NameZh, Reason = transition.Reason, OccurredAt = transition.At, Version = m.Version,
        },
        _ => throw new ArgumentException("The application is announced by Applied, not as a transition.", nameof(transition)),
    };
}
