using Microsoft.EntityFrameworkCore;
using Platform.ServiceDefaults.Persistence;
using Platform.Webhooks.Domain;

namespace Platform.Webhooks.Persistence;

public sealed class WebhooksDbContext(DbContextOptions<WebhooksDbContext> options) : PlatformDbContext(options)
{
    public DbSet<WebhookEndpoint> Endpoints => Set<WebhookEndpoint>();

    protected override void ConfigureServiceModel(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<WebhookEndpoint>(endpoint =>
        {
            endpoint.ToTable("endpoints");
            endpoint.Property(e => e.Id).ValueGeneratedNever();
            endpoint.Property(e => e.Url).HasMaxLength(2000);
            endpoint.Property(e => e.Description).HasMaxLength(500);
            endpoint.Property(e => e.Status).HasConversion<string>().HasMaxLength(20);
            endpoint.Property(e => e.DisabledReason).HasMaxLength(500);
            endpoint.Property(e => e.Secret).HasMaxLength(100);
            endpoint.Property(e => e.PreviousSecret).HasMaxLength(100);
            // Listing an organization's endpoints, and (next) fanning an event out to them.
            endpoint.HasIndex(e => e.OrganizationId);
            endpoint.Property<uint>("xmin").IsRowVersion();
        });
    }
}
