using Platform.DemoData.Api;
using Platform.DemoData.Seeds;

namespace Platform.DemoData.Loading;

/// <summary>
/// The programs, cohorts, demands and a year of placements through the talent-pipeline API. The programs the
/// Jinan agreements make arrive as drafts a moment after the events step (AgreementSigned); this step waits for
/// them and launches them, as the college would. The story 001 programs are created here. Cohorts, demands and
/// placements are illustrative and found again by their natural keys; placements are sent in one batch per
/// program when its funnel is still short of them (a repeat is a duplicate per event id, never a second event).
/// </summary>
public sealed class PipelineStories(TimeSpan? programsTimeout = null) : IDemoStep
{
    private readonly TimeSpan _programsTimeout = programsTimeout ?? TimeSpan.FromSeconds(90);

    public string Title => "Talent pipeline (programs, cohorts, demands, placements)";

    public async Task RunAsync(DemoContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var api = new TalentPipelineApi(context.Services.TalentPipeline ?? throw new InvalidOperationException("The talent-pipeline step needs its URL."));

        var programs = new Dictionary<(string Consortium, string Title), ProgramDto>();
        foreach (var group in StoryEvents.All.SelectMany(e => e.Agreements.Where(a => ProgramKindOf(a.Kind) is not null).Select(a => (e.ConsortiumSlug, a.Title)))
                     .GroupBy(a => a.ConsortiumSlug))
        {
            foreach (var program in await WaitForProgramsAsync(api, context, group.Key, group.Select(a => a.Title).ToList(), cancellationToken))
                programs[(group.Key, program.Title)] = await EnsureLaunchedAsync(api, context, program, cancellationToken);
        }

        foreach (var story in StoryPrograms.Direct)
        {
            var consortiumId = context.ConsortiumId(story.ConsortiumSlug);
            var program = Find(await api.ListProgramsAsync(consortiumId, cancellationToken), story.Title);
            if (program is null)
            {
                program = await api.CreateProgramAsync(story, consortiumId, story.CollegeSlugs.Select(context.OrganizationId).ToList(),
                    story.EnterpriseSlugs.Select(context.OrganizationId).ToList(), $"demo:program:{JsonApi.Slug(story.Title)}", cancellationToken);
                // Created and launched: one item, as a second run counts it.
                program = await api.LaunchAsync(program.Id, $"demo:launch:{program.Id}", cancellationToken);
                context.Log.Created("program", story.Title);
            }
            else
            {
                context.Log.AlreadyThere("program", story.Title);
            }
            programs[(story.ConsortiumSlug, story.Title)] = await EnsureLaunchedAsync(api, context, program, cancellationToken, logged: true);
        }

        await EnsureCohortsAsync(api, context, cancellationToken);
        await EnsureDemandsAsync(api, context, cancellationToken);
        foreach (var placements in StoryPlacements())
            await EnsurePlacementsAsync(api, context, programs[(placements.ConsortiumSlug, placements.ProgramTitle)], placements, cancellationToken);
    }

    private static IReadOnlyList<StoryPlacements> StoryPlacements() => StoryPrograms.Placements;

    /// <summary>The same mapping talent-pipeline applies to AgreementSigned.</summary>
    private static ProgramKind? ProgramKindOf(AgreementKind kind) => kind switch
    {
        AgreementKind.OrderClass => ProgramKind.OrderClass,
        AgreementKind.TrainingCooperation => ProgramKind.SkillsTrainingProject,
        AgreementKind.ProductionPractice => ProgramKind.ProductionPracticeProject,
        _ => null,
    };

    private static ProgramDto? Find(IReadOnlyList<ProgramDto> programs, string title) =>
        programs.Where(p => string.Equals(p.Title.Trim(), title, StringComparison.OrdinalIgnoreCase) && p.Status != ProgramStatus.Cancelled).MinBy(p => p.Id);

    private async Task<IReadOnlyList<ProgramDto>> WaitForProgramsAsync(TalentPipelineApi api, DemoContext context, string consortiumSlug, IReadOnlyList<string> titles,
        CancellationToken cancellationToken)
    {
        var consortiumId = context.ConsortiumId(consortiumSlug);
        var deadline = DateTimeOffset.UtcNow + _programsTimeout;
        while (true)
        {
            var listed = await api.ListProgramsAsync(consortiumId, cancellationToken);
            var found = titles.Select(t => Find(listed, t)).ToList();
            if (found.All(p => p is not null)) return found!;
            if (DateTimeOffset.UtcNow > deadline)
                throw new TimeoutException($"talent-pipeline has no program for {string.Join(", ", titles.Where((_, i) => found[i] is null))} " +
                    $"{_programsTimeout.TotalSeconds:0} s after the agreements were recorded; is it connected to the message broker? Run again once it is.");
            await Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken);
        }
    }

    private static async Task<ProgramDto> EnsureLaunchedAsync(TalentPipelineApi api, DemoContext context, ProgramDto program, CancellationToken cancellationToken,
        bool logged = false)
    {
        if (program.Status != ProgramStatus.Draft)
        {
            if (!logged) context.Log.AlreadyThere("program", $"{program.Title} ({program.Status.ToString().ToLowerInvariant()})");
            return program;
        }
        var launched = await api.LaunchAsync(program.Id, $"demo:launch:{program.Id}", cancellationToken);
        context.Log.Created("program launch", program.Title);
        return launched;
    }

    private static async Task EnsureCohortsAsync(TalentPipelineApi api, DemoContext context, CancellationToken cancellationToken)
    {
        foreach (var group in StoryPrograms.Cohorts.GroupBy(c => c.ConsortiumSlug))
        {
            var consortiumId = context.ConsortiumId(group.Key);
            var existing = await api.ListCohortsAsync(consortiumId, cancellationToken);
            foreach (var cohort in group)
            {
                var collegeId = context.OrganizationId(cohort.CollegeSlug);
                var label = $"{cohort.Major}, {cohort.GraduationYear}, {cohort.Headcount} (illustrative)";
                if (existing.Any(c => c.CollegeId == collegeId && c.GraduationYear == cohort.GraduationYear
                                      && string.Equals(c.Major.Trim(), cohort.Major, StringComparison.OrdinalIgnoreCase)))
                {
                    context.Log.AlreadyThere("cohort", label);
                    continue;
                }
                await api.DeclareCohortAsync(cohort, consortiumId, collegeId,
                    $"demo:cohort:{cohort.CollegeSlug}:{JsonApi.Slug(cohort.Major)}:{cohort.GraduationYear}", cancellationToken);
                context.Log.Created("cohort", label);
            }
        }
    }

    private static async Task EnsureDemandsAsync(TalentPipelineApi api, DemoContext context, CancellationToken cancellationToken)
    {
        foreach (var group in StoryPrograms.Demands.GroupBy(d => d.ConsortiumSlug))
        {
            var consortiumId = context.ConsortiumId(group.Key);
            var existing = await api.ListDemandsAsync(consortiumId, cancellationToken);
            foreach (var demand in group)
            {
                var enterpriseId = context.OrganizationId(demand.EnterpriseSlug);
                var label = $"{demand.Occupation} × {demand.Headcount} by {demand.NeededBy:yyyy-MM-dd} (illustrative)";
                if (existing.Any(d => d.EnterpriseId == enterpriseId && d.NeededBy == demand.NeededBy
                                      && string.Equals(d.Occupation.Trim(), demand.Occupation, StringComparison.OrdinalIgnoreCase)))
                {
                    context.Log.AlreadyThere("demand", label);
                    continue;
                }
                await api.PostDemandAsync(demand, consortiumId, enterpriseId,
                    $"demo:demand:{demand.EnterpriseSlug}:{JsonApi.Slug(demand.Occupation)}:{demand.NeededBy:yyyyMMdd}", cancellationToken);
                context.Log.Created("demand", label);
            }
        }
    }

    private static async Task EnsurePlacementsAsync(TalentPipelineApi api, DemoContext context, ProgramDto program, StoryPlacements story,
        CancellationToken cancellationToken)
    {
        var events = PlacementYear.Of(story, context.OrganizationId(story.CollegeSlug), context.OrganizationId(story.EnterpriseSlug), program.Id, DateTimeOffset.UtcNow);
        var label = $"{story.ProgramTitle}: {story.Trainees} illustrative trainees ({story.Prefix}-…), {events.Count} events";
        var funnel = await api.FunnelAsync(program.Id, cancellationToken);
        if (funnel.Counts.Enrolled >= story.Trainees)
        {
            context.Log.AlreadyThere("placements", label);
            return;
        }
        // Sent even when part is there (a run stopped halfway): the events already stored come back as duplicates.
        var report = await api.RecordPlacementsAsync(events, $"demo:placements:{JsonApi.Slug(story.Prefix)}:{events.Count}:{funnel.Counts.Enrolled}", cancellationToken);
        if (report.Rejected > 0) context.Log.LeftAsIs("placements", label, $"{report.Rejected} events were rejected by talent-pipeline");
        else context.Log.Created("placements", $"{label}; {report.Accepted} accepted, {report.Duplicates} already there");
    }
}

/// <summary>
/// A year of a program's placement events, as a college's system would report them: a realistic funnel with
/// drop-outs (every 10th trainee withdraws before the internship, every 7th during it; every 6th leaves without
/// an offer; every 5th employed leaves before 12 months). One event in the order class is reported after its
/// trainee withdrew, the kind of slip the data-quality view exists to show.
/// </summary>
public static class PlacementYear
{
    public static IReadOnlyList<PlacementEventDto> Of(StoryPlacements story, Guid collegeId, Guid enterpriseId, Guid programId, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(story);
        var events = new List<PlacementEventDto>();
        var start = new DateTimeOffset(story.EnrolledOn, new TimeOnly(9, 0), StoryEvent.ChinaStandardTime);
        for (var i = 1; i <= story.Trainees; i++)
        {
            var trainee = $"{story.Prefix}-{i:000}";
            void Add(PlacementType type, int day, bool atEnterprise = true) =>
                events.Add(new($"{trainee}-{type}".ToLowerInvariant(), collegeId, programId, trainee, type, start.AddDays(day + i % 3),
                    atEnterprise && type != PlacementType.Enrolled ? enterpriseId : null));

            Add(PlacementType.Enrolled, 0);
            if (i % 10 == 0)
            {
                Add(PlacementType.Withdrawn, 45, atEnterprise: false);
                if (i == 10 && story.Prefix == "DEMO-BC") Add(PlacementType.InternshipStarted, 90);
                continue;
            }
            Add(PlacementType.InternshipStarted, 90);
            if (i % 7 == 0)
            {
                Add(PlacementType.Withdrawn, 120);
                continue;
            }
            Add(PlacementType.InternshipCompleted, 200);
            if (i % 6 == 0) continue;
            Add(PlacementType.OfferMade, 210);
            Add(PlacementType.OfferAccepted, 214);
            Add(PlacementType.Employed, 225);
            Add(PlacementType.Retained6Months, 225 + 183);
            if (i % 5 == 0) continue;
            Add(PlacementType.Retained12Months, 225 + 365);
        }
        // Nothing from the future: the talent-pipeline refuses it, and the stories' year may not be over.
        return [.. events.Where(e => e.OccurredAt <= now)];
    }
}
