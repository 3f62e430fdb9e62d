using System.Text.Json.Serialization;

namespace Platform.Webhooks.Domain;

/// <summary>
/// The webhook event catalogue, version 1: what an endpoint may subscribe to. The wire name is the type a
/// delivery's body carries (<c>{ "type": "program.launched", ... }</c>); a name is never reused for another meaning.
/// </summary>
public enum WebhookEventType
{
    /// <summary>Every event type the organization may see, including types added later.</summary>
    [JsonStringEnumMemberName("*")] All,
    /// <summary>An organization became an active member of a consortium.</summary>
    [JsonStringEnumMemberName("membership.activated")] MembershipActivated,
    /// <summary>A member of the consortium was suspended.</summary>
    [JsonStringEnumMemberName("membership.suspended")] MembershipSuspended,
    /// <summary>A member left the consortium.</summary>
    [JsonStringEnumMemberName("membership.withdrawn")] MembershipWithdrawn,
    /// <summary>A cooperation program the organization takes part in was launched.</summary>
    [JsonStringEnumMemberName("program.launched")] ProgramLaunched,
    /// <summary>A program the organization takes part in was completed.</summary>
    [JsonStringEnumMemberName("program.completed")] ProgramCompleted,
    /// <summary>A program the organization takes part in was cancelled.</summary>
    [JsonStringEnumMemberName("program.cancelled")] ProgramCancelled,
    /// <summary>A placement event of the organization's trainees was flagged by data-quality checks.</summary>
    [JsonStringEnumMemberName("placement.flagged")] PlacementFlagged,
    /// <summary>An event of a consortium the organization belongs to was scheduled.</summary>
    [JsonStringEnumMemberName("event.scheduled")] EventScheduled,
    /// <summary>An event of a consortium the organization belongs to was cancelled.</summary>
    [JsonStringEnumMemberName("event.cancelled")] EventCancelled,
    /// <summary>A cooperation agreement was signed at an event of a consortium the organization belongs to.</summary>
    [JsonStringEnumMemberName("agreement.signed")] AgreementSigned,
    /// <summary>A suspended member of the consortium was reinstated (active again).</summary>
    [JsonStringEnumMemberName("membership.reinstated")] MembershipReinstated,
    /// <summary>A program the organization takes part in was paused (e.g. a party was suspended).</summary>
    [JsonStringEnumMemberName("program.paused")] ProgramPaused,
    /// <summary>A paused program the organization takes part in is active again.</summary>
    [JsonStringEnumMemberName("program.resumed")] ProgramResumed,
    /// <summary>Sent only by the test-delivery action, never subscribed to.</summary>
    [JsonStringEnumMemberName("webhook.test")] WebhookTest,
}
