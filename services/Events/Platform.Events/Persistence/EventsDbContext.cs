using System.Text.Json;
using Microsoft.EntityFrameworkCore.ChangeTracking;

namespace Platform.Events.Persistence;

public sealed class EventsDbContext(DbContextOptions<EventsDbContext> options) : PlatformDbContext(options)
{
    public DbSet<ConsortiumEvent> Events => Set<ConsortiumEvent>();
    public DbSet<Registration> Registrations => Set<Registration>();
    public DbSet<Agreement> Agreements => Set<Agreement>();
    public DbSet<Unveiling> Unveilings => Set<Unveiling>();
    public DbSet<CouncilDesignationRecording> CouncilDesignationRecordings => Set<CouncilDesignationRecording>();
    public DbSet<CompetitionResults> CompetitionResults => Set<CompetitionResults>();
    public DbSet<KnownConsortium> KnownConsortia => Set<KnownConsortium>();
    public DbSet<KnownOrganization> KnownOrganizations => Set<KnownOrganization>();
    public DbSet<KnownMembership> KnownMemberships => Set<KnownMembership>();
    public DbSet<FeedEntry> FeedEntries => Set<FeedEntry>();
    public DbSet<FeedSource> FeedSources => Set<FeedSource>();

    /// <summary>The event row, locked until the transaction ends: every seat change on one event happens one at a time.</summary>
    /// <summary>The membership row, locked until the transaction ends, so two announcements about it apply one after the other.</summary>
    public Task<KnownMembership?> LockMembershipAsync(Guid consortiumId, Guid organizationId, CancellationToken cancellationToken) =>
        KnownMemberships.FromSql($"SELECT * FROM known_memberships WHERE consortium_id = {consortiumId} AND organization_id = {organizationId} FOR UPDATE")
            .SingleOrDefaultAsync(cancellationToken);

    public Task<ConsortiumEvent?> LockEventAsync(Guid id, CancellationToken cancellationToken) =>
        Events.FromSql($"SELECT *, xmin FROM consortium_events WHERE id = {id} FOR UPDATE").SingleOrDefaultAsync(cancellationToken);

    private static MembershipStatus ReadMembershipStatus(string stored) =>
        ApiEnum.TryParse<MembershipStatus>(stored, out var status) ? status : throw new InvalidOperationException($"Unknown membership status '{stored}'.");

    /// <summary>The SQL scripts of the versions before EF migrations: the schema the Initial migration builds.</summary>
    protected override IReadOnlyCollection<string> SqlEraServiceMigrations => ["service/0001_events", "service/0002_known_membership_version", "service/0002_unveiling_answers", "service/0003_feed_without_private_data", "service/0004_feed_updated"];

    protected override void ConfigureServiceModel(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<ConsortiumEvent>(e =>
        {
            e.ToTable("consortium_events");
            e.Property(x => x.Id).ValueGeneratedNever();
            e.Property(x => x.Kind).HasConversion<string>().HasMaxLength(30);
            e.Property(x => x.Status).HasConversion<string>().HasMaxLength(30);
            e.Property(x => x.Title).HasMaxLength(300);
            e.Property(x => x.Venue).HasMaxLength(300);
            e.Property(x => x.TimeZone).HasMaxLength(64);
            e.Property(x => x.CancellationReason).HasMaxLength(1000);
            e.Ignore(x => x.AllowedActions);
            e.Ignore(x => x.AcceptsRegistrations);
            e.Ignore(x => x.AcceptsRegistrationChanges);
            e.Ignore(x => x.AcceptsOutcomes);
            e.HasIndex(x => new { x.ConsortiumId, x.StartsAt });
            e.Property<uint>("xmin").IsRowVersion();
        });

        modelBuilder.Entity<Registration>(r =>
        {
            r.ToTable("registrations");
            r.Property(x => x.Id).ValueGeneratedNever();
            r.Property(x => x.Status).HasConversion<string>().HasMaxLength(20);
            r.Property(x => x.PersonName).HasMaxLength(200);
            r.Property(x => x.PersonTitle).HasMaxLength(200);
            r.Property(x => x.Email).HasMaxLength(320);
            r.HasIndex(x => new { x.EventId, x.Arrival }).IsUnique();
            // One live registration per address and event; a repeat gets the existing one.
            r.HasIndex(x => new { x.EventId, x.Email }).IsUnique().HasFilter("status <> 'Cancelled'").HasDatabaseName("ux_registrations_live_email");
            r.HasOne<ConsortiumEvent>().WithMany().HasForeignKey(x => x.EventId);
        });

        modelBuilder.Entity<Agreement>(a =>
        {
            a.ToTable("agreements");
            a.Property(x => x.Id).ValueGeneratedNever();
            a.Property(x => x.Kind).HasConversion<string>().HasMaxLength(30);
            a.Property(x => x.Title).HasMaxLength(300);
            a.Property(x => x.Occupation).HasMaxLength(200);
            a.ComplexCollection(x => x.Parties, p => p.ToJson("parties"));
            a.HasIndex(x => new { x.ConsortiumId, x.Id });
            a.HasIndex(x => x.EventId);
            a.HasOne<ConsortiumEvent>().WithMany().HasForeignKey(x => x.EventId);
        });

        modelBuilder.Entity<Unveiling>(u =>
        {
            u.ToTable("unveilings");
            u.Property(x => x.Id).ValueGeneratedNever();
            u.Property(x => x.Kind).HasConversion<string>().HasMaxLength(30);
            u.Property(x => x.Name).HasMaxLength(300);
            u.Property(x => x.HostOrganizationName).HasMaxLength(300);
            u.Property(x => x.HostOrganizationNameZh).HasMaxLength(200);
            u.Property(x => x.State).HasConversion<string>().HasMaxLength(20);
            u.Property(x => x.Refusals).HasColumnType("jsonb").HasConversion(
                v => JsonSerializer.Serialize(v, JsonColumn.Options),
                s => JsonSerializer.Deserialize<List<DesignationRefusal>>(s, JsonColumn.Options) ?? new List<DesignationRefusal>(),
                new ValueComparer<List<DesignationRefusal>>((a, b) => JsonSerializer.Serialize(a, JsonColumn.Options) == JsonSerializer.Serialize(b, JsonColumn.Options),
                    v => JsonSerializer.Serialize(v, JsonColumn.Options).GetHashCode(StringComparison.Ordinal), v => v.ToList()));
            u.HasIndex(x => x.EventId);
            u.HasOne<ConsortiumEvent>().WithMany().HasForeignKey(x => x.EventId);
            // Talent-pipeline's answer and a late duplicate must not both win.
            u.Property<uint>("xmin").IsRowVersion();
        });

        modelBuilder.Entity<CouncilDesignationRecording>(d =>
        {
            d.ToTable("council_designation_recordings");
            d.Property(x => x.Id).ValueGeneratedNever();
            d.Property(x => x.State).HasConversion<string>().HasMaxLength(20);
            d.ComplexCollection(x => x.Designations, c =>
            {
                c.ToJson("designations");
                c.Property(x => x.Role).HasConversion<string>();
            });
            d.Property(x => x.Refusals).HasColumnType("jsonb").HasConversion(
                v => JsonSerializer.Serialize(v, JsonColumn.Options),
                s => JsonSerializer.Deserialize<List<DesignationRefusal>>(s, JsonColumn.Options) ?? new List<DesignationRefusal>(),
                new ValueComparer<List<DesignationRefusal>>((a, b) => JsonSerializer.Serialize(a, JsonColumn.Options) == JsonSerializer.Serialize(b, JsonColumn.Options),
                    v => JsonSerializer.Serialize(v, JsonColumn.Options).GetHashCode(StringComparison.Ordinal), v => v.ToList()));
            d.HasIndex(x => x.EventId);
            d.HasOne<ConsortiumEvent>().WithMany().HasForeignKey(x => x.EventId);
            d.Property<uint>("xmin").IsRowVersion();
        });

        modelBuilder.Entity<CompetitionResults>(c =>
        {
            c.ToTable("competition_results");
            c.Property(x => x.Id).ValueGeneratedNever();
            c.ComplexCollection(x => x.Entrants, e => e.ToJson("entrants"));
            // One set of results per competition.
            c.HasIndex(x => x.EventId).IsUnique();
            c.HasOne<ConsortiumEvent>().WithMany().HasForeignKey(x => x.EventId);
        });

        modelBuilder.Entity<KnownConsortium>(c =>
        {
            c.ToTable("known_consortia");
            c.Property(x => x.Id).ValueGeneratedNever();
            c.Property(x => x.Name).HasMaxLength(300);
            c.Property(x => x.NameZh).HasMaxLength(200);
            c.Property(x => x.TimeZone).HasMaxLength(64);
        });

        modelBuilder.Entity<KnownOrganization>(o =>
        {
            o.ToTable("known_organizations");
            o.Property(x => x.Id).ValueGeneratedNever();
            o.Property(x => x.Name).HasMaxLength(300);
            o.Property(x => x.NameZh).HasMaxLength(200);
            o.Property(x => x.Kind).HasMaxLength(50);
        });

        modelBuilder.Entity<KnownMembership>(m =>
        {
            m.ToTable("known_memberships");
            m.HasKey(x => new { x.ConsortiumId, x.OrganizationId });
            // Stored in membership's own spelling (active, suspended…), as before the enum: schema and data unchanged.
            m.Property(x => x.Status).HasMaxLength(20).HasConversion(v => ApiEnum.Name(v), s => ReadMembershipStatus(s));
            m.Ignore(x => x.IsActive);
        });

        modelBuilder.Entity<FeedEntry>(f =>
        {
            f.ToTable("feed_entries");
            f.Property(x => x.Id).ValueGeneratedNever();
            f.Property(x => x.Kind).HasMaxLength(50);
            f.Property(x => x.Title).HasMaxLength(1000);
            f.Property(x => x.TitleZh).HasMaxLength(1000);
            f.Property(x => x.Link).HasMaxLength(300);
            f.Property(x => x.Tally).HasColumnType("jsonb").HasConversion(
                v => v == null ? null : JsonSerializer.Serialize(v, JsonColumn.Options),
                s => s == null ? null : JsonSerializer.Deserialize<Dictionary<string, int>>(s, JsonColumn.Options),
                new ValueComparer<Dictionary<string, int>?>((a, b) => ReferenceEquals(a, b), v => v == null ? 0 : v.Count, v => v));
            // The feed reads most recently written first per consortium (keyset paging on updated_at, id).
            f.HasIndex(x => new { x.ConsortiumId, x.UpdatedAt, x.Id }).IsDescending(false, true, true);
        });

        modelBuilder.Entity<FeedSource>(s =>
        {
            s.ToTable("feed_sources");
            s.HasKey(x => x.MessageId);
            s.Property(x => x.MessageId).ValueGeneratedNever();
            s.Property(x => x.MessageType).HasMaxLength(100);
            s.Property(x => x.Body).HasColumnType("jsonb");
            // A rebuild replays in receipt order.
            s.HasIndex(x => new { x.ConsortiumId, x.ReceivedAt, x.MessageId });
        });
    }
}

/// <summary>How JSON columns written through value converters are serialized.</summary>
internal static class JsonColumn
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web);
}
