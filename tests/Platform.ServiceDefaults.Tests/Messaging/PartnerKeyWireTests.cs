using System.Net;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Platform.OutboxProbe;
using Platform.ServiceDefaults.Auth;
using Platform.ServiceDefaults.Messaging;
using Platform.ServiceDefaults.Persistence;
using Platform.Testing;

namespace Platform.ServiceDefaults.Tests.Messaging
{
    /// <summary>
    /// The partner-key events moved from Platform.Membership.Contracts into ServiceDefaults without changing the wire:
    /// the same message URNs and exchanges, a message of the former type is consumed, and an outbox row written under
    /// the former type name is still published.
    /// </summary>
    public sealed class PartnerKeyWireTests(ThrowawayPostgres postgres, ThrowawayRabbitMq rabbit)
    {
        private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
        private static readonly DateTimeOffset Monday = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

        [Fact]
        public void The_moved_events_keep_the_message_urns_they_had_in_membership_contracts()
        {
            Assert.Equal("urn:message:Platform.Membership.Contracts:ApiClientIssued", MessageUrn.ForTypeString<ApiClientIssued>());
            Assert.Equal("urn:message:Platform.Membership.Contracts:ApiClientRevoked", MessageUrn.ForTypeString<ApiClientRevoked>());
            Assert.Equal(MessageUrn.ForTypeString<Platform.Membership.Contracts.ApiClientIssued>(), MessageUrn.ForTypeString<ApiClientIssued>());
            Assert.Equal(typeof(ApiClientIssued), MessageTypeName.Resolve("Platform.Membership.Contracts.ApiClientIssued, Platform.Membership.Contracts"));
            Assert.Equal(typeof(ApiClientRevoked), MessageTypeName.Resolve("Platform.Membership.Contracts.ApiClientRevoked, Platform.Membership.Contracts"));
        }

        [Fact]
        public async Task A_key_published_by_a_membership_of_the_former_build_is_consumed_and_its_exchange_keeps_its_name()
        {
            var broker = await rabbit.CreateVirtualHostAsync();
            await using var service = await ProbeService.StartAsync(await postgres.CreateDatabaseAsync(), broker, serviceName: "events");
            Assert.True(await ExchangeExistsAsync(broker, "Platform.Membership.Contracts:ApiClientIssued"), "the exchange of the former name");
            Assert.True(await ExchangeExistsAsync(broker, "Platform.Membership.Contracts:ApiClientRevoked"), "the exchange of the former name");
            var client = Guid.NewGuid();

            // The former type: its namespace gives the former URN and exchange, exactly as the old build published it.
            await WriteOutboxAsync(service, new Platform.Membership.Contracts.ApiClientIssued
            {
                ApiClientId = client, OrganizationId = Guid.NewGuid(), Name = "Old build", KeyHash = new string('d', 64), Scopes = ["placements:write"], IssuedAt = Monday,
            });
            var key = await Eventually.ReturnsAsync(() => FindAsync(service, client), k => k is not null, Patience, "the key published under the former type");
            Assert.Equal("Old build", key!.Name);
        }

        [Fact]
        public async Task An_outbox_row_written_under_the_former_type_name_is_still_published()
        {
            await using var service = await ProbeService.StartAsync(await postgres.CreateDatabaseAsync(), await rabbit.CreateVirtualHostAsync(), serviceName: "events");
            var client = Guid.NewGuid();
            var issued = new ApiClientIssued
            {
                ApiClientId = client, OrganizationId = Guid.NewGuid(), Name = "Queued before the move", KeyHash = new string('e', 64), Scopes = ["demand:write"], IssuedAt = Monday,
            };

            await WriteOutboxAsync(service, issued, "Platform.Membership.Contracts.ApiClientIssued, Platform.Membership.Contracts");
            var key = await Eventually.ReturnsAsync(() => FindAsync(service, client), k => k is not null, Patience, "the key of the old outbox row");
            Assert.Equal("Queued before the move", key!.Name);
        }

        /// <summary>Through the outbox, as membership publishes; <paramref name="storedTypeName"/> overrides the row's type name.</summary>
        private static async Task WriteOutboxAsync(ProbeService service, object message, string? storedTypeName = null)
        {
            await using var scope = service.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<ProbeDbContext>();
            db.AddIntegrationEvent(message);
            if (storedTypeName is not null)
                db.ChangeTracker.Entries<OutboxMessage>().Single().Entity.MessageType = storedTypeName;
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        }

        private async Task<bool> ExchangeExistsAsync(Uri virtualHost, string exchange)
        {
            using var http = rabbit.Server.ManagementClient();
            var vhost = Uri.EscapeDataString(Uri.UnescapeDataString(virtualHost.AbsolutePath.TrimStart('/')));
            using var response = await http.GetAsync(new Uri($"api/exchanges/{vhost}/{Uri.EscapeDataString(exchange)}", UriKind.Relative), TestContext.Current.CancellationToken);
            return response.StatusCode == HttpStatusCode.OK;
        }

        private static Task<PartnerApiKey?> FindAsync(ProbeService service, Guid client) =>
            service.QueryAsync(db => db.PartnerApiKeys.AsNoTracking().SingleOrDefaultAsync(k => k.ApiClientId == client));
    }
}

namespace Platform.Membership.Contracts
{
    /// <summary>ApiClientIssued as Platform.Membership.Contracts declared it before the move: what an old membership build publishes.</summary>
    public sealed record ApiClientIssued
    {
        public required Guid ApiClientId { get; init; }
        public required Guid OrganizationId { get; init; }
        public required string Name { get; init; }
        public required string KeyHash { get; init; }
        public required IReadOnlyList<string> Scopes { get; init; }
        public required DateTimeOffset IssuedAt { get; init; }
        public DateTimeOffset? ExpiresAt { get; init; }
    }
}
