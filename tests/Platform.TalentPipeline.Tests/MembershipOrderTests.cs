using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Platform.Membership.Contracts;
using Platform.ServiceDefaults.Messaging;
using Platform.TalentPipeline.Domain;
using Platform.TalentPipeline.Persistence;
using Platform.Testing;

namespace Platform.TalentPipeline.Tests;

/// <summary>Membership changes are ordered by membership's version, whatever the delivery order and the producers' clocks.</summary>
public sealed class MembershipOrderTests(PipelineService pipeline) : IClassFixture<PipelineService>
{
    private const string Name = "Zibo Vocational Institute";

    [Fact]
    public async Task A_later_suspension_stamped_by_a_slow_clock_wins_and_an_older_activation_delivered_late_is_ignored()
    {
        var consortiumId = Guid.CreateVersion7();
        var organizationId = Guid.CreateVersion7();
        var membershipId = Guid.CreateVersion7();
        var now = DateTimeOffset.UtcNow;

        await pipeline.Service.PublishAsync(Activated(consortiumId, organizationId, membershipId, version: 2, at: now));
        await pipeline.WaitForMemberAsync(consortiumId, organizationId, MemberStatus.Active);

        // Version 3 from a membership instance whose clock is an hour behind: still the newer change.
        await pipeline.Service.PublishAsync(new MembershipSuspended
        {
            MembershipId = membershipId, ConsortiumId = consortiumId, OrganizationId = organizationId, OrganizationName = Name,
            Reason = "dues unpaid", OccurredAt = now.AddHours(-1), Version = 3,
        });
        await pipeline.WaitForMemberAsync(consortiumId, organizationId, MemberStatus.Suspended);

        // A redelivered (new MessageId) or late version 2, stamped later by a fast clock, and then version 4: only 4 applies.
        var late = await PublishAsync(Activated(consortiumId, organizationId, membershipId, version: 2, at: now.AddHours(1)));
        await pipeline.Service.PublishAsync(new MembershipWithdrawn
        {
            MembershipId = membershipId, ConsortiumId = consortiumId, OrganizationId = organizationId, OrganizationName = Name,
            OccurredAt = now.AddHours(-2), Version = 4,
        });
        await pipeline.WaitForMemberAsync(consortiumId, organizationId, MemberStatus.Withdrawn);
        await ServiceUnderTest<Program>.EventuallyAsync(() => ConsumedAsync(late), "the late activation consumed");
        var member = await MemberAsync(consortiumId, organizationId);
        Assert.Equal(MemberStatus.Withdrawn, member.Status);
        Assert.Equal(4, member.Version);
    }

    [Fact]
    public async Task Versions_delivered_in_reverse_end_at_the_newest()
    {
        var consortiumId = Guid.CreateVersion7();
        var organizationId = Guid.CreateVersion7();
        var membershipId = Guid.CreateVersion7();
        var now = DateTimeOffset.UtcNow;

        // Newest first: suspended (3), then the activation (2) that preceded it.
        await pipeline.Service.PublishAsync(new MembershipSuspended
        {
            MembershipId = membershipId, ConsortiumId = consortiumId, OrganizationId = organizationId, OrganizationName = Name,
            OccurredAt = now, Version = 3,
        });
        await pipeline.WaitForMemberAsync(consortiumId, organizationId, MemberStatus.Suspended);
        var late = await PublishAsync(Activated(consortiumId, organizationId, membershipId, version: 2, at: now.AddMinutes(5)));
        await ServiceUnderTest<Program>.EventuallyAsync(() => ConsumedAsync(late), "the late activation consumed");

        var member = await MemberAsync(consortiumId, organizationId);
        Assert.Equal(MemberStatus.Suspended, member.Status);
        Assert.Equal(3, member.Version);
    }

    private static MembershipActivated Activated(Guid consortiumId, Guid organizationId, Guid membershipId, long version, DateTimeOffset at) => new()
    {
        MembershipId = membershipId, ConsortiumId = consortiumId, OrganizationId = organizationId, OrganizationName = Name,
        OrganizationKind = "vocationalCollege", OccurredAt = at, Version = version,
    };

    private async Task<Member> MemberAsync(Guid consortiumId, Guid organizationId)
    {
        await using var scope = pipeline.Service.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<TalentPipelineDbContext>().Members.AsNoTracking()
            .SingleAsync(m => m.ConsortiumId == consortiumId && m.OrganizationId == organizationId);
    }

    private async Task<Guid> PublishAsync<TMessage>(TMessage message) where TMessage : class
    {
        await using var scope = pipeline.Service.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TalentPipelineDbContext>();
        var messageId = db.AddIntegrationEvent(message);
        await db.SaveChangesAsync();
        return messageId;
    }

    private async Task<bool> ConsumedAsync(Guid messageId)
    {
        await using var scope = pipeline.Service.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<TalentPipelineDbContext>().InboxRecords.AnyAsync(r => r.MessageId == messageId);
    }
}
