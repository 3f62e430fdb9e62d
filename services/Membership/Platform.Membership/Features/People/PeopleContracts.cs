namespace Platform.Membership.Features.People;

/// <summary>
/// A representative of the organization: name, title and a contact email, nothing more (no ID numbers, phone numbers
/// or addresses).
/// </summary>
public sealed record AddRepresentativeRequest : IValidatedRequest
{
    /// <summary>e.g. "Zhang Wei".</summary>
    [MaxLength(200)] public required string Name { get; init; }

    /// <summary>e.g. "Dean of Academic Affairs".</summary>
    [MaxLength(200)] public string? Title { get; init; }

    /// <summary>Shown only to the operator and the person's own organization.</summary>
    [MaxLength(320)] public string? Email { get; init; }

    public IEnumerable<(string Field, string Message)> Validate() => PersonFields.Validate(Name, Title, Email);
}

/// <summary>Appoint an enterprise's staff member as a corporate mentor of the consortium's trainees.</summary>
public sealed record AppointMentorRequest : IValidatedRequest
{
    /// <summary>The enterprise employing the mentor; an active member of the consortium.</summary>
    public required Guid OrganizationId { get; init; }

    [MaxLength(200)] public required string Name { get; init; }

    [MaxLength(200)] public string? Title { get; init; }

    /// <summary>Shown only to the operator and the mentor's own organization.</summary>
    [MaxLength(320)] public string? Email { get; init; }

    public IEnumerable<(string Field, string Message)> Validate() =>
        FieldChecks.NotEmptyId(OrganizationId, "organizationId").Concat(PersonFields.Validate(Name, Title, Email));
}

/// <summary>A representative or corporate mentor. The email is shown only to the operator and the person's own organization.</summary>
public sealed record PersonResponse
{
    public required Guid Id { get; init; }
    public required Guid OrganizationId { get; init; }
    public required PersonRole Role { get; init; }
    public required string Name { get; init; }
    public string? Title { get; init; }
    /// <summary>Null unless the caller is the operator or the person's own organization.</summary>
    public string? Email { get; init; }
    /// <summary>The consortium a corporate mentor serves; null for a representative.</summary>
    public Guid? MentorForConsortiumId { get; init; }
    public required DateTimeOffset AddedAt { get; init; }

    internal static PersonResponse From(Person p, Caller caller) => new()
    {
        Id = p.Id, OrganizationId = p.OrganizationId, Role = p.Role, Name = p.Name, Title = p.Title,
        Email = caller.CanActFor(p.OrganizationId) ? p.Email : null, MentorForConsortiumId = p.MentorForConsortiumId, AddedAt = p.AddedAt,
    };
}

/// <summary>What every person's record needs, whoever they are.</summary>
internal static class PersonFields
{
    public static IEnumerable<(string Field, string Message)> Validate(string name, string? title, string? email) =>
        FieldChecks.Text(name, "name", 200).Concat(FieldChecks.Text(title, "title", 200, required: false)).Concat(FieldChecks.Email(email, "email"));
}
