using Platform.DemoData.Api;
using Platform.DemoData.Seeds;

namespace Platform.DemoData.Loading;

/// <summary>
/// The stories' events through the events API: each planned, scheduled and held once (found again by consortium,
/// title and day), then its outcomes recorded once (agreements by title, unveilings by name, competition results
/// once per competition). Agreements and unveilings reach talent-pipeline as AgreementSigned and PlaqueUnveiled,
/// which make and launch programs there, as in production.
/// </summary>
public sealed class EventStories(IReadOnlyList<StoryEvent>? events = null, TimeSpan? membersTimeout = null) : IDemoStep
{
    private readonly IReadOnlyList<StoryEvent> _events = events ?? StoryEvents.All;
    private readonly TimeSpan _membersTimeout = membersTimeout ?? TimeSpan.FromSeconds(90);

    public string Title => "Events (meetings, ceremonies, agreements, unveilings, competition results)";

    public async Task RunAsync(DemoContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var api = new EventsApi(context.Services.Events ?? throw new InvalidOperationException("The events step needs the events service's URL."));
        foreach (var group in _events.GroupBy(e => e.ConsortiumSlug))
        {
            var consortiumId = context.ConsortiumId(group.Key);
            await WaitForMembersAsync(api, context, consortiumId, group.Key, group.SelectMany(Organizations).Distinct().ToList(), cancellationToken);
            var existing = await api.ListEventsAsync(consortiumId, cancellationToken);
            foreach (var story in group)
            {
                var held = await EnsureHeldAsync(api, context, consortiumId, existing, story, cancellationToken);
                if (held is not null) await EnsureOutcomesAsync(api, context, held, story, cancellationToken);
            }
        }
    }

    private static IEnumerable<string> Organizations(StoryEvent e) =>
        e.OrganizerSlugs.Concat(e.Agreements.SelectMany(a => a.PartySlugs)).Concat(e.Unveilings.Select(u => u.HostSlug));

    /// <summary>
    /// Events learns the members from membership's messages, a moment after the membership step; organizers, parties
    /// and hosts must be active members there before an event is planned or an outcome recorded.
    /// </summary>
    private async Task WaitForMembersAsync(EventsApi api, DemoContext context, Guid consortiumId, string consortiumSlug, IReadOnlyList<string> slugs,
        CancellationToken cancellationToken)
    {
        var wanted = slugs.Select(context.OrganizationId).ToHashSet();
        var deadline = DateTimeOffset.UtcNow + _membersTimeout;
        while (true)
        {
            var page = await api.FindMembersAsync(consortiumId, cancellationToken);
            var active = page?.Items.Where(m => m.Status == MembershipStatus.Active).Select(m => m.OrganizationId).ToHashSet() ?? [];
            if (wanted.IsSubsetOf(active)) return;
            if (DateTimeOffset.UtcNow > deadline)
                throw new TimeoutException($"The events service does not know {wanted.Count - wanted.Count(active.Contains)} of the members of {consortiumSlug} " +
                    $"after {_membersTimeout.TotalSeconds:0} s; is it connected to the message broker? Run again once it is (nothing is created twice).");
            await Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken);
        }
    }

    private static async Task<EventDto?> EnsureHeldAsync(EventsApi api, DemoContext context, Guid consortiumId, IReadOnlyList<EventDto> existing, StoryEvent story,
        CancellationToken cancellationToken)
    {
        var label = $"{story.Title}, {story.Day:yyyy-MM-dd}";
        var found = existing.Where(e => string.Equals(e.Title.Trim(), story.Title, StringComparison.OrdinalIgnoreCase)
                                        && DateOnly.FromDateTime(e.StartsAt.ToOffset(StoryEvent.ChinaStandardTime).DateTime) == story.Day)
            .MinBy(e => e.Id);
        if (found is null)
        {
            var organizers = story.OrganizerSlugs.Select(context.OrganizationId).ToList();
            found = await api.PlanAsync(story, consortiumId, organizers, $"demo:event:{story.Slug}", cancellationToken);
            context.Log.Created("event", label);
        }
        else if (found.Status == EventStatus.Cancelled)
        {
            context.Log.LeftAsIs("event", label, "it was cancelled");
            return null;
        }
        else
        {
            context.Log.AlreadyThere("event", label);
        }

        // The stories tell of events that took place: draft → scheduled → held (a run stopped halfway goes on from where it was).
        if (found.Status == EventStatus.Draft) found = await api.PerformAsync(found.Id, "schedule", $"demo:event:{story.Slug}:schedule", cancellationToken);
        if (found.Status == EventStatus.RegistrationOpen)
            found = await api.PerformAsync(found.Id, "close-registration", $"demo:event:{story.Slug}:close-registration", cancellationToken);
        if (found.Status is EventStatus.Scheduled or EventStatus.RegistrationClosed)
            found = await api.PerformAsync(found.Id, "hold", $"demo:event:{story.Slug}:hold", cancellationToken);
        return await api.GetEventAsync(found.Id, cancellationToken);
    }

    private static async Task EnsureOutcomesAsync(EventsApi api, DemoContext context, EventDto held, StoryEvent story, CancellationToken cancellationToken)
    {
        var outcomes = held.Outcomes;
        foreach (var agreement in story.Agreements)
        {
            if (outcomes?.Agreements.Any(a => string.Equals(a.Title.Trim(), agreement.Title, StringComparison.OrdinalIgnoreCase)) == true)
            {
                context.Log.AlreadyThere("agreement", agreement.Title);
                continue;
            }
            await api.RecordAgreementAsync(held.Id, agreement, agreement.PartySlugs.Select(context.OrganizationId).ToList(), story.Day,
                $"demo:agreement:{story.Slug}:{JsonApi.Slug(agreement.Title)}", cancellationToken);
            context.Log.Created("agreement", agreement.Title);
        }

        foreach (var unveiling in story.Unveilings)
        {
            if (outcomes?.Unveilings.Any(u => string.Equals(u.Name.Trim(), unveiling.Name, StringComparison.OrdinalIgnoreCase)) == true)
            {
                context.Log.AlreadyThere("unveiling", unveiling.Name);
                continue;
            }
            await api.RecordUnveilingAsync(held.Id, unveiling, context.OrganizationId(unveiling.HostSlug), story.Day,
                $"demo:unveiling:{story.Slug}:{JsonApi.Slug(unveiling.Name)}", cancellationToken);
            context.Log.Created("unveiling", unveiling.Name);
        }

        if (story.CompetitionResults.Count > 0)
        {
            var label = $"{story.Title}: {story.CompetitionResults.Count} illustrative entrants";
            if (outcomes?.CompetitionResults is not null)
            {
                context.Log.AlreadyThere("competition results", label);
                return;
            }
            var entrants = story.CompetitionResults.Select(e => (e.TraineeRef, context.OrganizationId(e.CollegeSlug), e.Rank, e.Award)).ToList();
            await api.PublishResultsAsync(held.Id, entrants, $"demo:results:{story.Slug}", cancellationToken);
            context.Log.Created("competition results", label);
        }
    }
}
