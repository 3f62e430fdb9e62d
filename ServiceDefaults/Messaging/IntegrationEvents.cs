using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization;
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

    /// <summary>The CLR type, or null when this build does not know it.</summary>
    public static Type? Resolve(string name) => Resolved.GetOrAdd(name, static n => Type.GetType(n, throwOnError: false));
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
