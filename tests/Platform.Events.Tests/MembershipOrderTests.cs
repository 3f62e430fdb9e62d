using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Platform.Events.Domain;
using Platform.Events.Persistence;
using Platform.Membership.Contracts;
using Platform.ServiceDefaults.Messaging;
using Platform.Testing;

namespace Platform.Events.Tests;

/// <summary>The member directory orders membership changes by membership's version, not by the producers' clocks.</summary>
public sealed class MembershipOrderTests(EventsServiceFixture fixture) : IClassFixture<EventsServiceFixture>
{
    private const string Name = "Zibo Vocational Institute";

    [Fact]
    public async Task A_suspension_with_a_higher_version_wins_over_clock_skew_and_a_late_lower_version_is_ignored()
    {
        var consortiumId = Guid.CreateVersion7();
        var organizationId = Guid.CreateVersion7();
        var membershipId = Guid.CreateVersion7();
        var now = DateTimeOffset.UtcNow;

        await ConsumeAsync(new MembershipActivated
        {
            MembershipId = membershipId, ConsortiumId = consortiumId, OrganizationId = organizationId, OrganizationName = Name,
            OrganizationKind = "vocationalCollege", OccurredAt = now, Version = 2,
        });
        Assert.Equal((MembershipStatus.Active, 2L), await StatusAsync(consortiumId, organizationId));

        // From an instance whose clock is an hour behind: still the later change.
        await ConsumeAsync(new MembershipSuspended
        {
            MembershipId = membershipId, ConsortiumId = consortiumId, OrganizationId = organizationId, OrganizationName = Name,
            OccurredAt = now.AddHours(-1), Version = 3,
        });
        Assert.Equal((MembershipStatus.Suspended, 3L), await StatusAsync(consortiumId, organizationId));

        // The application (version 1) and the activation (version 2) arriving late, stamped by a fast clock: ignored.
        await ConsumeAsync(new MembershipApplied
        {
            MembershipId = membershipId, ConsortiumId = consortiumId, OrganizationId = organizationId, OrganizationName = Name,
            OrganizationKind = "vocationalCollege", OccurredAt = now.AddHours(2), Version = 1,
        });
        await ConsumeAsync(new MembershipActivated
        {
            MembershipId = membershipId, ConsortiumId = consortiumId, OrganizationId = organizationId, OrganizationName = Name,
            OrganizationKind = "vocationalCollege", OccurredAt = now.AddHours(2), Version = 2,
        });
        Assert.Equal((MembershipStatus.Suspended, 3L), await StatusAsync(consortiumId, organizationId));
    }

    /// <summary>Publishes through the outbox and waits until the directory consumer has processed the message.</summary>
    private async Task ConsumeAsync<TMessage>(TMessage message) where TMessage : class
    {
        Guid messageId;
        await using (var scope = fixture.Service.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<EventsDbContext>();
            messageId = db.AddIntegrationEvent(message);
            await db.SaveChangesAsync();
        }
        await ServiceUnderTest<Program>.EventuallyAsync(async () =>
        {
            await using var scope = fixture.Service.Services.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<EventsDbContext>().InboxRecords
                .AnyAsync(r => r.MessageId == messageId && r.Consumer.EndsWith("member-directory"));
        }, $"{typeof(TMessage).Name} consumed by the member directory");
    }

    private async Task<(MembershipStatus Status, long Version)> StatusAsync(Guid consortiumId, Guid organizationId)
    {
        await using var scope = fixture.Service.Services.CreateAsyncScope();
        var membership = await scope.ServiceProvider.GetRequiredService<EventsDbContext>().KnownMemberships.AsNoTracking()
            .SingleAsync(m => m.ConsortiumId == consortiumId && m.OrganizationId == organizationId);
        return (membership.Status, membership.Version);
    }
}
