using Microsoft.EntityFrameworkCore;

namespace Platform.ServiceDefaults.Persistence;

/// <summary>
/// Base of every service's DbContext. Adds the tables the platform itself keeps in each service's database
/// (schema <c>platform</c>): the outbox, the inbox, the replicated partner API keys and idempotent requests.
/// Names are snake_case throughout, so hand-written SQL (stores, raw SQL in migrations) reads naturally.
/// </summary>
public abstract class PlatformDbContext(DbContextOptions options) : DbContext(options)
{
    public const string Schema = "platform";

    public DbSet<OutboxMessage> OutboxMessages => Set<OutboxMessage>();
    public DbSet<InboxRecord> InboxRecords => Set<InboxRecord>();
    public DbSet<PartnerApiKey> PartnerApiKeys => Set<PartnerApiKey>();
    public DbSet<IdempotentRequest> IdempotentRequests => Set<IdempotentRequest>();

    protected sealed override void OnModelCreating(ModelBuilder modelBuilder)
    {
        ArgumentNullException.ThrowIfNull(modelBuilder);
        ConfigurePlatformTables(modelBuilder);
        ConfigureServiceModel(modelBuilder);
        SnakeCaseNames.Apply(modelBuilder);
    }

    /// <summary>The service's own entities (default schema).</summary>
    protected abstract void ConfigureServiceModel(ModelBuilder modelBuilder);

    /// <summary>
    /// The service's SQL scripts (<c>service/NNNN_name</c>) that versions before EF Core migrations recorded in
    /// <c>platform.schema_migrations</c>. A database with all of them (and the platform's) is taken as having the
    /// first EF migration applied; empty for a service born with EF migrations.
    /// </summary>
    protected internal virtual IReadOnlyCollection<string> SqlEraServiceMigrations => [];

    private static void ConfigurePlatformTables(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<OutboxMessage>(outbox =>
        {
            outbox.ToTable("outbox_messages", Schema);
            outbox.HasKey(m => m.Sequence);
            outbox.Property(m => m.Sequence).UseIdentityAlwaysColumn();
            outbox.HasIndex(m => m.MessageId).IsUnique();
            outbox.Property(m => m.MessageType).HasMaxLength(500);
            outbox.Property(m => m.Body).HasColumnType("jsonb");
            outbox.Property(m => m.TraceParent).HasMaxLength(55);
            outbox.Property(m => m.TraceState).HasMaxLength(512);
        });

        modelBuilder.Entity<InboxRecord>(inbox =>
        {
            inbox.ToTable("inbox_records", Schema);
            inbox.HasKey(r => new { r.MessageId, r.Consumer });
            inbox.Property(r => r.Consumer).HasMaxLength(200);
            inbox.HasIndex(r => r.ProcessedAt);
        });

        modelBuilder.Entity<PartnerApiKey>(key =>
        {
            key.ToTable("partner_api_keys", Schema);
            key.HasKey(k => k.ApiClientId);
            key.Property(k => k.ApiClientId).ValueGeneratedNever();
            key.Property(k => k.Name).HasMaxLength(200);
            key.Property(k => k.KeyHash).HasMaxLength(64);
            key.HasIndex(k => k.KeyHash).IsUnique();
        });

        modelBuilder.Entity<IdempotentRequest>(request =>
        {
            request.ToTable("idempotent_requests", Schema);
            request.HasKey(r => new { r.Caller, r.Key });
            request.Property(r => r.Caller).HasMaxLength(100);
            request.Property(r => r.Key).HasMaxLength(200);
            request.Property(r => r.RequestHash).HasMaxLength(64);
            request.Property(r => r.ResponseContentType).HasMaxLength(200);
            request.Property(r => r.ResponseLocation).HasMaxLength(2000);
            request.HasIndex(r => r.CreatedAt);
        });
    }
}

/// <summary>An integration event waiting to be published; written in the same transaction as the change it announces.</summary>
public sealed class OutboxMessage
{
    /// <summary>Delivery order.</summary>
    public long Sequence { get; set; }
    public Guid MessageId { get; set; }
    /// <summary>The message's CLR type, assembly-qualified without version (e.g. <c>Platform.Membership.Contracts.ApiClientIssued, Platform.Membership.Contracts</c>).</summary>
    public required string MessageType { get; set; }
    public required string Body { get; set; }
    /// <summary>W3C trace context of the operation that wrote the message, so the trace continues through the broker.</summary>
    public string? TraceParent { get; set; }
    public string? TraceState { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public int Attempts { get; set; }
    /// <summary>After a failed attempt: not before this time.</summary>
    public DateTimeOffset? NextAttemptAt { get; set; }
    public string? LastError { get; set; }
    /// <summary>Set when the row failed too often (<c>Messaging:Outbox:ParkAfterAttempts</c>): not published until an operator clears it.</summary>
    public DateTimeOffset? ParkedAt { get; set; }
}

/// <summary>A message a consumer has processed; recorded in the same transaction as the consumer's effects.</summary>
public sealed class InboxRecord
{
    public Guid MessageId { get; set; }
    /// <summary>The consumer's endpoint (queue) name.</summary>
    public required string Consumer { get; set; }
    public DateTimeOffset ProcessedAt { get; set; }
}

/// <summary>A partner API key, replicated from membership's ApiClientIssued/ApiClientRevoked events and its key list (membership writes its own). Only the hash is kept.</summary>
public sealed class PartnerApiKey
{
    public Guid ApiClientId { get; set; }
    public Guid OrganizationId { get; set; }
    public required string Name { get; set; }
    /// <summary>Lower-case hex SHA-256 of the key.</summary>
    public required string KeyHash { get; set; }
    public required string[] Scopes { get; set; }
    public DateTimeOffset IssuedAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
    /// <summary>Refused from this time on; null: no expiry.</summary>
    public DateTimeOffset? ExpiresAt { get; set; }
}

/// <summary>A POST made with an Idempotency-Key, and the response to replay for a repeat.</summary>
public sealed class IdempotentRequest
{
    /// <summary>Who made it: the API client id, or "operator".</summary>
    public required string Caller { get; set; }
    public required string Key { get; set; }
    /// <summary>Hex SHA-256 of method, path and body: a repeat with another body is refused.</summary>
    public required string RequestHash { get; set; }
    /// <summary>Null while the first request is still in flight.</summary>
    public int? StatusCode { get; set; }
    public byte[]? ResponseBody { get; set; }
    public string? ResponseContentType { get; set; }
    public string? ResponseLocation { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    /// <summary>An in-flight claim older than this is considered abandoned (its process died) and may be taken over.</summary>
    public DateTimeOffset LockedUntil { get; set; }
}
