using System.ComponentModel.DataAnnotations;

namespace Platform.Webhooks.Features.Endpoints;

/// <summary>A URL of a partner system that receives the organization's webhooks.</summary>
public sealed record RegisterWebhookEndpointRequest : IValidatedRequest
{
    /// <summary>Operator only (required then): the organization the endpoint receives for. A partner registers for its own organization and may omit it.</summary>
    public Guid? OrganizationId { get; init; }

    /// <summary>https URL on a public address (http to loopback only when the platform runs in development). Redirects are not followed.</summary>
    [MaxLength(2000)] public required string Url { get; init; }

    /// <summary>The event types to receive, from the catalogue, or <c>*</c> for all the organization may see; <c>placement.flagged</c> only for a college.</summary>
    [MaxLength(50)] public required IReadOnlyList<WebhookEventType> EventTypes { get; init; }

    /// <summary>e.g. "Placement system, production".</summary>
    [MaxLength(500)] public string? Description { get; init; }

    public IEnumerable<(string Field, string Message)> Validate() => WebhookEndpointRules.Check(Url, EventTypes, Description);
}

/// <summary>The endpoint's new settings (all of them; its secret and status stay).</summary>
public sealed record UpdateWebhookEndpointRequest : IValidatedRequest
{
    /// <summary>https URL on a public address (http to loopback only when the platform runs in development).</summary>
    [MaxLength(2000)] public required string Url { get; init; }

    /// <summary>The event types to receive, from the catalogue, or <c>*</c> for all the organization may see; <c>placement.flagged</c> only for a college.</summary>
    [MaxLength(50)] public required IReadOnlyList<WebhookEventType> EventTypes { get; init; }

    [MaxLength(500)] public string? Description { get; init; }

    public IEnumerable<(string Field, string Message)> Validate() => WebhookEndpointRules.Check(Url, EventTypes, Description);
}

internal static class WebhookEndpointRules
{
    public static IEnumerable<(string Field, string Message)> Check(string url, IReadOnlyList<WebhookEventType> eventTypes, string? description)
    {
        foreach (var error in FieldChecks.Text(url, "url", 2000)) yield return error;
        foreach (var error in FieldChecks.Text(description, "description", 500, required: false)) yield return error;
        if (eventTypes.Count == 0) yield return ("eventTypes", "Name at least one event type, or \"*\" for all.");
        for (var i = 0; i < eventTypes.Count; i++)
            if (eventTypes[i] == WebhookEventType.WebhookTest)
                yield return ($"eventTypes[{i}]", "webhook.test is sent only by the test action (POST .../test); it cannot be subscribed to.");
    }
}

/// <summary>A webhook endpoint (its secret is shown only when registered or rotated).</summary>
/// <param name="Status">enabled or disabled.</param>
/// <param name="DisabledReason">Why it is disabled: by the partner or operator, or after failing deliveries.</param>
/// <param name="PreviousSecretExpiresAt">While set and in the future, deliveries carry a second signature made with the replaced secret.</param>
public sealed record WebhookEndpointResponse(Guid Id, Guid OrganizationId, string Url, string? Description, IReadOnlyList<WebhookEventType> EventTypes,
    WebhookEndpointStatus Status, string? DisabledReason, DateTimeOffset? PreviousSecretExpiresAt, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static WebhookEndpointResponse From(WebhookEndpoint e) => new(e.Id, e.OrganizationId, e.Url, e.Description, TypesOf(e), e.Status,
        e.DisabledReason, e.PreviousSecretExpiresAt, e.CreatedAt, e.UpdatedAt);

    internal static IReadOnlyList<WebhookEventType> TypesOf(WebhookEndpoint e) =>
        [.. e.EventTypes.Select(name => ApiEnum.TryParse<WebhookEventType>(name, out var type) ? (WebhookEventType?)type : null).OfType<WebhookEventType>()];
}

/// <summary>A registered endpoint with its signing secret: store the secret now, it is not shown again.</summary>
/// <param name="Secret"><c>whsec_</c> + base64 of 24 random bytes; the HMAC key is the decoded part after <c>whsec_</c> (Standard Webhooks).</param>
public sealed record RegisteredWebhookEndpointResponse(Guid Id, Guid OrganizationId, string Url, string? Description, IReadOnlyList<WebhookEventType> EventTypes,
    WebhookEndpointStatus Status, DateTimeOffset CreatedAt, string Secret)
{
    public static RegisteredWebhookEndpointResponse From(WebhookEndpoint e) =>
        new(e.Id, e.OrganizationId, e.Url, e.Description, WebhookEndpointResponse.TypesOf(e), e.Status, e.CreatedAt, e.Secret);
}

/// <summary>The endpoint's new signing secret (shown once); the replaced one keeps signing beside it until <c>previousSecretExpiresAt</c>.</summary>
public sealed record RotatedSecretResponse(Guid EndpointId, string Secret, DateTimeOffset PreviousSecretExpiresAt);

/// <summary>What the endpoint answered to a <c>webhook.test</c> delivery.</summary>
/// <param name="MessageId">The delivery's <c>webhook-id</c>.</param>
/// <param name="Succeeded">The receiver answered 2xx.</param>
/// <param name="StatusCode">The receiver's HTTP status; absent when no answer came.</param>
/// <param name="DurationMs">From sending to the receiver's answer (or giving up).</param>
/// <param name="Error">Why no answer came (timeout after 10 s, connection refused, ...).</param>
/// <param name="ResponseSnippet">The start of the receiver's body (at most 1,000 characters).</param>
public sealed record TestDeliveryResponse(string MessageId, bool Succeeded, int? StatusCode, long DurationMs, string? Error, string? ResponseSnippet);
