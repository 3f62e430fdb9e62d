using Microsoft.EntityFrameworkCore;
using Platform.ServiceDefaults.Persistence;

namespace Platform.ServiceDefaults.Tests.TestApp;

public sealed class TestDbContext(DbContextOptions<TestDbContext> options) : PlatformDbContext(options)
{
    public DbSet<TestItem> Items => Set<TestItem>();

    protected override void ConfigureServiceModel(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<TestItem>(item =>
        {
            item.ToTable("test_items");
            item.Property(i => i.Id).ValueGeneratedNever();
            item.Property(i => i.Name).HasMaxLength(200);
            item.HasIndex(i => new { i.CreatedAt, i.Id }).IsDescending();
        });
    }
}

public sealed class TestItem
{
    public Guid Id { get; set; }
    public Guid OrganizationId { get; set; }
    public required string Name { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}
