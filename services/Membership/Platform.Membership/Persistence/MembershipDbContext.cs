using DomainMembership = Platform.Membership.Domain.Membership;

namespace Platform.Membership.Persistence;

public sealed class MembershipDbContext(DbContextOptions<MembershipDbContext> options) : PlatformDbContext(options)
{
    public DbSet<Consortium> Consortia => Set<Consortium>();
    public DbSet<Organization> Organizations => Set<Organization>();
    public DbSet<DomainMembership> Memberships => Set<DomainMembership>();
    public DbSet<CouncilSession> CouncilSessions => Set<CouncilSession>();
    public DbSet<Charter> Charters => Set<Charter>();
    public DbSet<Person> People => Set<Person>();
    public DbSet<ApiClient> ApiClients => Set<ApiClient>();

    /// <summary>The SQL scripts of the versions before EF migrations: the schema the Initial migration builds.</summary>
    protected override IReadOnlyCollection<string> SqlEraServiceMigrations => ["service/0001_membership", "service/0002_membership_times_and_member_list", "service/0003_member_list_version", "service/0004_api_client_expiry_and_own_keys", "service/0004_membership_version"];

    protected override void ConfigureServiceModel(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<Consortium>(consortium =>
        {
            consortium.ToTable("consortia");
            consortium.Property(c => c.Id).ValueGeneratedNever();
            consortium.Property(c => c.Name).HasMaxLength(300);
            consortium.Property(c => c.NameZh).HasMaxLength(ChineseName.MaxLength);
            consortium.Property(c => c.Kind).HasConversion<string>().HasMaxLength(50);
            consortium.Property(c => c.Region).HasMaxLength(200);
            consortium.Property(c => c.TimeZone).HasMaxLength(64);
            // Written only by the database's triggers.
            consortium.Property(c => c.MemberListVersion).HasDefaultValue(0L).ValueGeneratedOnAddOrUpdate();
        });

        modelBuilder.Entity<Organization>(organization =>
        {
            organization.ToTable("organizations");
            organization.Property(o => o.Id).ValueGeneratedNever();
            organization.Property(o => o.Name).HasMaxLength(300);
            organization.Property(o => o.NameZh).HasMaxLength(ChineseName.MaxLength);
            organization.Property(o => o.Kind).HasConversion<string>().HasMaxLength(50);
            organization.Property(o => o.Region).HasMaxLength(200);
            organization.Property(o => o.UnifiedSocialCreditCode).HasMaxLength(18);
            organization.HasIndex(o => o.UnifiedSocialCreditCode).IsUnique();
            // Name search ("Shandong Labor…") uses ILIKE on this column.
            organization.HasIndex(o => o.Name);
            organization.Property<uint>("xmin").IsRowVersion();
        });

        modelBuilder.Entity<DomainMembership>(membership =>
        {
            membership.ToTable("memberships");
            membership.Property(m => m.Id).ValueGeneratedNever();
            membership.Property(m => m.Status).HasConversion<string>().HasMaxLength(20);
            membership.Property(m => m.CouncilRole).HasConversion<string>().HasMaxLength(30);
            membership.Ignore(m => m.History);
            membership.Ignore(m => m.AllowedActions);
            membership.Ignore(m => m.IsCurrent);
            membership.Ignore(m => m.IsAdmitted);
            membership.ComplexCollection<List<MembershipTransition>, MembershipTransition>("_history", history =>
            {
                history.ToJson("history");
                history.ComplexProperty(t => t.Actor);
            });
            // An organization is a member of a consortium at most once at a time: the database says so too.
            membership.HasIndex(m => new { m.ConsortiumId, m.OrganizationId })
                .IsUnique()
                .HasFilter("status IN ('Applied', 'Active', 'Suspended')")
                .HasDatabaseName("ux_memberships_current");
            membership.HasIndex(m => new { m.ConsortiumId, m.Status });
            // The member list pages newest first within one consortium.
            membership.HasIndex(m => new { m.ConsortiumId, m.Id }).IsDescending(false, true);
            // Concurrent transitions on one membership: exactly one wins, the other sees a conflict.
            membership.Property<uint>("xmin").IsRowVersion();
        });

        modelBuilder.Entity<CouncilSession>(session =>
        {
            session.ToTable("council_sessions");
            session.Property(s => s.Id).ValueGeneratedNever();
            session.HasIndex(s => new { s.ConsortiumId, s.Number }).IsUnique();
            session.ComplexCollection(s => s.Designations, designations => designations.ToJson("designations"));
            session.Property<uint>("xmin").IsRowVersion();
        });

        modelBuilder.Entity<Charter>(charter =>
        {
            charter.ToTable("charters");
            charter.Property(c => c.Id).ValueGeneratedNever();
            charter.Property(c => c.Link).HasMaxLength(2000);
            charter.HasIndex(c => new { c.ConsortiumId, c.Version }).IsUnique();
        });

        modelBuilder.Entity<Person>(person =>
        {
            person.ToTable("people");
            person.Property(p => p.Id).ValueGeneratedNever();
            person.Property(p => p.Role).HasConversion<string>().HasMaxLength(30);
            person.Property(p => p.Name).HasMaxLength(200);
            person.Property(p => p.Title).HasMaxLength(200);
            person.Property(p => p.Email).HasMaxLength(320);
            person.HasIndex(p => p.OrganizationId);
            person.HasIndex(p => p.MentorForConsortiumId);
        });

        modelBuilder.Entity<ApiClient>(client =>
        {
            client.ToTable("api_clients");
            client.Property(c => c.Id).ValueGeneratedNever();
            client.Property(c => c.Name).HasMaxLength(200);
            client.Property(c => c.KeyHash).HasMaxLength(64);
            client.Property(c => c.KeyPrefix).HasMaxLength(16);
            client.HasIndex(c => c.KeyHash).IsUnique();
            client.HasIndex(c => c.OrganizationId);
            // Revoking twice at once publishes ApiClientRevoked once.
            client.Property<uint>("xmin").IsRowVersion();
        });
    }
}
