namespace Platform.Events.Consumers;

/// <summary>Shows on the meeting what membership did with its recorded designations: applied, or rejected with reasons.</summary>
public sealed partial class CouncilDesignationOutcomeConsumer(EventsDbContext db, ILogger<CouncilDesignationOutcomeConsumer> logger) :
    IConsumer<CouncilDesignationsApplied>,
    IConsumer<CouncilDesignationsRejected>
{
    public async Task Consume(ConsumeContext<CouncilDesignationsApplied> context)
    {
        var recording = await FindAsync(context.Message.RecordingId, context.CancellationToken);
        recording?.MarkApplied(context.Message.OccurredAt.ToUniversalTime());
    }

    public async Task Consume(ConsumeContext<CouncilDesignationsRejected> context)
    {
        var recording = await FindAsync(context.Message.RecordingId, context.CancellationToken);
        recording?.MarkRejected(context.Message.Reasons.Select(r => new DesignationRefusal { Field = r.Key, Reasons = [.. r.Value] }),
            context.Message.OccurredAt.ToUniversalTime());
    }

    private async Task<CouncilDesignationRecording?> FindAsync(Guid recordingId, CancellationToken cancellationToken)
    {
        var recording = await db.CouncilDesignationRecordings.SingleOrDefaultAsync(r => r.Id == recordingId, cancellationToken);
        // Designations applied through membership's own API carry a recording id this service never made.
        if (recording is null) LogNotOurs(logger, recordingId);
        return recording;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Council designations {RecordingId} were not recorded here; nothing to update")]
    private static partial void LogNotOurs(ILogger logger, Guid recordingId);
}
