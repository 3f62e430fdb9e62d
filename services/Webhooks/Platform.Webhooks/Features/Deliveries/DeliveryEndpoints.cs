using Microsoft.AspNetCore.Http.HttpResults;
using Platform.ServiceDefaults.Auth;

namespace Platform.Webhooks.Features.Deliveries;

/// <summary>The delivery log of an endpoint and redelivery; visible as the endpoint is (its organization and the operator).</summary>
public static class DeliveryEndpoints
{
    public static IEndpointRouteBuilder MapWebhookDeliveries(this IEndpointRouteBuilder api)
    {
        var deliveries = api.MapGroup("/webhook-endpoints/{endpointId:guid}").WithTags("Webhook deliveries");
        deliveries.MapGet("/deliveries", ListAsync).WithName("listWebhookDeliveries").RequireScope(Scopes.WebhooksManage)
            .WithSummary("The endpoint's deliveries, newest first, optionally of one status or event type.");
        deliveries.MapGet("/deliveries/{deliveryId:guid}", GetAsync).WithName("getWebhookDelivery").RequireScope(Scopes.WebhooksManage)
            .WithSummary("One delivery with its payload as sent and every attempt (status, duration, start of the answer).");
        deliveries.MapPost("/deliveries/{deliveryId:guid}/redeliver", RedeliverAsync).WithName("redeliverWebhookDelivery").RequireScope(Scopes.WebhooksManage)
            .WithSummary("Send a finished delivery again now, with the same webhook-id (a disabled endpoint's wait until it is enabled).");
        deliveries.MapPost("/redeliver", RedeliverSinceAsync).WithName("redeliverWebhookDeliveriesSince").RequireScope(Scopes.WebhooksManage)
            .WithSummary("Send again every failed (and, if asked, succeeded) delivery created since a time (a disabled endpoint's wait until it is enabled).");
        return api;
    }

    private static async Task<Results<Ok<Page<WebhookDeliveryResponse>>, ProblemHttpResult>> ListAsync(Guid endpointId, ApiEnum<DeliveryStatus>? status,
        ApiEnum<WebhookEventType>? eventType, PageRequest page, Caller caller, WebhooksDbContext db, CancellationToken cancellationToken)
    {
        if (!await CanSeeEndpointAsync(endpointId, caller, db, cancellationToken)) return Problems.NotFound();
        var query = db.Deliveries.AsNoTracking().Where(d => d.EndpointId == endpointId);
        if (status?.Value is { } s) query = query.Where(d => d.Status == s);
        // "*" is every type: no filter.
        if (eventType?.Value is { } t && t != WebhookEventType.All)
        {
            var name = ApiEnum.Name(t);
            query = query.Where(d => d.EventType == name);
        }
        var result = await query.ToPageAsync(d => d.Id, page, cancellationToken);
        return TypedResults.Ok(result.Map(WebhookDeliveryResponse.From));
    }

    private static async Task<Results<Ok<WebhookDeliveryDetailResponse>, ProblemHttpResult>> GetAsync(Guid endpointId, Guid deliveryId, Caller caller,
        WebhooksDbContext db, CancellationToken cancellationToken)
    {
        if (!await CanSeeEndpointAsync(endpointId, caller, db, cancellationToken)) return Problems.NotFound();
        var delivery = await db.Deliveries.AsNoTracking().FirstOrDefaultAsync(d => d.Id == deliveryId && d.EndpointId == endpointId, cancellationToken);
        if (delivery is null) return Problems.NotFound();
        var body = await db.Messages.AsNoTracking().Where(m => m.Id == delivery.MessageId).Select(m => m.Body).SingleAsync(cancellationToken);
        var attempts = await db.DeliveryAttempts.AsNoTracking().Where(a => a.DeliveryId == deliveryId).OrderBy(a => a.Id).ToListAsync(cancellationToken);
        return TypedResults.Ok(WebhookDeliveryDetailResponse.From(delivery, body, attempts));
    }

    private static async Task<Results<Accepted<WebhookDeliveryResponse>, ProblemHttpResult>> RedeliverAsync(Guid endpointId, Guid deliveryId, Caller caller,
        WebhooksDbContext db, DeliverySignal signal, TimeProvider time, CancellationToken cancellationToken)
    {
        if (!await CanSeeEndpointAsync(endpointId, caller, db, cancellationToken)) return Problems.NotFound();
        var delivery = await db.Deliveries.FirstOrDefaultAsync(d => d.Id == deliveryId && d.EndpointId == endpointId, cancellationToken);
        if (delivery is null) return Problems.NotFound();
        if (delivery.Status == DeliveryStatus.Pending)
            return Problems.Conflict("The delivery is pending already: it is attempted when due.",
                new { status = ApiEnum.Name(delivery.Status), nextAttemptAt = delivery.NextAttemptAt });
        delivery.Redeliver(time.GetUtcNow());
        // Only a finished delivery is changed here, and the dispatcher changes only pending ones: no lost update.
        await db.SaveChangesAsync(cancellationToken);
        signal.Notify();
        return TypedResults.Accepted($"{PlatformApi.Prefix}/webhook-endpoints/{endpointId}/deliveries/{deliveryId}", WebhookDeliveryResponse.From(delivery));
    }

    private static async Task<Results<Accepted<RedeliveredWebhookDeliveriesResponse>, ValidationProblem, ProblemHttpResult>> RedeliverSinceAsync(Guid endpointId,
        RedeliverWebhookDeliveriesRequest request, Caller caller, WebhooksDbContext db, DeliverySignal signal, TimeProvider time,
        IOptions<DeliveryOptions> options, CancellationToken cancellationToken)
    {
        if (!await CanSeeEndpointAsync(endpointId, caller, db, cancellationToken)) return Problems.NotFound();
        var now = time.GetUtcNow();
        var retention = options.Value.Retention;
        var since = request.Since.ToUniversalTime(); // PostgreSQL takes timestamptz parameters in UTC only
        if (since > now) return Problems.Validation(("since", "Must not be in the future."));
        if (since < now - retention)
            return Problems.Validation(("since", $"Must be within the last {retention.TotalDays:0.##} days: older deliveries are no longer kept."));

        var statuses = request.IncludeSucceeded == true ? new[] { DeliveryStatus.Failed, DeliveryStatus.Succeeded } : [DeliveryStatus.Failed];
        var due = DeliverySchedule.Stored(now);
        // What WebhookDelivery.Redeliver does, as one statement for what may be thousands of rows.
        var redelivered = await db.Deliveries
            .Where(d => d.EndpointId == endpointId && statuses.Contains(d.Status) && d.CreatedAt >= since)
            .ExecuteUpdateAsync(set => set
                .SetProperty(d => d.Status, DeliveryStatus.Pending)
                .SetProperty(d => d.NextAttemptAt, due)
                .SetProperty(d => d.LeasedUntil, (DateTimeOffset?)null), cancellationToken);
        if (redelivered > 0) signal.Notify();
        return TypedResults.Accepted($"{PlatformApi.Prefix}/webhook-endpoints/{endpointId}/deliveries?status=pending",
            new RedeliveredWebhookDeliveriesResponse(redelivered));
    }

    private static async Task<bool> CanSeeEndpointAsync(Guid endpointId, Caller caller, WebhooksDbContext db, CancellationToken cancellationToken)
    {
        var owner = await db.Endpoints.AsNoTracking().Where(e => e.Id == endpointId).Select(e => (Guid?)e.OrganizationId).FirstOrDefaultAsync(cancellationToken);
        return owner is { } organizationId && caller.CanActFor(organizationId);
    }
}
