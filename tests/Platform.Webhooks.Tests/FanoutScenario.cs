using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Platform.Membership.Contracts;
using Platform.ServiceDefaults.Messaging;
using Platform.ServiceDefaults.Persistence;
using Platform.Testing;
using Platform.Webhooks.Persistence;

namespace Platform.Webhooks.Tests;

/// <summary>
/// What the fan-out tests share: integration events published as their producers would, partner systems of several
/// organizations registering endpoints through the API, and the queued messages read from the database (sending
/// them is the dispatcher's business, not these tests').
/// </summary>
public sealed class FanoutScenario(WebhooksService webhooks)
{
    // A public address as a literal, so registration needs no DNS.
    public const string Url = "https://93.184.215.14/consortium/hooks";

    private ServiceUnderTest<Program> Service => webhooks.Service;

    /// <summary>Publishes through the service's outbox and waits until its consumer has processed it (the inbox recorded it).</summary>
    public async Task<Guid> PublishAsync<TMessage>(TMessage message) where TMessage : class
    {
        Guid messageId;
        await using (var scope = Service.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<WebhooksDbContext>();
            messageId = db.AddIntegrationEvent(message);
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        }
        await ConsumedAsync(messageId);
        return messageId;
    }

    /// <summary>A copy with a given MessageId (as after a lost acknowledgement), waiting until the broker has it and it was handled.</summary>
    public async Task PublishWithIdAsync<TMessage>(Guid messageId, TMessage message) where TMessage : class
    {
        await using (var scope = Service.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PlatformDbContext>();
            db.OutboxMessages.Add(new OutboxMessage
            {
                MessageId = messageId,
                MessageType = $"{typeof(TMessage).FullName}, {typeof(TMessage).Assembly.GetName().Name}",
                Body = JsonSerializer.Serialize(message, JsonSerializerOptions.Web),
                CreatedAt = DateTimeOffset.UtcNow,
            });
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        }
        await ServiceUnderTest<Program>.EventuallyAsync(async () =>
        {
            await using var scope = Service.Services.CreateAsyncScope();
            return !await scope.ServiceProvider.GetRequiredService<PlatformDbContext>().OutboxMessages.AnyAsync(m => m.MessageId == messageId);
        }, "the outbox sent the copy");
        await ConsumedAsync(messageId);
    }

    public async Task ConsumedAsync(Guid messageId) => await ServiceUnderTest<Program>.EventuallyAsync(async () =>
    {
        await using var scope = Service.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<PlatformDbContext>().InboxRecords.AnyAsync(r => r.MessageId == messageId);
    }, $"message {messageId} consumed");

    /// <summary>A fresh organization of <paramref name="kind"/> the service knows (OrganizationRegistered), with a partner client.</summary>
    public async Task<(Guid OrganizationId, HttpClient Client)> OrganizationAsync(string kind, string name)
    {
        var (organizationId, client) = await webhooks.PartnerAsync();
        await PublishAsync(new OrganizationRegistered { OrganizationId = organizationId, Name = name, Kind = kind, Region = "Shandong", OccurredAt = DateTimeOffset.UtcNow });
        return (organizationId, client);
    }

    /// <summary>Makes <paramref name="organizationId"/> an active member of <paramref name="consortiumId"/> (membership version 1).</summary>
    public Task<Guid> ActivateAsync(Guid consortiumId, Guid organizationId, string name, string kind, long version = 1) =>
        PublishAsync(new MembershipActivated
        {
            MembershipId = Guid.CreateVersion7(), ConsortiumId = consortiumId, OrganizationId = organizationId, OrganizationName = name,
            OrganizationKind = kind, OccurredAt = DateTimeOffset.UtcNow, Version = version,
        });

    /// <summary>Registers an endpoint for the client's organization, subscribed to <paramref name="eventTypes"/>; returns its id.</summary>
    public static async Task<Guid> EndpointAsync(HttpClient client, params string[] eventTypes) =>
        (await WebhooksService.RegisterAsync(client, new { url = Url, eventTypes })).GetProperty("id").GetGuid();

    public static Task DisableAsync(HttpClient client, Guid endpointId) =>
        WebhooksService.SendAsync(client, HttpMethod.Post, $"/api/v1/webhook-endpoints/{endpointId}/disable", null, HttpStatusCode.OK);

    /// <summary>The messages queued for the endpoint, oldest first: their type and body.</summary>
    public async Task<IReadOnlyList<(string Type, JsonElement Body)>> QueuedAsync(Guid endpointId)
    {
        await using var scope = Service.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<WebhooksDbContext>();
        var rows = await (from d in db.Deliveries.AsNoTracking()
                          join m in db.Messages.AsNoTracking() on d.MessageId equals m.Id
                          where d.EndpointId == endpointId
                          orderby d.Id
                          select new { m.EventType, m.Body }).ToListAsync(TestContext.Current.CancellationToken);
        return [.. rows.Select(r => (r.EventType, JsonDocument.Parse(r.Body).RootElement.Clone()))];
    }

    /// <summary>The queued messages of <paramref name="type"/> whose data's <paramref name="field"/> is <paramref name="id"/>.</summary>
    public async Task<IReadOnlyList<JsonElement>> QueuedAboutAsync(Guid endpointId, string type, string field, Guid id) =>
        [.. (await QueuedAsync(endpointId)).Where(m => m.Type == type && m.Body.GetProperty("data").GetProperty(field).GetGuid() == id).Select(m => m.Body)];
}
