namespace Platform.Webhooks.Features.Notifications;

// The `data` of each catalogue type, version 1. Kinds, statuses and stages travel as the APIs' camelCase strings
// (as in the integration events), so a receiver built today still reads a value added later. Fields are added, never
// renamed or given another meaning.

/// <summary>An organization, with its name so a receiver can write a sentence.</summary>
/// <param name="Name">Null when the platform has not learned the name yet.</param>
public sealed record WebhookOrganization(Guid OrganizationId, string? Name);

/// <summary>
/// <c>membership.activated</c>, <c>membership.suspended</c>, <c>membership.reinstated</c>, <c>membership.withdrawn</c>:
/// an organization's membership of a consortium changed. Sent to the organization itself and to the consortium's
/// current members.
/// </summary>
/// <param name="OrganizationKind">e.g. <c>technicianCollege</c>, <c>enterprise</c>; null when not known yet.</param>
/// <param name="Status">The membership's status now: <c>active</c>, <c>suspended</c> or <c>withdrawn</c>.</param>
/// <param name="Reason">Why, as membership recorded it: only in the deliveries to the organization itself (membership keeps reasons private).</param>
/// <param name="Version">Membership's version of this change: a greater version is a later change.</param>
public sealed record MembershipWebhook(Guid MembershipId, Guid ConsortiumId, Guid OrganizationId, string OrganizationName, string? OrganizationKind,
    string Status, string? Reason, long Version, DateTimeOffset OccurredAt);

/// <summary>
/// <c>program.launched</c>, <c>program.paused</c>, <c>program.resumed</c>, <c>program.completed</c>, <c>program.cancelled</c>:
/// a cooperation program's status changed. Sent to the program's parties only.
/// </summary>
/// <param name="Kind">e.g. <c>orderClass</c>, <c>trainingBase</c>; only on <c>program.launched</c>.</param>
/// <param name="Status">The program's status now: <c>active</c>, <c>paused</c>, <c>completed</c> or <c>cancelled</c>.</param>
/// <param name="PreviousStatus">Its status before: <c>draft</c>, <c>active</c> or <c>paused</c>.</param>
/// <param name="Parties">The colleges and enterprises taking part.</param>
/// <param name="Occupation">The occupation or major it trains for, when named; only on <c>program.launched</c>.</param>
/// <param name="Seats">Places offered, when set; only on <c>program.launched</c>.</param>
/// <param name="Reason">Why it changed (e.g. "… was suspended", the cancellation's reason).</param>
public sealed record ProgramWebhook(Guid ProgramId, Guid ConsortiumId, string Title, string? Kind, string Status, string PreviousStatus,
    IReadOnlyList<WebhookOrganization> Parties, string? Occupation, int? Seats, string? Reason, DateTimeOffset OccurredAt);

/// <summary>
/// <c>placement.flagged</c>: a placement event the college pushed makes an impossible sequence (e.g. employed before
/// enrolled); it was kept and counted as a data-quality issue. Sent to that college only.
/// </summary>
/// <param name="EventId">The college's own id of the placement event.</param>
/// <param name="TraineeRef">The college's pseudonymous trainee reference.</param>
/// <param name="Type">The placement event's type, e.g. <c>employed</c>.</param>
/// <param name="Stage">The trainee's stage after it.</param>
public sealed record PlacementFlaggedWebhook(string EventId, Guid CollegeId, string? CollegeName, Guid ProgramId, string ProgramTitle, Guid ConsortiumId,
    string TraineeRef, string Type, string Stage, DateTimeOffset OccurredAt, DateTimeOffset AcceptedAt);

/// <summary>
/// <c>event.scheduled</c>, <c>event.cancelled</c>: an event (meeting, ceremony, competition…) of the consortium was
/// scheduled or cancelled. Sent to the consortium's current members.
/// </summary>
/// <param name="Kind">e.g. <c>councilMeeting</c>; only on <c>event.scheduled</c>.</param>
/// <param name="Status"><c>scheduled</c> or <c>cancelled</c>.</param>
/// <param name="Organizers">Only on <c>event.scheduled</c>.</param>
/// <param name="Reason">Why it was cancelled; only on <c>event.cancelled</c>.</param>
public sealed record ConsortiumEventWebhook(Guid EventId, Guid ConsortiumId, string Title, string? Kind, string Status, string? Venue,
    DateTimeOffset? StartsAt, DateTimeOffset? EndsAt, IReadOnlyList<WebhookOrganization> Organizers, string? Reason, DateTimeOffset OccurredAt);

/// <summary>A party to a signed agreement.</summary>
/// <param name="OrganizationKind">e.g. <c>vocationalCollege</c>, <c>enterprise</c>.</param>
public sealed record AgreementSignedParty(Guid OrganizationId, string OrganizationName, string OrganizationKind);

/// <summary><c>agreement.signed</c>: an agreement was signed at an event of the consortium. Sent to the consortium's current members.</summary>
/// <param name="Kind"><c>strategicCooperation</c>, <c>frameworkAgreement</c>, <c>orderClass</c>, <c>trainingCooperation</c>, <c>productionPractice</c> or <c>other</c>.</param>
/// <param name="Occupation">The occupation or major it trains for, when named.</param>
public sealed record AgreementSignedWebhook(Guid AgreementId, Guid EventId, string EventTitle, Guid ConsortiumId, string Kind, string Title,
    string? Occupation, IReadOnlyList<AgreementSignedParty> Parties, DateOnly SignedOn, DateTimeOffset OccurredAt);
