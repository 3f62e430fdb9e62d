namespace Platform.Events.Domain;

/// <summary>A plaque unveiled at an event: a base or center now exists at its host organization.</summary>
public sealed class Unveiling
{
    private Unveiling()
    {
        Name = null!;
        HostOrganizationName = null!;
    }

    public Unveiling(Guid id, ConsortiumEvent unveiledAt, string name, NamedOrganization host, UnveilingKind kind, DateOnly unveiledOn, DateTimeOffset recordedAt)
    {
        ArgumentNullException.ThrowIfNull(unveiledAt);
        ArgumentNullException.ThrowIfNull(host);
        if (!unveiledAt.AcceptsOutcomes) throw new InvalidOperationException("Unveilings are recorded on a held event.");
        Id = id;
        EventId = unveiledAt.Id;
        ConsortiumId = unveiledAt.ConsortiumId;
        Name = name;
        HostOrganizationId = host.OrganizationId;
        HostOrganizationName = host.Name;
        HostOrganizationNameZh = host.NameZh;
        Kind = kind;
        UnveiledOn = unveiledOn;
        RecordedAt = recordedAt;
        // A plaque that is no base or center makes no program: there is nothing for talent-pipeline to answer.
        State = kind == UnveilingKind.Other ? UnveilingState.Recorded : UnveilingState.Pending;
    }

    public Guid Id { get; private set; }
    public Guid EventId { get; private set; }
    public Guid ConsortiumId { get; private set; }
    public string Name { get; private set; }
    public Guid HostOrganizationId { get; private set; }
    public string HostOrganizationName { get; private set; }
    /// <summary>The host's name in Simplified Chinese, when the member directory knew it.</summary>
    public string? HostOrganizationNameZh { get; private set; }
    public UnveilingKind Kind { get; private set; }
    public DateOnly UnveiledOn { get; private set; }
    public DateTimeOffset RecordedAt { get; private set; }
    public UnveilingState State { get; private set; }
    /// <summary>The base program talent-pipeline activated (or created) for the plaque, once applied.</summary>
    public Guid? ProgramId { get; private set; }
    public List<DesignationRefusal> Refusals { get; private set; } = [];
    public DateTimeOffset? ResolvedAt { get; private set; }

    /// <summary>Talent-pipeline acted on the plaque. A repeat answer changes nothing; a rejection is not overturned.</summary>
    public void MarkApplied(Guid programId, DateTimeOffset at)
    {
        if (State != UnveilingState.Pending) return;
        State = UnveilingState.Applied;
        ProgramId = programId;
        ResolvedAt = at;
    }

    /// <summary>Talent-pipeline refused to act on the plaque (e.g. the recorder is not party to the base program).</summary>
    public void MarkRejected(IEnumerable<DesignationRefusal> refusals, DateTimeOffset at)
    {
        if (State != UnveilingState.Pending) return;
        State = UnveilingState.Rejected;
        Refusals = [.. refusals];
        ResolvedAt = at;
    }
}
