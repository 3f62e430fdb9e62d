using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Platform.ServiceDefaults.Auth;
using Platform.OutboxProbe;
using Platform.ServiceDefaults.Messaging;
using Platform.ServiceDefaults.Persistence;
using Platform.Testing;

namespace Platform.ServiceDefaults.Tests.Messaging;

public sealed class ApiClientKeysConsumerTests(ThrowawayPostgres postgres, ThrowawayRabbitMq rabbit)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private static readonly DateTimeOffset Monday = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Every_service_gets_a_quorum_queue_named_after_itself_for_key_replication()
    {
        var broker = await rabbit.CreateVirtualHostAsync();
        await using var service = await ProbeService.StartAsync(await postgres.CreateDatabaseAsync(), broker, serviceName: "talent-pipeline");

        var queue = await BrokerQueues.FindAsync(rabbit.Server, broker, "talent-pipeline-api-client-keys");
        Assert.NotNull(queue);
        Assert.Equal("quorum", queue.Value.GetProperty("type").GetString());
        Assert.True(queue.Value.GetProperty("durable").GetBoolean());
    }

    [Fact]
    public async Task Issued_keys_are_upserted_and_revocations_kept()
    {
        await using var service = await ProbeService.StartAsync(await postgres.CreateDatabaseAsync(), await rabbit.CreateVirtualHostAsync(), serviceName: "events");
        var client = Guid.NewGuid();
        var organization = Guid.NewGuid();

        await PublishAsync(service, Issued(client, organization, "College SIS", new string('a', 64), ["placements:write"]));
        var key = await Eventually.ReturnsAsync(() => FindAsync(service, client), k => k is not null, Patience, "the issued key");
        Assert.Equal((organization, "College SIS", new string('a', 64), Monday, (DateTimeOffset?)null), (key!.OrganizationId, key.Name, key.KeyHash, key.IssuedAt, key.RevokedAt));
        Assert.Equal(["placements:write"], key.Scopes);

        // Issued again (replayed, or re-keyed): one row, updated.
        await PublishAsync(service, Issued(client, organization, "College SIS (renamed)", new string('b', 64), ["placements:write", "cohorts:read"]));
        key = await Eventually.ReturnsAsync(() => FindAsync(service, client), k => k!.Name == "College SIS (renamed)", Patience, "the updated key");
        Assert.Equal(new string('b', 64), key!.KeyHash);
        Assert.Equal(["placements:write", "cohorts:read"], key.Scopes);
        Assert.Null(key.ExpiresAt);

        // Re-issued with an expiry: the expiry is kept with the key.
        await PublishAsync(service, Issued(client, organization, "College SIS (expiring)", new string('b', 64), ["placements:write"]) with { ExpiresAt = Monday.AddYears(1) });
        key = await Eventually.ReturnsAsync(() => FindAsync(service, client), k => k!.Name == "College SIS (expiring)", Patience, "the expiring key");
        Assert.Equal(Monday.AddYears(1), key!.ExpiresAt);

        await PublishAsync(service, new ApiClientRevoked { ApiClientId = client, OrganizationId = organization, RevokedAt = Monday.AddDays(1) });
        key = await Eventually.ReturnsAsync(() => FindAsync(service, client), k => k!.RevokedAt is not null, Patience, "the revocation");
        Assert.Equal(Monday.AddDays(1), key!.RevokedAt);
        Assert.Equal(1, await service.QueryAsync(db => db.PartnerApiKeys.CountAsync()));
    }

    [Fact]
    public async Task A_revocation_that_arrives_before_its_issue_still_wins()
    {
        await using var service = await ProbeService.StartAsync(await postgres.CreateDatabaseAsync(), await rabbit.CreateVirtualHostAsync(), serviceName: "membership");
        var client = Guid.NewGuid();
        var organization = Guid.NewGuid();

        await PublishAsync(service, new ApiClientRevoked { ApiClientId = client, OrganizationId = organization, RevokedAt = Monday.AddHours(2) });
        var placeholder = await Eventually.ReturnsAsync(() => FindAsync(service, client), k => k is not null, Patience, "the revoked placeholder");
        Assert.Equal(Monday.AddHours(2), placeholder!.RevokedAt);

        await PublishAsync(service, Issued(client, organization, "Enterprise HR", new string('c', 64), ["demand:write"]));
        var key = await Eventually.ReturnsAsync(() => FindAsync(service, client), k => k!.Name == "Enterprise HR", Patience, "the late issue applied");
        Assert.Equal(new string('c', 64), key!.KeyHash);
        Assert.Equal(Monday.AddHours(2), key.RevokedAt);
    }

    private static ApiClientIssued Issued(Guid client, Guid organization, string name, string hash, string[] scopes) => new()
    {
        ApiClientId = client, OrganizationId = organization, Name = name, KeyHash = hash, Scopes = scopes, IssuedAt = Monday,
    };

    /// <summary>As membership does: through its outbox.</summary>
    private static async Task PublishAsync(ProbeService service, object message)
    {
        await using var scope = service.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ProbeDbContext>();
        db.AddIntegrationEvent(message);
        await db.SaveChangesAsync(TestContext.Current.CancellationToken);
    }

    private static Task<PartnerApiKey?> FindAsync(ProbeService service, Guid client) =>
        service.QueryAsync(db => db.PartnerApiKeys.AsNoTracking().SingleOrDefaultAsync(k => k.ApiClientId == client));
}
