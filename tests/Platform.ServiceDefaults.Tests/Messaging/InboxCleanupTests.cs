using Microsoft.EntityFrameworkCore;
using Platform.Testing;

namespace Platform.ServiceDefaults.Tests.Messaging;

public sealed class InboxCleanupTests(ThrowawayPostgres postgres, ThrowawayRabbitMq rabbit)
{
    [Fact]
    public async Task Records_older_than_the_retention_are_deleted_and_newer_ones_kept()
    {
        await using var service = await ProbeService.StartAsync(await postgres.CreateDatabaseAsync(), await rabbit.CreateVirtualHostAsync(),
            settings: new Dictionary<string, string?> { ["Messaging:Inbox:Retention"] = "7.00:00:00", ["Messaging:Inbox:CleanupInterval"] = "00:00:00.200" });

        var expired = Guid.NewGuid();
        var recent = Guid.NewGuid();
        var current = Guid.NewGuid();
        await service.QueryAsync(db => db.Database.ExecuteSqlAsync($"""
            INSERT INTO platform.inbox_records (message_id, consumer, processed_at) VALUES
                ({expired}, 'probe-order-placed', now() - interval '7 days 1 hour'),
                ({recent}, 'probe-order-placed', now() - interval '6 days 23 hours'),
                ({current}, 'probe-order-placed', now())
            """, TestContext.Current.CancellationToken));

        var left = await Eventually.ReturnsAsync(
            () => service.QueryAsync(db => db.InboxRecords.Select(r => r.MessageId).ToListAsync()),
            ids => !ids.Contains(expired), TimeSpan.FromSeconds(15), "the expired record deleted");
        Assert.Equal(new[] { recent, current }.Order(), left.Order());
    }
}
