using Platform.ServiceDefaults.Auth;

namespace Platform.Dashboard.Operators;

/// <summary>
/// The platform's operator key (<c>Platform:OperatorKey</c>): the only credential of the dashboard, presented in
/// <c>X-Api-Key</c> or once on the login form (<see cref="OperatorAccess"/>), checked as the services check it (<see cref="KnownKey"/>).
/// </summary>
public sealed class OperatorKey(string? key)
{
    public const string Header = ApiKeyDefaults.HeaderName;

    private readonly KnownKey _known = new(key);

    /// <summary>The key itself, for the dashboard's own calls to the services' APIs (the KPIs).</summary>
    internal string? Value => key;

    public bool IsConfigured => _known.IsConfigured;

    public bool Matches(string? presented) => _known.Matches(presented);
}

/// <summary>One operator action on the platform, as the audit list shows it.</summary>
public sealed record AuditEntry(DateTimeOffset At, string Action, string VirtualHost, string Queue, string MessageId, string Outcome, string From);

/// <summary>What operators did through the dashboard (newest first, last 1,000 kept), also written to the log.</summary>
public sealed class OperatorAudit(ILogger<OperatorAudit> logger)
{
    private const int Capacity = 1_000;
    private readonly LinkedList<AuditEntry> _entries = new();
    private readonly Lock _lock = new();

    public void Record(AuditEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        logger.LogWarning("Operator {Action} of message {MessageId} in {Queue} (vhost {VirtualHost}) from {From}: {Outcome}",
            entry.Action, entry.MessageId, entry.Queue, entry.VirtualHost, entry.From, entry.Outcome);
        lock (_lock)
        {
            _entries.AddFirst(entry);
            if (_entries.Count > Capacity) _entries.RemoveLast();
        }
    }

    public IReadOnlyList<AuditEntry> Entries
    {
        get
        {
            lock (_lock) return [.. _entries];
        }
    }
}
