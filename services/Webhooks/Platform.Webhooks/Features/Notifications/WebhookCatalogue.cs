namespace Platform.Webhooks.Features.Notifications;

/// <summary>The catalogue's subscribable types and the record each one's <c>data</c> is (for the OpenAPI document).</summary>
public static class WebhookCatalogue
{
    /// <summary>Every type a delivery can carry to a subscriber (not <c>*</c>, not <c>webhook.test</c>), in catalogue order.</summary>
    public static IReadOnlyList<WebhookEventType> Subscribable { get; } =
        [.. Enum.GetValues<WebhookEventType>().Where(t => t is not (WebhookEventType.All or WebhookEventType.WebhookTest))];

    public static Type PayloadOf(WebhookEventType type) => type switch
    {
        WebhookEventType.MembershipActivated or WebhookEventType.MembershipSuspended or WebhookEventType.MembershipReinstated
            or WebhookEventType.MembershipWithdrawn => typeof(MembershipWebhook),
        WebhookEventType.ProgramLaunched or WebhookEventType.ProgramPaused or WebhookEventType.ProgramResumed
            or WebhookEventType.ProgramCompleted or WebhookEventType.ProgramCancelled => typeof(ProgramWebhook),
        WebhookEventType.PlacementFlagged => typeof(PlacementFlaggedWebhook),
        WebhookEventType.EventScheduled or WebhookEventType.EventCancelled => typeof(ConsortiumEventWebhook),
        WebhookEventType.AgreementSigned => typeof(AgreementSignedWebhook),
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Not a subscribable type."),
    };

    /// <summary>Who receives it, in a line, for the document.</summary>
    public static string AudienceOf(WebhookEventType type) => type switch
    {
        WebhookEventType.MembershipActivated or WebhookEventType.MembershipSuspended or WebhookEventType.MembershipReinstated
            or WebhookEventType.MembershipWithdrawn => "The organization itself (with membership's reason) and the consortium's current members (without it).",
        WebhookEventType.ProgramLaunched or WebhookEventType.ProgramPaused or WebhookEventType.ProgramResumed
            or WebhookEventType.ProgramCompleted or WebhookEventType.ProgramCancelled => "The program's parties (colleges and enterprises) only.",
        WebhookEventType.PlacementFlagged => "The college that pushed the placement event only; only colleges may subscribe.",
        _ => "The consortium's current members (active or suspended).",
    };
}
