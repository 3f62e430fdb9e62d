namespace Platform.Webhooks.Persistence;

public sealed class WebhooksDbContext(DbContextOptions<WebhooksDbContext> options) : PlatformDbContext(options)
{
    public DbSet<WebhookEndpoint> Endpoints => Set<WebhookEndpoint>();
    public DbSet<WebhookMessage> Messages => Set<WebhookMessage>();
    public DbSet<WebhookDelivery> Deliveries => Set<WebhookDelivery>();
    public DbSet<DeliveryAttempt> DeliveryAttempts => Set<DeliveryAttempt>();
    public DbSet<ConsortiumMember> Members => Set<ConsortiumMember>();
    public DbSet<KnownOrganization> Organizations => Set<KnownOrganization>();

    /// <summary>The SQL scripts of the versions before EF migrations: the schema the Initial migration builds.</summary>
    protected override IReadOnlyCollection<string> SqlEraServiceMigrations => ["service/0001_webhooks", "service/0002_deliveries", "service/0003_read_models", "service/0004_dispatch"];

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

        modelBuilder.Entity<WebhookMessage>(message =>
        {
            message.ToTable("messages");
            message.Property(m => m.Id).HasMaxLength(40).ValueGeneratedNever();
            message.Property(m => m.EventType).HasMaxLength(50);
            // Retention sweeps by age.
            message.HasIndex(m => m.CreatedAt);
        });

        modelBuilder.Entity<WebhookDelivery>(delivery =>
        {
            delivery.ToTable("deliveries");
            delivery.Property(d => d.Id).ValueGeneratedNever();
            delivery.Property(d => d.MessageId).HasMaxLength(40);
            delivery.Property(d => d.EventType).HasMaxLength(50);
            delivery.Property(d => d.Status).HasConversion<string>().HasMaxLength(20);
            delivery.Property(d => d.LastError).HasMaxLength(500);
            delivery.HasOne<WebhookEndpoint>().WithMany().HasForeignKey(d => d.EndpointId).OnDelete(DeleteBehavior.Cascade);
            delivery.HasOne<WebhookMessage>().WithMany().HasForeignKey(d => d.MessageId).OnDelete(DeleteBehavior.Cascade);
            delivery.HasIndex(d => new { d.EndpointId, d.MessageId }).IsUnique();
            delivery.HasIndex(d => d.NextAttemptAt).HasDatabaseName("ix_deliveries_due").HasFilter("status = 'Pending'");
            delivery.HasIndex(d => new { d.EndpointId, d.Id });
            delivery.HasIndex(d => new { d.EndpointId, d.NextAttemptAt }).HasDatabaseName("ix_deliveries_endpoint_due").HasFilter("status = 'Pending'");
            delivery.HasIndex(d => d.EndpointId).HasDatabaseName("ix_deliveries_in_flight").HasFilter("leased_until IS NOT NULL");
            delivery.HasIndex(d => d.CreatedAt).HasDatabaseName("ix_deliveries_finished").HasFilter("status <> 'Pending'");
        });

        modelBuilder.Entity<DeliveryAttempt>(attempt =>
        {
            attempt.ToTable("delivery_attempts");
            attempt.Property(a => a.Id).UseIdentityByDefaultColumn();
            attempt.Property(a => a.Error).HasMaxLength(500);
            attempt.Property(a => a.ResponseSnippet).HasMaxLength(1000);
            attempt.HasOne<WebhookDelivery>().WithMany().HasForeignKey(a => a.DeliveryId).OnDelete(DeleteBehavior.Cascade);
        });

        // Read models kept from membership's events: who hears what (Domain/Audience.cs).
        modelBuilder.Entity<ConsortiumMember>(member =>
        {
            member.ToTable("members");
            member.HasKey(m => new { m.ConsortiumId, m.OrganizationId });
            member.Property(m => m.Status).HasConversion<string>().HasMaxLength(20);
            member.Ignore(m => m.IsCurrent);
            // Two events of one member at once: the loser's save fails on xmin and its retry sees the winner.
            member.Property<uint>("xmin").IsRowVersion();
        });

        modelBuilder.Entity<KnownOrganization>(organization =>
        {
            organization.ToTable("organizations");
            organization.Property(o => o.Id).ValueGeneratedNever();
            organization.Property(o => o.Name).HasMaxLength(300);
            organization.Property(o => o.Kind).HasMaxLength(50);
            organization.Ignore(o => o.IsCollege);
        });
    }
}
