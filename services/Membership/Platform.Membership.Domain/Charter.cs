namespace Platform.Membership.Domain;

/// <summary>A version of the consortium's charter (章程), approved on a date by a council session.</summary>
public sealed class Charter
{
    private Charter()
    {
    }

    public Guid Id { get; private set; }
    public Guid ConsortiumId { get; private set; }
    public int Version { get; private set; }
    /// <summary>The text, or null when only a link is kept.</summary>
    public string? Text { get; private set; }
    public Uri? Link { get; private set; }
    public DateOnly ApprovedOn { get; private set; }
    /// <summary>The council session that approved it, when known.</summary>
    public int? ApprovedBySession { get; private set; }

    public static Charter Approve(Guid id, Guid consortiumId, int version, string? text, Uri? link, DateOnly approvedOn, int? approvedBySession) =>
        (text, link) is (null or "", null)
            ? throw new ArgumentException("A charter needs its text or a link to it.")
            : new() { Id = id, ConsortiumId = consortiumId, Version = version, Text = text, Link = link, ApprovedOn = approvedOn, ApprovedBySession = approvedBySession };
}

/// <summary>
/// A person the consortium knows: an organization's representative, or a corporate mentor the consortium
/// appointed (enterprise staff who mentor trainees). Nothing beyond name, title, organization and a contact email.
/// </summary>
public sealed class Person
{
    private Person()
    {
    }

    public Guid Id { get; private set; }
    public Guid OrganizationId { get; private set; }
    /// <summary>Set for a corporate mentor: the consortium that appointed them.</summary>
    public Guid? MentorForConsortiumId { get; private set; }
    public PersonRole Role { get; private set; }
    public string Name { get; private set; } = "";
    public string? Title { get; private set; }
    public string? Email { get; private set; }
    public DateTimeOffset AddedAt { get; private set; }

    public static Person Representative(Guid id, Guid organizationId, string name, string? title, string? email, DateTimeOffset at) =>
        new() { Id = id, OrganizationId = organizationId, Role = PersonRole.Representative, Name = name.Trim(), Title = title?.Trim(), Email = email?.Trim(), AddedAt = at };

    public static Person CorporateMentor(Guid id, Guid consortiumId, Guid organizationId, string name, string? title, string? email, DateTimeOffset at) =>
        new() { Id = id, MentorForConsortiumId = consortiumId, OrganizationId = organizationId, Role = PersonRole.CorporateMentor, Name = name.Trim(), Title = title?.Trim(), Email = email?.Trim(), AddedAt = at };
}

public enum PersonRole
{
    Representative,
    CorporateMentor,
}
