namespace Platform.Events.Domain;

/// <summary>An agreement signed at an event; the consortium's agreements register lists them all.</summary>
public sealed class Agreement
{
    private Agreement()
    {
        Title = null!;
    }

    public Agreement(Guid id, ConsortiumEvent signedAt, AgreementKind kind, string title, string? occupation,
        IEnumerable<NamedOrganization> parties, DateOnly signedOn, DateTimeOffset recordedAt)
    {
        ArgumentNullException.ThrowIfNull(signedAt);
        if (!signedAt.AcceptsOutcomes) throw new InvalidOperationException("Agreements are recorded on a held event.");
        Id = id;
        EventId = signedAt.Id;
        ConsortiumId = signedAt.ConsortiumId;
        Kind = kind;
        Title = title;
        Occupation = occupation;
        Parties = [.. parties];
        if (Parties.Count < 2) throw new ArgumentException("An agreement has at least two parties.", nameof(parties));
        SignedOn = signedOn;
        RecordedAt = recordedAt;
    }

    public Guid Id { get; private set; }
    public Guid EventId { get; private set; }
    public Guid ConsortiumId { get; private set; }
    public AgreementKind Kind { get; private set; }
    public string Title { get; private set; }
    /// <summary>The occupation or major trained for (e.g. intelligent welding), if the agreement names one.</summary>
    public string? Occupation { get; private set; }
    public List<NamedOrganization> Parties { get; private set; } = [];
    public DateOnly SignedOn { get; private set; }
    public DateTimeOffset RecordedAt { get; private set; }
}
