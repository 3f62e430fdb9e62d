namespace Platform.TalentPipeline.Domain;

/// <summary>The kinds of cooperation program a consortium runs.</summary>
public enum ProgramKind
{
    /// <summary>An order class: a college trains a class for one enterprise's jobs (e.g. intelligent welding).</summary>
    OrderClass,
    /// <summary>New-apprenticeship program: an enterprise mentor and a college teacher per apprentice.</summary>
    Apprenticeship,
    InternshipBase,
    /// <summary>Graduate internship and employment base.</summary>
    EmploymentBase,
    TrainingBase,
    TeacherPracticeCenter,
    SkillsTrainingProject,
    ProductionPracticeProject,
}

/// <summary>draft → active → completed / cancelled; active or draft ⇄ paused (a party was suspended).</summary>
public enum ProgramStatus
{
    Draft,
    Active,
    Paused,
    Completed,
    Cancelled,
}

/// <summary>What an operator or a party can do to a program through the API.</summary>
public enum ProgramAction
{
    Launch,
    Complete,
    Cancel,
}

/// <summary>A status change to announce (ProgramLaunched / ProgramStatusChanged).</summary>
public sealed record ProgramTransition(ProgramStatus From, ProgramStatus To, string? Reason);

/// <summary>
/// A cooperation program between colleges and enterprises of one consortium. Paused while one of its parties is
/// suspended (remembering which, and the status to return to), resumed when the last of them is reinstated.
/// </summary>
public sealed class CooperationProgram
{
    private CooperationProgram() { }

    public Guid Id { get; private set; }
    public Guid ConsortiumId { get; private set; }
    public ProgramKind Kind { get; private set; }
    public string Title { get; private set; } = "";
    public List<Guid> CollegeIds { get; private set; } = [];
    public List<Guid> EnterpriseIds { get; private set; } = [];
    public string? Occupation { get; private set; }
    public int? Seats { get; private set; }
    public DateOnly? StartsOn { get; private set; }
    public DateOnly? EndsOn { get; private set; }
    public ProgramStatus Status { get; private set; }
    /// <summary>The suspended parties that keep the program paused.</summary>
    public List<Guid> PausedBy { get; private set; } = [];
    /// <summary>Status before the pause, restored on resumption.</summary>
    public ProgramStatus? ResumeTo { get; private set; }
    /// <summary>The agreement (events service) this program was created from, if any.</summary>
    public Guid? AgreementId { get; private set; }
    /// <summary>The plaque unveiling that activated this base, if any.</summary>
    public Guid? UnveilingId { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }

    public IEnumerable<Guid> Parties => CollegeIds.Concat(EnterpriseIds);

    public bool IsParty(Guid organizationId) => CollegeIds.Contains(organizationId) || EnterpriseIds.Contains(organizationId);

    /// <summary>Whether colleges may push placement events into it (retention reports still arrive after completion).</summary>
    public bool AcceptsPlacements => Status is ProgramStatus.Active or ProgramStatus.Completed;

    public static CooperationProgram Create(Guid id, Guid consortiumId, ProgramKind kind, string title, IEnumerable<Guid> collegeIds,
        IEnumerable<Guid> enterpriseIds, string? occupation, int? seats, DateOnly? startsOn, DateOnly? endsOn, DateTimeOffset at, Guid? agreementId = null) =>
        new()
        {
            Id = id,
            ConsortiumId = consortiumId,
            Kind = kind,
            Title = title,
            CollegeIds = [.. collegeIds.Distinct()],
            EnterpriseIds = [.. enterpriseIds.Distinct()],
            Occupation = occupation,
            Seats = seats,
            StartsOn = startsOn,
            EndsOn = endsOn,
            Status = ProgramStatus.Draft,
            AgreementId = agreementId,
            CreatedAt = at,
        };

    public static ProgramStatus? Target(ProgramStatus current, ProgramAction action) => (current, action) switch
    {
        (ProgramStatus.Draft, ProgramAction.Launch) => ProgramStatus.Active,
        (ProgramStatus.Active, ProgramAction.Complete) => ProgramStatus.Completed,
        (ProgramStatus.Draft or ProgramStatus.Active or ProgramStatus.Paused, ProgramAction.Cancel) => ProgramStatus.Cancelled,
        _ => null,
    };

    public IReadOnlyList<ProgramAction> AllowedActions => [.. Enum.GetValues<ProgramAction>().Where(a => Target(Status, a) is not null)];

    /// <summary>Performs the action or returns null (nothing changed) when the current status does not allow it.</summary>
    public ProgramTransition? TryPerform(ProgramAction action, string? reason)
    {
        if (Target(Status, action) is not { } target) return null;
        var transition = new ProgramTransition(Status, target, reason);
        Status = target;
        if (target == ProgramStatus.Cancelled)
        {
            PausedBy = [];
            ResumeTo = null;
        }
        return transition;
    }

    /// <summary>
    /// The launch rule: every party is an active member of the consortium. Returns the parties that are not (none: the
    /// program may launch). Whoever launches (a party's key, the operator, a plaque unveiled at a ceremony) obeys it.
    /// </summary>
    public IReadOnlyList<Guid> InactiveParties(IReadOnlySet<Guid> activeMembers)
    {
        ArgumentNullException.ThrowIfNull(activeMembers);
        return [.. Parties.Where(p => !activeMembers.Contains(p))];
    }

    /// <summary>
    /// Whether a plaque unveiling may act on this program: one recorded by the operator (<paramref name="recordingOrganization"/>
    /// null) may; one recorded by a partner only when its organization is a party. Naming another organization as host
    /// must not launch that organization's programs.
    /// </summary>
    public bool MayBeUnveiledBy(Guid? recordingOrganization) => recordingOrganization is not { } organization || IsParty(organization);

    /// <summary>
    /// A base's plaque was unveiled: the base is active from now on (a paused base stays paused, resuming to active).
    /// The caller has checked <see cref="MayBeUnveiledBy"/> and, for a draft, <see cref="InactiveParties"/>.
    /// </summary>
    public ProgramTransition? ActivateByUnveiling(Guid unveilingId)
    {
        UnveilingId ??= unveilingId;
        if (Status == ProgramStatus.Paused)
        {
            ResumeTo = ProgramStatus.Active;
            return null;
        }
        return Status == ProgramStatus.Draft ? TryPerform(ProgramAction.Launch, "plaque unveiled") : null;
    }

    /// <summary>A party was suspended (or withdrew): an open (draft or active) program pauses until it is reinstated.</summary>
    public ProgramTransition? PauseFor(Guid organizationId, string reason)
    {
        if (!IsParty(organizationId)) return null;
        if (Status == ProgramStatus.Paused)
        {
            if (!PausedBy.Contains(organizationId)) PausedBy = [.. PausedBy, organizationId];
            return null;
        }
        if (Status is not (ProgramStatus.Draft or ProgramStatus.Active)) return null;
        var transition = new ProgramTransition(Status, ProgramStatus.Paused, reason);
        ResumeTo = Status;
        Status = ProgramStatus.Paused;
        PausedBy = [organizationId];
        return transition;
    }

    /// <summary>A party was reinstated: the program resumes once no suspended party keeps it paused.</summary>
    public ProgramTransition? ResumeFor(Guid organizationId, string reason)
    {
        if (Status != ProgramStatus.Paused || !PausedBy.Contains(organizationId)) return null;
        PausedBy = [.. PausedBy.Where(id => id != organizationId)];
        if (PausedBy.Count > 0) return null;
        var target = ResumeTo ?? ProgramStatus.Active;
        ResumeTo = null;
        Status = target;
        return new ProgramTransition(ProgramStatus.Paused, target, reason);
    }

    /// <summary>Program kind created from an agreement of the events service, or null for kinds that make no program.</summary>
    public static ProgramKind? KindOfAgreement(string agreementKind) => agreementKind switch
    {
        "orderClass" => ProgramKind.OrderClass,
        "trainingCooperation" => ProgramKind.SkillsTrainingProject,
        "productionPractice" => ProgramKind.ProductionPracticeProject,
        _ => null,
    };

    /// <summary>Program kind of an unveiled plaque, or null for plaques that are not a base or center.</summary>
    public static ProgramKind? KindOfPlaque(string plaqueKind) => plaqueKind switch
    {
        "trainingBase" => ProgramKind.TrainingBase,
        "internshipBase" => ProgramKind.InternshipBase,
        "employmentBase" => ProgramKind.EmploymentBase,
        "teacherPracticeCenter" => ProgramKind.TeacherPracticeCenter,
        _ => null,
    };
}
