namespace Platform.Webhooks.Domain;

/// <summary>Who hears of a membership change: the organization itself (it alone is told membership's reason) and the others.</summary>
/// <param name="Subject">The organization whose membership changed.</param>
/// <param name="Others">The consortium's other current members.</param>
public sealed record MembershipAudience(Guid Subject, IReadOnlySet<Guid> Others);

/// <summary>
/// Which organizations' endpoints a webhook may go to: the APIs' isolation rules, in one place. An organization hears
/// its own private events; a consortium's news goes to its current members (active or suspended, the same
/// organizations that may read its feed and agreements register); a withdrawn, rejected or unknown organization hears
/// nothing consortium-wide; nobody hears another organization's private data.
/// </summary>
public static class Audience
{
    /// <summary>The organization kinds that train students (a placement's college side).</summary>
    public static bool IsCollegeKind(string? kind) => kind is "technicianCollege" or "vocationalCollege" or "university";

    /// <summary>
    /// Whether an organization of <paramref name="organizationKind"/> could ever be sent <paramref name="type"/>, so
    /// registration refuses a subscription that would never deliver. Only colleges hear of flagged placements; an
    /// organization whose kind is not known yet counts as not a college. <c>*</c> is always allowed: it means
    /// everything the organization may see.
    /// </summary>
    public static bool MayEverSee(WebhookEventType type, string? organizationKind) => type switch
    {
        WebhookEventType.WebhookTest => false,
        WebhookEventType.PlacementFlagged => IsCollegeKind(organizationKind),
        _ => true,
    };

    /// <summary>A consortium's news (events, agreements): its current members.</summary>
    public static IReadOnlySet<Guid> ForConsortium(IEnumerable<ConsortiumMember> members) =>
        members.Where(m => m.IsCurrent).Select(m => m.OrganizationId).ToHashSet();

    /// <summary>
    /// A membership change (<paramref name="changed"/>, already applied) of a consortium with <paramref name="members"/>:
    /// the organization itself, whatever its status now, and the consortium's other current members.
    /// </summary>
    public static MembershipAudience ForMembershipChange(ConsortiumMember changed, IEnumerable<ConsortiumMember> members)
    {
        ArgumentNullException.ThrowIfNull(changed);
        var others = members.Where(m => m.ConsortiumId == changed.ConsortiumId && m.OrganizationId != changed.OrganizationId && m.IsCurrent)
            .Select(m => m.OrganizationId).ToHashSet();
        return new MembershipAudience(changed.OrganizationId, others);
    }

    /// <summary>A program's news: its parties (colleges and enterprises) only, members of the consortium or not.</summary>
    public static IReadOnlySet<Guid> ForProgram(IEnumerable<Guid> parties) => parties.Where(p => p != Guid.Empty).ToHashSet();

    /// <summary>A flagged placement event: the college that pushed it, nobody else (trainee data is the college's).</summary>
    public static IReadOnlySet<Guid> ForFlaggedPlacement(Guid collegeId) => collegeId == Guid.Empty ? new HashSet<Guid>() : new HashSet<Guid> { collegeId };
}
