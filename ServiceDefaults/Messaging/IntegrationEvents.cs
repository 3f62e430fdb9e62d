using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using Platform.ServiceDefaults.Persistence;

namespace Platform.ServiceDefaults.Messaging;

/// <summary>The only way a service publishes an integration event: through the transactional outbox.</summary>
public static class IntegrationEventExtensions
{
    /// <summary>
    /// Adds <paramref name="message"/> to the outbox of this DbContext. Nothing is sent now: the row is saved by the
    /// caller's next <c>SaveChanges</c>, in the same transaction as the state change it announces, and published
    /// after that transaction commits. Call it before <c>SaveChanges</c>.
    /// </summary>
    /// <returns>The MessageId the event will carry (a UUIDv7, so ids sort by creation time).</returns>
    public static Guid AddIntegrationEvent<TMessage>(this PlatformDbContext dbContext, TMessage message)
        where TMessage : class
    {
        ArgumentNullException.ThrowIfNull(dbContext);
        ArgumentNullException.ThrowIfNull(message);

        // The runtime type, so an event passed as a base type or interface is still published as what it is.
        var type = message.GetType();
        var activity = Activity.Current;
        var row = new OutboxMessage
        {
            MessageId = Guid.CreateVersion7(),
            MessageType = MessageTypeName.Of(type),
            Body = JsonSerializer.Serialize(message, type, IntegrationEventJson.Options),
            // The current span becomes the parent of the delivery span, so the trace runs on through the broker.
            TraceParent = activity is { IdFormat: ActivityIdFormat.W3C } ? activity.Id : null,
            TraceState = activity?.TraceStateString is { Length: <= 512 } state ? state : null,
            CreatedAt = DateTimeOffset.UtcNow,
        };
        dbContext.OutboxMessages.Add(row);
        OutboxCommitWatch.Mark(dbContext);
        return row.MessageId;
    }
}

/// <summary>Set-based outbox writes for handlers that change many rows per request with set-based SQL.</summary>
public static class BulkIntegrationEventExtensions
{
    /// <summary>
    /// Writes <paramref name="messages"/> to the outbox with one INSERT, inside the caller's open transaction
    /// (<c>Database.BeginTransactionAsync</c>): the same rows <see cref="IntegrationEventExtensions.AddIntegrationEvent"/>
    /// writes, in list order, published after that transaction commits. For batch endpoints where one tracked entity
    /// and one INSERT per event would dominate the cost.
    /// </summary>
    /// <returns>The MessageIds, in list order.</returns>
    public static async Task<IReadOnlyList<Guid>> WriteIntegrationEventsAsync(this PlatformDbContext dbContext, IReadOnlyList<object> messages,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dbContext);
        ArgumentNullException.ThrowIfNull(messages);
        if (dbContext.Database.CurrentTransaction is null)
            throw new InvalidOperationException("WriteIntegrationEventsAsync needs an open transaction: the events must commit with the change they announce.");
        if (messages.Count == 0) return [];

        var activity = Activity.Current;
        var traceParent = activity is { IdFormat: ActivityIdFormat.W3C } ? activity.Id : null;
        var traceState = activity?.TraceStateString is { Length: <= 512 } state ? state : null;
        var ids = new Guid[messages.Count];
        var types = new string[messages.Count];
        var bodies = new string[messages.Count];
        for (var i = 0; i < messages.Count; i++)
        {
            var type = messages[i].GetType();
            ids[i] = Guid.CreateVersion7();
            types[i] = MessageTypeName.Of(type);
            bodies[i] = JsonSerializer.Serialize(messages[i], type, IntegrationEventJson.Options);
        }
        var createdAt = DateTimeOffset.UtcNow;
        // WITH ORDINALITY + ORDER BY: the identity (delivery order) follows the list order.
        await dbContext.Database.ExecuteSqlAsync($"""
            INSERT INTO platform.outbox_messages (message_id, message_type, body, trace_parent, trace_state, created_at, attempts)
            SELECT m.message_id, m.message_type, m.body::jsonb, {traceParent}::varchar, {traceState}::varchar, {createdAt}, 0
              FROM unnest({ids}::uuid[], {types}::text[], {bodies}::text[]) WITH ORDINALITY AS m(message_id, message_type, body, n)
             ORDER BY m.n
            """, cancellationToken);
        OutboxCommitWatch.Mark(dbContext);
        return ids;
    }
}

/// <summary>How outbox bodies are written and read: web defaults (camelCase) with enums as strings, like the wire format.</summary>
internal static class IntegrationEventJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };
}

/// <summary>The type name stored with an outbox row: <c>Namespace.Type, Assembly</c>, without version, so a new build still reads old rows.</summary>
internal static class MessageTypeName
{
    private static readonly ConcurrentDictionary<string, Type?> Resolved = new(StringComparer.Ordinal);

    public static string Of(Type type) => $"{type.FullName}, {type.Assembly.GetName().Name}";

    /// <summary>The CLR type, or null when this build does not know it. Rows written before a type moved resolve to where it is now.</summary>
    public static Type? Resolve(string name) => Resolved.GetOrAdd(name, static n =>
        Auth.FormerContracts.OutboxTypeNames.TryGetValue(n, out var moved) ? moved : Type.GetType(n, throwOnError: false));
}

/// <summary>
/// Remembers which DbContexts have outbox rows that are not committed yet, so the commit interceptor wakes the
/// delivery worker only after commits that actually carry events (not after every inbox commit of a consumer).
/// </summary>
internal static class OutboxCommitWatch
{
    private static readonly ConditionalWeakTable<object, object> Pending = [];
    private static readonly object Marker = new();

    public static void Mark(object dbContext) => Pending.AddOrUpdate(dbContext, Marker);

    /// <summary>True once per mark: clears it.</summary>
    public static bool TakeMark(object dbContext) => Pending.Remove(dbContext);
}
