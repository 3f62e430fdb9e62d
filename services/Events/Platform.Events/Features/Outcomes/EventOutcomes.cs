namespace Platform.Events.Features.Outcomes;

/// <summary>Reads what a held event produced; <c>getEvent</c> shows it, so it sits beside the outcome endpoints, not in them.</summary>
public static class EventOutcomes
{
    /// <summary>Everything recorded on one event, for <c>getEvent</c>.</summary>
    public static async Task<EventOutcomesResponse> ReadAsync(this EventsDbContext db, ConsortiumEvent e, Caller caller, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var agreements = await db.Agreements.AsNoTracking().Where(a => a.EventId == e.Id).OrderBy(a => a.Id).ToListAsync(cancellationToken);
        var unveilings = await db.Unveilings.AsNoTracking().Where(u => u.EventId == e.Id).OrderBy(u => u.Id).ToListAsync(cancellationToken);
        var designations = await db.CouncilDesignationRecordings.AsNoTracking().Where(d => d.EventId == e.Id).OrderBy(d => d.Id).ToListAsync(cancellationToken);
        var results = await db.CompetitionResults.AsNoTracking().SingleOrDefaultAsync(r => r.EventId == e.Id, cancellationToken);
        return new EventOutcomesResponse(
            [.. agreements.Select(a => AgreementResponse.From(a, e.Title))],
            [.. unveilings.Select(UnveilingResponse.From)],
            [.. designations.Select(CouncilDesignationsResponse.From)],
            // A trainee ref is a person's reference: shown to the operator, the organizers and the entrant's own college only.
            results is null ? null : CompetitionResultsResponse.From(results, college => caller.CanActFor(college) || caller.CanActForAny(e.OrganizerIds)));
    }
}
