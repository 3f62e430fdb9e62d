using MassTransit;
using Microsoft.EntityFrameworkCore;
using Platform.ServiceDefaults.Persistence;

namespace Platform.Bench.Outbox;

/// <summary>The event both paths carry: about 250 bytes of JSON, like a typical integration event.</summary>
public sealed record BenchItemRecorded
{
    public const string SamplePayload = "An enterprise posted demand for 40 CNC machining technicians; cohort supply matched from two technician colleges; " +
                                        "placement window opens next term; contact the consortium secretariat for the training base agreement.";

    public required Guid ItemId { get; init; }
    public required int Sequence { get; init; }
    public required string Payload { get; init; }
}

/// <summary>Used for both databases (producer and consumer); each gets both tables.</summary>
public sealed class BenchDbContext(DbContextOptions<BenchDbContext> options) : PlatformDbContext(options)
{
    public DbSet<BenchItem> Items => Set<BenchItem>();
    public DbSet<BenchEffect> Effects => Set<BenchEffect>();

    protected override void ConfigureServiceModel(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<BenchItem>(item =>
        {
            item.ToTable("bench_items");
            item.HasKey(i => i.Id);
            item.Property(i => i.Id).ValueGeneratedNever();
        });
        modelBuilder.Entity<BenchEffect>(effect =>
        {
            effect.ToTable("bench_effects");
            effect.HasKey(e => e.Id);
            effect.Property(e => e.Id).UseIdentityAlwaysColumn();
        });
    }
}

public sealed class BenchItem
{
    public Guid Id { get; set; }
    public int Sequence { get; set; }
}

public sealed class BenchEffect
{
    public long Id { get; set; }
    public Guid ItemId { get; set; }
    public int Sequence { get; set; }
}

/// <summary>The consumer's effect: one row, committed by the inbox together with the inbox record.</summary>
public sealed class BenchItemRecordedConsumer(BenchDbContext dbContext) : IConsumer<BenchItemRecorded>
{
    public Task Consume(ConsumeContext<BenchItemRecorded> context)
    {
        dbContext.Effects.Add(new BenchEffect { ItemId = context.Message.ItemId, Sequence = context.Message.Sequence });
        return Task.CompletedTask;
    }
}
