namespace Platform.TalentPipeline.Persistence;

public sealed class TalentPipelineDbContext(DbContextOptions<TalentPipelineDbContext> options) : PlatformDbContext(options)
{
    public DbSet<Member> Members => Set<Member>();
    public DbSet<OrganizationProfile> Organizations => Set<OrganizationProfile>();
    public DbSet<CooperationProgram> Programs => Set<CooperationProgram>();
    public DbSet<TalentDemand> Demands => Set<TalentDemand>();
    public DbSet<Cohort> Cohorts => Set<Cohort>();
    public DbSet<PlacementEvent> PlacementEvents => Set<PlacementEvent>();
    public DbSet<Trainee> Trainees => Set<Trainee>();
    public DbSet<FunnelCount> FunnelCounts => Set<FunnelCount>();

    /// <summary>The SQL scripts of the versions before EF migrations: the schema the Initial migration builds.</summary>
    protected override IReadOnlyCollection<string> SqlEraServiceMigrations => ["service/0001_talent_pipeline", "service/0002_member_version"];

    protected override void ConfigureServiceModel(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<Member>(member =>
        {
            member.ToTable("members");
            member.HasKey(m => new { m.ConsortiumId, m.OrganizationId });
            member.Property(m => m.Name).HasMaxLength(300);
            member.Property(m => m.NameZh).HasMaxLength(200);
            member.Property(m => m.Kind).HasMaxLength(50);
            member.Property(m => m.Status).HasConversion<string>().HasMaxLength(20);
            member.Ignore(m => m.IsActive);
            // Pausing a suspended organization's programs looks it up across consortia.
            member.HasIndex(m => m.OrganizationId);
            member.Property<uint>("xmin").IsRowVersion();
        });

        modelBuilder.Entity<OrganizationProfile>(organization =>
        {
            organization.ToTable("organizations");
            organization.Property(o => o.Id).ValueGeneratedNever();
            organization.Property(o => o.Name).HasMaxLength(300);
            organization.Property(o => o.Kind).HasMaxLength(50);
            organization.Property(o => o.Region).HasMaxLength(200);
        });

        modelBuilder.Entity<CooperationProgram>(program =>
        {
            program.ToTable("programs");
            program.Property(p => p.Id).ValueGeneratedNever();
            program.Property(p => p.Kind).HasConversion<string>().HasMaxLength(40);
            program.Property(p => p.Status).HasConversion<string>().HasMaxLength(20);
            program.Property(p => p.ResumeTo).HasConversion<string>().HasMaxLength(20);
            program.Property(p => p.Title).HasMaxLength(300);
            program.Property(p => p.Occupation).HasMaxLength(200);
            program.Ignore(p => p.Parties);
            program.Ignore(p => p.AllowedActions);
            program.Ignore(p => p.AcceptsPlacements);
            program.HasIndex(p => p.ConsortiumId);
            // One program per agreement and per unveiling: a redelivered event finds the program it made.
            program.HasIndex(p => p.AgreementId).IsUnique();
            program.HasIndex(p => p.UnveilingId).IsUnique();
            program.Property<uint>("xmin").IsRowVersion();
        });

        modelBuilder.Entity<TalentDemand>(demand =>
        {
            demand.ToTable("demands");
            demand.Property(d => d.Id).ValueGeneratedNever();
            demand.Property(d => d.Occupation).HasMaxLength(200);
            demand.Property(d => d.Region).HasMaxLength(200);
            demand.HasIndex(d => d.ConsortiumId);
            demand.HasIndex(d => d.EnterpriseId);
        });

        modelBuilder.Entity<Cohort>(cohort =>
        {
            cohort.ToTable("cohorts");
            cohort.Property(c => c.Id).ValueGeneratedNever();
            cohort.Property(c => c.Major).HasMaxLength(200);
            cohort.Property(c => c.Occupation).HasMaxLength(200);
            cohort.Property(c => c.Region).HasMaxLength(200);
            cohort.HasIndex(c => c.ConsortiumId);
            cohort.HasIndex(c => c.CollegeId);
        });

        modelBuilder.Entity<PlacementEvent>(placement =>
        {
            placement.ToTable("placement_events");
            // Idempotency: a college's eventId is accepted once.
            placement.HasKey(e => new { e.CollegeId, e.EventId });
            placement.Property(e => e.EventId).HasMaxLength(100);
            placement.Property(e => e.TraineeRef).HasMaxLength(64);
            placement.Property(e => e.Type).HasConversion<string>().HasMaxLength(30);
            placement.Property(e => e.Flag).HasConversion<string>().HasMaxLength(40);
            // A trainee's history, read whole by every batch that touches the trainee.
            placement.HasIndex(e => new { e.CollegeId, e.TraineeRef, e.OccurredAt });
            // Data-quality reads count only flagged events.
            placement.HasIndex(e => new { e.CollegeId, e.Flag }).HasFilter("flag IS NOT NULL").HasDatabaseName("ix_placement_events_flagged");
        });

        modelBuilder.Entity<Trainee>(trainee =>
        {
            trainee.ToTable("trainees");
            trainee.HasKey(t => new { t.CollegeId, t.TraineeRef });
            trainee.Property(t => t.TraineeRef).HasMaxLength(64);
            trainee.Property(t => t.Stage).HasConversion<string>().HasMaxLength(30);
        });

        modelBuilder.Entity<FunnelCount>(count =>
        {
            count.ToTable("funnel_counts");
            count.HasKey(c => new { c.ConsortiumId, c.ProgramId, c.CollegeId, c.EnterpriseId, c.Month, c.Stage });
            count.Property(c => c.Stage).HasConversion<string>().HasMaxLength(30);
            count.HasIndex(c => c.ProgramId);
            count.HasIndex(c => c.CollegeId);
            count.HasIndex(c => c.EnterpriseId);
        });
    }
}
