using Spectre.Console;

namespace Platform.DemoData.Loading;

/// <summary>
/// The platform's services as the loader reaches them: one HttpClient per service, each with a base address
/// and the operator's <c>X-Api-Key</c>. Steps for talent-pipeline and events take their clients from here once
/// they exist; a service the caller did not give is null.
/// </summary>
public sealed record DemoServices(HttpClient Membership)
{
    public HttpClient? TalentPipeline { get; init; }
    public HttpClient? Events { get; init; }
}

/// <summary>
/// What the steps share: the services, the output, and the platform ids of what the stories call by slug
/// (so a later step, e.g. events, finds the organizations and consortia an earlier step loaded).
/// </summary>
public sealed class DemoContext(DemoServices services, LoadLog log)
{
    public DemoServices Services { get; } = services;
    public LoadLog Log { get; } = log;

    /// <summary>Organization slug → id.</summary>
    public Dictionary<string, Guid> Organizations { get; } = new(StringComparer.Ordinal);

    /// <summary>Consortium slug → id.</summary>
    public Dictionary<string, Guid> Consortia { get; } = new(StringComparer.Ordinal);

    public Guid OrganizationId(string slug) =>
        Organizations.TryGetValue(slug, out var id) ? id : throw new InvalidOperationException($"Organization '{slug}' is not loaded yet; the membership step runs first.");

    public Guid ConsortiumId(string slug) =>
        Consortia.TryGetValue(slug, out var id) ? id : throw new InvalidOperationException($"Consortium '{slug}' is not loaded yet; the membership step runs first.");
}

/// <summary>
/// One part of the stories loaded into one service, idempotently: it looks each item up before creating it and
/// sends an Idempotency-Key derived from the item on every POST.
/// </summary>
public interface IDemoStep
{
    /// <summary>Shown as the heading of the step's output.</summary>
    string Title { get; }

    Task RunAsync(DemoContext context, CancellationToken cancellationToken);
}

/// <summary>Runs the steps in order (membership first: the others refer to its organizations and consortia).</summary>
public static class DemoLoader
{
    /// <summary>
    /// The steps for the services given: membership always; events when its client is given; talent-pipeline when
    /// both are (its programs follow from the events' agreements and unveilings).
    /// </summary>
    public static IReadOnlyList<IDemoStep> DefaultSteps(DemoServices services)
    {
        ArgumentNullException.ThrowIfNull(services);
        List<IDemoStep> steps = [new MembershipStories()];
        if (services.Events is not null) steps.Add(new EventStories());
        if (services.Events is not null && services.TalentPipeline is not null) steps.Add(new PipelineStories());
        return steps;
    }

    /// <summary>
    /// Loads with the output as <see cref="LoadLog.TerminalBehind"/> finds it: a live display on an interactive
    /// terminal, plain lines otherwise.
    /// </summary>
    /// <exception cref="Api.ApiProblemException">A service refused a call; nothing after it ran.</exception>
    public static Task<LoadSummary> LoadAsync(DemoServices services, TextWriter output, IReadOnlyList<IDemoStep>? steps = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(output);
        return LoadAsync(services, new LoadLog(output, LoadLog.TerminalBehind(output)), steps, cancellationToken);
    }

    /// <exception cref="Api.ApiProblemException">A service refused a call; nothing after it ran.</exception>
    public static async Task<LoadSummary> LoadAsync(DemoServices services, LoadLog log, IReadOnlyList<IDemoStep>? steps = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(log);
        var context = new DemoContext(services, log);
        if (log.Terminal is { } terminal)
        {
            // Progress (not AutoClear): each step's line stays, with its counts, above the table Finish writes.
            await terminal.Progress().AutoClear(false)
                .Columns(new SpinnerColumn(), new TaskDescriptionColumn { Alignment = Justify.Left }, new ElapsedTimeColumn())
                .StartAsync(async progress =>
                {
                    foreach (var step in steps ?? DefaultSteps(services))
                    {
                        log.Heading(step.Title);
                        log.Track(progress, progress.AddTask(step.Title));
                        try
                        {
                            await step.RunAsync(context, cancellationToken);
                        }
                        catch
                        {
                            log.StepFailed();
                            throw;
                        }
                        log.StepDone();
                    }
                });
        }
        else
        {
            foreach (var step in steps ?? DefaultSteps(services))
            {
                log.Heading(step.Title);
                await step.RunAsync(context, cancellationToken);
            }
        }
        var summary = log.Summary(context);
        log.Finish(summary);
        return summary;
    }
}
