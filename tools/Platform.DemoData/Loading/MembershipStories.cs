using System.Text.Json;
using Platform.DemoData.Api;
using Platform.DemoData.Seeds;

namespace Platform.DemoData.Loading;

/// <summary>
/// The stories' organizations, consortia, memberships, council sessions, charters and representatives, loaded
/// through the membership API. Each item is looked up first (organizations by exact name, consortia by name,
/// memberships, sessions, charters and representatives within their parent), so a second run creates nothing;
/// each POST carries an Idempotency-Key like <c>demo:org:jinan-aotto</c>, so two runs at the same moment (say
/// the AppHost's and a developer's) get one answer between them instead of a duplicate.
/// </summary>
public sealed class MembershipStories(IReadOnlyList<StoryOrganization>? organizations = null, IReadOnlyList<StoryConsortium>? consortia = null) : IDemoStep
{
    private readonly IReadOnlyList<StoryOrganization> _organizations = organizations ?? StoryOrganizations.All;
    private readonly IReadOnlyList<StoryConsortium> _consortia = consortia ?? StoryConsortia.All;

    public string Title => "Membership (organizations, consortia, members, councils, charters, representatives)";

    public async Task RunAsync(DemoContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var api = new MembershipApi(context.Services.Membership);
        foreach (var organization in _organizations)
            context.Organizations[organization.Slug] = await EnsureOrganizationAsync(api, context.Log, organization, cancellationToken);

        var existing = await api.ListConsortiaAsync(cancellationToken);
        foreach (var consortium in _consortia)
        {
            var consortiumId = await EnsureConsortiumAsync(api, context, existing, consortium, cancellationToken);
            context.Consortia[consortium.Slug] = consortiumId;
            await EnsureMembersAsync(api, context, consortiumId, consortium, cancellationToken);
            if (consortium.Council is not null) await EnsureCouncilAsync(api, context, consortiumId, consortium, consortium.Council, cancellationToken);
            if (consortium.Charter is not null) await EnsureCharterAsync(api, context.Log, consortiumId, consortium, consortium.Charter, cancellationToken);
        }

        foreach (var organization in _organizations.Where(o => o.Representatives.Count > 0))
            await EnsureRepresentativesAsync(api, context.Log, context.OrganizationId(organization.Slug), organization, cancellationToken);
    }

    private static async Task<Guid> EnsureOrganizationAsync(MembershipApi api, LoadLog log, StoryOrganization organization, CancellationToken cancellationToken)
    {
        if (await api.FindOrganizationAsync(organization.Name, cancellationToken) is { } found)
        {
            if (found.Kind != organization.Kind || found.IsIllustrative != organization.IsIllustrative)
                log.LeftAsIs("organization", organization.Name,
                    $"registered as {found.Kind}{(found.IsIllustrative ? ", illustrative" : "")}; the story has {organization.Kind}{(organization.IsIllustrative ? ", illustrative" : "")}");
            else
                log.AlreadyThere("organization", organization.Name);
            return found.Id;
        }
        var registered = await api.RegisterOrganizationAsync(organization, $"demo:org:{organization.Slug}", cancellationToken);
        log.Created("organization", organization.Name);
        return registered.Id;
    }

    private static async Task<Guid> EnsureConsortiumAsync(MembershipApi api, DemoContext context, IReadOnlyList<ConsortiumDto> existing,
        StoryConsortium consortium, CancellationToken cancellationToken)
    {
        // Oldest first, so a name registered twice by hand resolves the same way every run.
        if (existing.Where(c => string.Equals(c.Name.Trim(), consortium.Name, StringComparison.OrdinalIgnoreCase)).MinBy(c => c.Id) is { } found)
        {
            context.Log.AlreadyThere("consortium", consortium.Name);
            return found.Id;
        }
        var leads = consortium.LeadOrganizationSlugs.Select(context.OrganizationId).ToList();
        var established = await api.EstablishConsortiumAsync(consortium, leads, $"demo:consortium:{consortium.Slug}", cancellationToken);
        context.Log.Created("consortium", consortium.Name);
        return established.Id;
    }

    /// <summary>Every member applied and approved; a membership someone rejected, suspended or ended stays as it is.</summary>
    private async Task EnsureMembersAsync(MembershipApi api, DemoContext context, Guid consortiumId, StoryConsortium consortium,
        CancellationToken cancellationToken)
    {
        var memberships = (await api.ListMembershipsAsync(consortiumId, cancellationToken))
            .GroupBy(m => m.OrganizationId)
            .ToDictionary(g => g.Key, g => g.OrderByDescending(m => IsCurrent(m.Status)).ThenByDescending(m => m.Id).First());
        var reason = $"Member as told in seed story {consortium.Story}.";
        foreach (var member in consortium.Members)
        {
            var organizationId = context.OrganizationId(member.OrganizationSlug);
            var keyPart = $"{consortium.Slug}:{member.OrganizationSlug}";
            // Printed under the consortium's own line.
            var label = NameOf(member.OrganizationSlug);
            memberships.TryGetValue(organizationId, out var membership);
            switch (membership?.Status)
            {
                case null:
                    membership = await api.ApplyAsync(consortiumId, organizationId, reason, $"demo:membership:{keyPart}", cancellationToken);
                    await api.ApproveAsync(consortiumId, membership.Id, reason, $"demo:approve:{keyPart}", cancellationToken);
                    context.Log.Created("membership", label);
                    break;
                case MembershipStatus.Applied:
                    // A run stopped between applying and approving.
                    await api.ApproveAsync(consortiumId, membership.Id, reason, $"demo:approve:{keyPart}", cancellationToken);
                    context.Log.Created("membership", label + " (approved)");
                    break;
                case MembershipStatus.Active:
                    context.Log.AlreadyThere("membership", label);
                    break;
                default:
                    context.Log.LeftAsIs("membership", label, $"the membership is {membership.Status}");
                    break;
            }
        }
    }

    private static bool IsCurrent(MembershipStatus status) => status is MembershipStatus.Applied or MembershipStatus.Active or MembershipStatus.Suspended;

    /// <summary>
    /// Opens the session and designates the story's roles once. Designations someone made since (or a later
    /// session) are not overwritten: the loader fills an empty council, it does not reset one.
    /// </summary>
    private static async Task EnsureCouncilAsync(MembershipApi api, DemoContext context, Guid consortiumId, StoryConsortium consortium,
        StoryCouncilSession council, CancellationToken cancellationToken)
    {
        var label = $"{consortium.Name}, session {council.Number}";
        var session = await api.FindCouncilSessionAsync(consortiumId, council.Number, cancellationToken);
        if (session is null)
        {
            session = await api.OpenCouncilSessionAsync(consortiumId, council, $"demo:council-session:{consortium.Slug}:{council.Number}", cancellationToken);
            context.Log.Created("council session", label);
        }
        else
        {
            context.Log.AlreadyThere("council session", label);
        }

        var wanted = consortium.Members.Where(m => m.Role is not null)
            .Select(m => (OrganizationId: context.OrganizationId(m.OrganizationSlug), Role: m.Role!.Value)).ToList();
        var held = session.Designations.Select(d => (d.OrganizationId, d.Role)).ToHashSet();
        var counts = string.Join(", ", wanted.GroupBy(w => w.Role).OrderBy(g => g.Key).Select(g => $"{g.Count()} {JsonNamingPolicy.CamelCase.ConvertName(g.Key.ToString())}"));
        if (held.SetEquals(wanted))
        {
            context.Log.AlreadyThere("council roles", $"{label}: {counts}");
        }
        else if (!session.IsCurrent)
        {
            context.Log.LeftAsIs("council roles", label, "a later council session has been opened");
        }
        else if (held.Count > 0)
        {
            context.Log.LeftAsIs("council roles", label, $"{held.Count} roles are designated, not as the story tells them");
        }
        else
        {
            await api.DesignateAsync(consortiumId, council.Number, wanted, cancellationToken);
            context.Log.Created("council roles", $"{label}: {counts}");
        }
    }

    private static async Task EnsureCharterAsync(MembershipApi api, LoadLog log, Guid consortiumId, StoryConsortium consortium, StoryCharter charter,
        CancellationToken cancellationToken)
    {
        var label = $"{consortium.Name}, approved {charter.ApprovedOn:yyyy-MM-dd}";
        if ((await api.ListChartersAsync(consortiumId, cancellationToken)).Count > 0)
        {
            log.AlreadyThere("charter", label);
            return;
        }
        await api.ApproveCharterAsync(consortiumId, charter, $"demo:charter:{consortium.Slug}:1", cancellationToken);
        log.Created("charter", label);
    }

    private static async Task EnsureRepresentativesAsync(MembershipApi api, LoadLog log, Guid organizationId, StoryOrganization organization,
        CancellationToken cancellationToken)
    {
        var present = (await api.ListRepresentativesAsync(organizationId, cancellationToken)).Select(p => p.Name.Trim()).ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var person in organization.Representatives)
        {
            var label = $"{person.Name}, {person.Title}, {organization.Name}";
            if (present.Contains(person.Name))
            {
                log.AlreadyThere("representative", label);
                continue;
            }
            await api.AddRepresentativeAsync(organizationId, person, $"demo:representative:{organization.Slug}:{JsonApi.Slug(person.Name)}", cancellationToken);
            log.Created("representative", label);
        }
    }

    private string NameOf(string slug) => _organizations.FirstOrDefault(o => o.Slug == slug)?.Name ?? slug;
}
