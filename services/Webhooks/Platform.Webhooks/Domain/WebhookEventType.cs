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
    [JsonStringEnumMemberName("membership.suspended")] MembershipSuspended,
    [JsonStringEnumMemberName("membership.withdrawn")] MembershipWithdrawn,
    /// <summary>A cooperation program the organization takes part in was launched.</summary>
    [JsonStringEnumMemberName("program.launched")] ProgramLaunched,
    [JsonStringEnumMemberName("program.completed")] ProgramCompleted,
    [JsonStringEnumMemberName("program.cancelled")] ProgramCancelled,
    /// <summary>A placement event of the organization's trainees was flagged by data-quality checks.</summary>
    [JsonStringEnumMemberName("placement.flagged")] PlacementFlagged,
    /// <summary>An event of a consortium the organization belongs to was scheduled.</summary>
    [JsonStringEnumMemberName("event.scheduled")] EventScheduled,
    [JsonStringEnumMemberName("event.cancelled")] EventCancelled,
    /// <summary>A cooperation agreement the organization is a party to was signed at an event.</summary>
    [JsonStringEnumMemberName("agreement.signed")] AgreementSigned,
    /// <summary>Sent only by the test-delivery action, never subscribed to.</summary>
    [JsonStringEnumMemberName("webhook.test")] WebhookTest,
}
