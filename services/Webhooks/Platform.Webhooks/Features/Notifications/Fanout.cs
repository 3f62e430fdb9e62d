using Platform.Webhooks.Features.Deliveries;

namespace Platform.Webhooks.Features.Notifications;

/// <summary>Queues a webhook for the enabled endpoints of an audience that subscribed to its type (or to <c>*</c>).</summary>
public static class Fanout
{
    /// <summary>
    /// Adds one message and a delivery per matching endpoint to <paramref name="db"/> (committed by the consumer's
    /// inbox transaction); nothing when no endpoint of <paramref name="organizations"/> wants it.
    /// </summary>
    public static async Task SendAsync(WebhooksDbContext db, WebhookEventType type, object data, IReadOnlySet<Guid> organizations, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(organizations);
        if (organizations.Count == 0) return;
        var audience = organizations.ToList();
        var name = ApiEnum.Name(type);
        var endpointIds = await db.Endpoints.AsNoTracking()
            .Where(e => audience.Contains(e.OrganizationId) && e.Status == WebhookEndpointStatus.Enabled && (e.EventTypes.Contains("*") || e.EventTypes.Contains(name)))
            .OrderBy(e => e.Id).Select(e => e.Id).ToListAsync(cancellationToken);
        DeliveryQueue.Enqueue(db, type, data, endpointIds, now);
    }
}

/// <summary>Names of organizations from the read model, for payloads a receiver can write a sentence from.</summary>
public static class OrganizationNames
{
    /// <summary>Each of <paramref name="ids"/> with its name, null for one the platform has not learned yet.</summary>
    public static async Task<IReadOnlyList<WebhookOrganization>> OfAsync(WebhooksDbContext db, IEnumerable<Guid> ids, CancellationToken cancellationToken)
    {
        var wanted = ids.Distinct().ToList();
        if (wanted.Count == 0) return [];
        var names = await db.Organizations.AsNoTracking().Where(o => wanted.Contains(o.Id)).ToDictionaryAsync(o => o.Id, o => o.Name, cancellationToken);
        return [.. wanted.Select(id => new WebhookOrganization(id, names.GetValueOrDefault(id)))];
    }
}
