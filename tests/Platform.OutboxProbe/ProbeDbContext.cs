using Microsoft.EntityFrameworkCore;
using Platform.ServiceDefaults.Persistence;

namespace Platform.OutboxProbe;

public sealed class ProbeDbContext(DbContextOptions<ProbeDbContext> options) : PlatformDbContext(options)
{
    public DbSet<Order> Orders => Set<Order>();
    public DbSet<ConsumedMessage> ConsumedMessages => Set<ConsumedMessage>();

    /// <summary>The SQL scripts of the versions before EF migrations: the schema the Initial migration builds.</summary>
    protected override IReadOnlyCollection<string> SqlEraServiceMigrations => ["service/0001_probe_tables"];

    protected override void ConfigureServiceModel(ModelBuilder modelBuilder)
    {
        ArgumentNullException.ThrowIfNull(modelBuilder);
        modelBuilder.Entity<Order>(order =>
        {
            order.ToTable("orders");
            order.HasKey(o => o.Id);
            order.Property(o => o.Id).ValueGeneratedNever();
        });
        modelBuilder.Entity<ConsumedMessage>(consumed =>
        {
            consumed.ToTable("consumed_messages");
            consumed.HasKey(c => c.Id);
            consumed.Property(c => c.Id).UseIdentityAlwaysColumn();
            consumed.Property(c => c.Consumer).HasMaxLength(100);
            consumed.Property(c => c.Kind).HasMaxLength(20);
            consumed.Property(c => c.TraceId).HasMaxLength(32);
        });
    }
}

/// <summary>The producer's state change.</summary>
public sealed class Order
{
    public Guid Id { get; set; }
    public int Number { get; set; }
}

/// <summary>One row per consumer run that committed: the consumer's effect.</summary>
public sealed class ConsumedMessage
{
    public long Id { get; set; }
    public required string Consumer { get; set; }
    public Guid MessageId { get; set; }
    public int Number { get; set; }
    public required string Kind { get; set; }
    /// <summary>The consumer's Activity TraceId, to check the trace went through the broker.</summary>
    public string? TraceId { get; set; }
}
