using Platform.TalentPipeline.Contracts;

namespace Platform.Webhooks.Consumers;

/// <summary>Tells a program's status changes to its parties only (colleges and enterprises). Runs through the inbox.</summary>
public sealed class ProgramConsumer(WebhooksDbContext db, TimeProvider time) : IConsumer<ProgramLaunched>, IConsumer<ProgramStatusChanged>
{
    public async Task Consume(ConsumeContext<ProgramLaunched> context)
    {
        var m = context.Message;
        var parties = m.Colleges.Concat(m.Enterprises).Select(p => new WebhookOrganization(p.OrganizationId, p.Name)).ToList();
        var data = new ProgramWebhook(m.ProgramId, m.ConsortiumId, m.Title, m.Kind, "active", "draft", parties, m.Occupation, m.Seats, null, m.OccurredAt);
        await Fanout.SendAsync(db, WebhookEventType.ProgramLaunched, data, Audience.ForProgram(parties.Select(p => p.OrganizationId)), time.GetUtcNow(),
            context.CancellationToken);
    }

    /// <summary>
    /// A message from before PartyIds existed carries none, so it reaches nobody: talent-pipeline alone knows the
    /// parties, and guessing (e.g. the whole consortium) would tell non-parties.
    /// </summary>
    public async Task Consume(ConsumeContext<ProgramStatusChanged> context)
    {
        var m = context.Message;
        if (TypeOf(m.From, m.To) is not { } type) return;
        var audience = Audience.ForProgram(m.PartyIds);
        if (audience.Count == 0) return;
        var parties = await OrganizationNames.OfAsync(db, m.PartyIds, context.CancellationToken);
        var data = new ProgramWebhook(m.ProgramId, m.ConsortiumId, m.Title, null, m.To, m.From, parties, null, null, m.Reason, m.OccurredAt);
        await Fanout.SendAsync(db, type, data, audience, time.GetUtcNow(), context.CancellationToken);
    }

    /// <summary>The catalogue type of a status change; draft → active is ProgramLaunched's, other changes have none.</summary>
    internal static WebhookEventType? TypeOf(string from, string to) => (from, to) switch
    {
        (_, "completed") => WebhookEventType.ProgramCompleted,
        (_, "cancelled") => WebhookEventType.ProgramCancelled,
        (_, "paused") => WebhookEventType.ProgramPaused,
        ("paused", "active") => WebhookEventType.ProgramResumed,
        _ => null,
    };
}
