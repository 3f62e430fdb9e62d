namespace Platform.Webhooks.Features.Deliveries;

/// <summary>One message for one endpoint, as the delivery log shows it.</summary>
/// <param name="MessageId">The <c>webhook-id</c> header: the same on every attempt and redelivery, for the receiver to de-duplicate by.</param>
/// <param name="Status">pending (waiting for its next attempt), succeeded (2xx) or failed (the schedule ended, or 410 Gone).</param>
/// <param name="NextAttemptAt">When the next attempt is due; absent once finished. A disabled endpoint's pending deliveries wait until it is enabled.</param>
/// <param name="LastStatusCode">The receiver's last HTTP status; absent when no answer came.</param>
/// <param name="LastError">Why the last attempt failed.</param>
public sealed record WebhookDeliveryResponse(Guid Id, Guid EndpointId, string MessageId, WebhookEventType EventType, DeliveryStatus Status,
    int AttemptCount, DateTimeOffset CreatedAt, DateTimeOffset? NextAttemptAt, DateTimeOffset? LastAttemptAt, int? LastStatusCode, string? LastError)
{
    public static WebhookDeliveryResponse From(WebhookDelivery d) => new(d.Id, d.EndpointId, d.MessageId, EventTypeOf(d), d.Status, d.AttemptCount,
        d.CreatedAt, d.NextAttemptAt, d.LastAttemptAt, d.LastStatusCode, d.LastError);

    internal static WebhookEventType EventTypeOf(WebhookDelivery d) => ApiEnum.TryParse<WebhookEventType>(d.EventType, out var type)
        ? type
        : throw new InvalidOperationException($"Delivery {d.Id} carries '{d.EventType}', which is not in the event catalogue.");
}

/// <summary>A delivery with what was sent and every attempt.</summary>
/// <param name="Payload">The body exactly as sent (and signed) on every attempt: <c>{ type, timestamp, data }</c>.</param>
/// <param name="Attempts">Oldest first.</param>
public sealed record WebhookDeliveryDetailResponse(Guid Id, Guid EndpointId, string MessageId, WebhookEventType EventType, DeliveryStatus Status,
    int AttemptCount, DateTimeOffset CreatedAt, DateTimeOffset? NextAttemptAt, DateTimeOffset? LastAttemptAt, int? LastStatusCode, string? LastError,
    JsonElement Payload, IReadOnlyList<DeliveryAttemptResponse> Attempts)
{
    public static WebhookDeliveryDetailResponse From(WebhookDelivery d, string body, IEnumerable<DeliveryAttempt> attempts)
    {
        using var payload = JsonDocument.Parse(body);
        return new(d.Id, d.EndpointId, d.MessageId, WebhookDeliveryResponse.EventTypeOf(d), d.Status, d.AttemptCount, d.CreatedAt, d.NextAttemptAt,
            d.LastAttemptAt, d.LastStatusCode, d.LastError, payload.RootElement.Clone(), [.. attempts.Select(DeliveryAttemptResponse.From)]);
    }
}

/// <summary>One attempt of a delivery.</summary>
/// <param name="Succeeded">The receiver answered 2xx.</param>
/// <param name="StatusCode">The receiver's HTTP status; absent when no answer came (timeout, refused or dropped connection).</param>
/// <param name="DurationMs">From sending to the receiver's answer (or giving up).</param>
/// <param name="Error">Why the attempt failed without an answer, or why an answer is not accepted (a redirect).</param>
/// <param name="ResponseSnippet">The start of the receiver's body (at most 1,000 characters).</param>
public sealed record DeliveryAttemptResponse(DateTimeOffset AttemptedAt, bool Succeeded, int? StatusCode, int DurationMs, string? Error, string? ResponseSnippet)
{
    public static DeliveryAttemptResponse From(DeliveryAttempt a) => new(a.AttemptedAt, a.Succeeded, a.StatusCode, a.DurationMs, a.Error, a.ResponseSnippet);
}

/// <summary>Sends again every failed (and, if asked, succeeded) delivery of the endpoint created at or after <c>since</c>.</summary>
public sealed record RedeliverWebhookDeliveriesRequest
{
    /// <summary>Not in the future, and within the log's retention (30 days by default).</summary>
    public required DateTimeOffset Since { get; init; }

    /// <summary>Also send the deliveries the endpoint answered 2xx to (default false: only failed ones).</summary>
    public bool? IncludeSucceeded { get; init; }
}

/// <summary>How many deliveries were put back on the queue, due now.</summary>
public sealed record RedeliveredWebhookDeliveriesResponse(int Redelivered);
