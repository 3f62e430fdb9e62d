using Platform.Events.Contracts;
using Platform.Membership.Contracts;
using static Platform.Webhooks.Tests.FanoutScenario;

namespace Platform.Webhooks.Tests;

/// <summary>Integration events become queued webhooks: once each, in membership's order, to the endpoints that want them.</summary>
public sealed class FanoutTests(WebhooksService webhooks) : IClassFixture<WebhooksService>
{
    private readonly FanoutScenario _scenario = new(webhooks);

    [Fact]
    public async Task Enabled_endpoints_subscribed_to_the_type_or_to_everything_get_one_message_and_others_none()
    {
        var consortiumId = Guid.CreateVersion7();
        var (member, client) = await _scenario.OrganizationAsync("enterprise", "Tai'an Machinery");
        using var _ = client;
        await _scenario.ActivateAsync(consortiumId, member, "Tai'an Machinery", "enterprise");
        var everything = await EndpointAsync(client, "*");
        var scheduled = await EndpointAsync(client, "event.scheduled");
        var otherType = await EndpointAsync(client, "agreement.signed");
        var disabled = await EndpointAsync(client, "event.scheduled");
        await DisableAsync(client, disabled);

        var eventId = Guid.CreateVersion7();
        await _scenario.PublishAsync(Scheduled(eventId, consortiumId, member));

        var one = Assert.Single(await _scenario.QueuedAsync(everything));
        var other = Assert.Single(await _scenario.QueuedAsync(scheduled));
        Assert.Equal("event.scheduled", one.Type);
        // One message, the same body (and webhook-id) for every endpoint it fans out to.
        Assert.Equal(one.Body.GetRawText(), other.Body.GetRawText());
        var data = one.Body.GetProperty("data");
        Assert.Equal(eventId, data.GetProperty("eventId").GetGuid());
        Assert.Equal("councilMeeting", data.GetProperty("kind").GetString());
        Assert.Equal("scheduled", data.GetProperty("status").GetString());
        Assert.True(one.Body.TryGetProperty("timestamp", out var timestamp) && timestamp.ValueKind == System.Text.Json.JsonValueKind.String);
        Assert.Empty(await _scenario.QueuedAsync(otherType));
        Assert.Empty(await _scenario.QueuedAsync(disabled));
    }

    [Fact]
    public async Task A_redelivered_source_message_queues_nothing_twice()
    {
        var consortiumId = Guid.CreateVersion7();
        var (member, client) = await _scenario.OrganizationAsync("enterprise", "Jining Coal Equipment");
        using var _ = client;
        await _scenario.ActivateAsync(consortiumId, member, "Jining Coal Equipment", "enterprise");
        var endpoint = await EndpointAsync(client, "event.scheduled");

        var messageId = Guid.CreateVersion7();
        var message = Scheduled(Guid.CreateVersion7(), consortiumId, member);
        await _scenario.PublishWithIdAsync(messageId, message);
        Assert.Single(await _scenario.QueuedAsync(endpoint));
        // The same MessageId again, as after a lost acknowledgement, then a later message to show the first copy was handled.
        await _scenario.PublishWithIdAsync(messageId, message);
        await _scenario.PublishAsync(Scheduled(Guid.CreateVersion7(), consortiumId, member));

        Assert.Equal(2, (await _scenario.QueuedAsync(endpoint)).Count);
        Assert.Single(await _scenario.QueuedAboutAsync(endpoint, "event.scheduled", "eventId", message.EventId));
    }

    [Fact]
    public async Task Membership_changes_are_told_in_membership_order_and_a_late_older_version_is_not_told()
    {
        var consortiumId = Guid.CreateVersion7();
        var membershipId = Guid.CreateVersion7();
        var (organization, client) = await _scenario.OrganizationAsync("vocationalCollege", "Zaozhuang Vocational College");
        using var _ = client;
        var endpoint = await EndpointAsync(client, "*");
        var now = DateTimeOffset.UtcNow;

        await _scenario.PublishAsync(new MembershipActivated
        {
            MembershipId = membershipId, ConsortiumId = consortiumId, OrganizationId = organization, OrganizationName = "Zaozhuang Vocational College",
            OrganizationKind = "vocationalCollege", OccurredAt = now, Version = 2,
        });
        // Version 4 (withdrawn) arrives before version 3 (suspended), stamped by a slow clock: 3 changes nothing and is not told.
        await _scenario.PublishAsync(new MembershipWithdrawn
        {
            MembershipId = membershipId, ConsortiumId = consortiumId, OrganizationId = organization, OrganizationName = "Zaozhuang Vocational College",
            OccurredAt = now.AddMinutes(-5), Version = 4,
        });
        await _scenario.PublishAsync(new MembershipSuspended
        {
            MembershipId = membershipId, ConsortiumId = consortiumId, OrganizationId = organization, OrganizationName = "Zaozhuang Vocational College",
            OccurredAt = now.AddMinutes(5), Version = 3,
        });
        // A copy of version 2 under a new MessageId (a producer's retry): not newer, not told again.
        await _scenario.PublishAsync(new MembershipActivated
        {
            MembershipId = membershipId, ConsortiumId = consortiumId, OrganizationId = organization, OrganizationName = "Zaozhuang Vocational College",
            OrganizationKind = "vocationalCollege", OccurredAt = now, Version = 2,
        });

        var told = await _scenario.QueuedAsync(endpoint);
        Assert.Equal(["membership.activated", "membership.withdrawn"], told.Select(m => m.Type));
        Assert.Equal([2L, 4L], told.Select(m => m.Body.GetProperty("data").GetProperty("version").GetInt64()));
        Assert.Equal("withdrawn", told[1].Body.GetProperty("data").GetProperty("status").GetString());
        Assert.Equal("vocationalCollege", told[1].Body.GetProperty("data").GetProperty("organizationKind").GetString());

        // Withdrawn: the consortium's news no longer reaches it.
        await _scenario.PublishAsync(Scheduled(Guid.CreateVersion7(), consortiumId, organization));
        Assert.Equal(2, (await _scenario.QueuedAsync(endpoint)).Count);
    }

    [Fact]
    public async Task A_reinstatement_is_its_own_type_and_the_reinstated_member_hears_the_consortium_again()
    {
        var consortiumId = Guid.CreateVersion7();
        var membershipId = Guid.CreateVersion7();
        var (organization, client) = await _scenario.OrganizationAsync("enterprise", "Dongying Petrochemical");
        using var _ = client;
        await _scenario.ActivateAsync(consortiumId, organization, "Dongying Petrochemical", "enterprise");
        var endpoint = await EndpointAsync(client, "membership.reinstated", "membership.activated", "event.scheduled");
        await _scenario.PublishAsync(new MembershipSuspended
        {
            MembershipId = membershipId, ConsortiumId = consortiumId, OrganizationId = organization, OrganizationName = "Dongying Petrochemical",
            OccurredAt = DateTimeOffset.UtcNow, Version = 2,
        });
        await _scenario.PublishAsync(new MembershipReinstated
        {
            MembershipId = membershipId, ConsortiumId = consortiumId, OrganizationId = organization, OrganizationName = "Dongying Petrochemical",
            OrganizationKind = "enterprise", Reason = "Dues paid", OccurredAt = DateTimeOffset.UtcNow, Version = 3,
        });
        await _scenario.PublishAsync(Scheduled(Guid.CreateVersion7(), consortiumId, organization));

        var told = await _scenario.QueuedAsync(endpoint);
        Assert.Equal(["membership.reinstated", "event.scheduled"], told.Select(m => m.Type));
        Assert.Equal("Dues paid", told[0].Body.GetProperty("data").GetProperty("reason").GetString());
        Assert.Equal("active", told[0].Body.GetProperty("data").GetProperty("status").GetString());
    }

    [Fact]
    public async Task An_organization_first_seen_suspended_is_a_current_member_with_its_kind_unknown()
    {
        var consortiumId = Guid.CreateVersion7();
        var (organization, client) = await webhooks.PartnerAsync();
        using var _ = client;
        var endpoint = await EndpointAsync(client, "*");

        // As for a consumer that started late: no OrganizationRegistered, no activation, only the suspension (no kind in it).
        await _scenario.PublishAsync(new MembershipSuspended
        {
            MembershipId = Guid.CreateVersion7(), ConsortiumId = consortiumId, OrganizationId = organization, OrganizationName = "Laiwu Special Steel",
            OccurredAt = DateTimeOffset.UtcNow, Version = 3,
        });
        await _scenario.PublishAsync(Scheduled(Guid.CreateVersion7(), consortiumId, organization));

        var told = await _scenario.QueuedAsync(endpoint);
        Assert.Equal(["membership.suspended", "event.scheduled"], told.Select(m => m.Type));
        var suspended = told[0].Body.GetProperty("data");
        Assert.True(!suspended.TryGetProperty("organizationKind", out var kind) || kind.ValueKind == System.Text.Json.JsonValueKind.Null, suspended.GetRawText());
        Assert.Equal("Laiwu Special Steel", told[1].Body.GetProperty("data").GetProperty("organizers")[0].GetProperty("name").GetString());
    }

    private static ConsortiumEventScheduled Scheduled(Guid eventId, Guid consortiumId, Guid organizer) => new()
    {
        EventId = eventId, ConsortiumId = consortiumId, Kind = "councilMeeting", Title = "Annual council meeting", Venue = "Tai'an",
        StartsAt = DateTimeOffset.UtcNow.AddDays(10), EndsAt = DateTimeOffset.UtcNow.AddDays(10).AddHours(2), OrganizerIds = [organizer],
        OccurredAt = DateTimeOffset.UtcNow,
    };
}
