using Platform.Membership.Features.Organizations;

namespace Platform.Membership.Features.Consortia;

/// <summary>Establish a consortium (operator).</summary>
public sealed record EstablishConsortiumRequest : IValidatedRequest
{
    /// <summary>e.g. "Jinan Economic Development Zone Industry-Education Consortium".</summary>
    [MaxLength(300)] public required string Name { get; init; }

    /// <summary>Optional name in Simplified Chinese; 1 to 200 characters when given.</summary>
    [MaxLength(ChineseName.MaxLength)] public string? NameZh { get; init; }

    /// <summary><c>vocationalEducationGroup</c> or <c>industryEducationConsortium</c>.</summary>
    public required ConsortiumKind Kind { get; init; }

    /// <summary>e.g. "Shandong, Jinan".</summary>
    [MaxLength(200)] public required string Region { get; init; }

    /// <summary>Sectors it serves, e.g. "intelligent manufacturing"; each at most 100 characters.</summary>
    [MaxLength(20)] public IReadOnlyList<string>? Sectors { get; init; }

    /// <summary>Registered organizations that lead it.</summary>
    [MaxLength(20)] public IReadOnlyList<Guid>? LeadOrganizationIds { get; init; }

    /// <summary>The founding date, when known.</summary>
    public DateOnly? EstablishedOn { get; init; }

    /// <summary>IANA time zone its events are shown in; default Asia/Shanghai.</summary>
    public string? TimeZone { get; init; }

    public IEnumerable<(string Field, string Message)> Validate()
    {
        foreach (var problem in FieldChecks.Text(Name, "name", 300).Concat(ChineseNameCheck.Of(NameZh)).Concat(FieldChecks.Text(Region, "region", 200)))
            yield return problem;
        for (var i = 0; i < (Sectors?.Count ?? 0); i++)
            foreach (var problem in FieldChecks.Text(Sectors![i], $"sectors[{i}]", 100))
                yield return problem;
        if (TimeZone is not null && !TimeZoneInfo.TryFindSystemTimeZoneById(TimeZone, out _))
            yield return ("timeZone", $"'{TimeZone}' is not an IANA time zone (e.g. Asia/Shanghai).");
    }
}

/// <summary>A consortium.</summary>
public sealed record ConsortiumResponse
{
    public required Guid Id { get; init; }
    public required string Name { get; init; }
    /// <summary>The name in Simplified Chinese; null when not known.</summary>
    public string? NameZh { get; init; }
    public required ConsortiumKind Kind { get; init; }
    public required string Region { get; init; }
    public required IReadOnlyList<string> Sectors { get; init; }
    public required IReadOnlyList<Guid> LeadOrganizationIds { get; init; }
    public DateOnly? EstablishedOn { get; init; }
    /// <summary>IANA time zone its events are shown in.</summary>
    public required string TimeZone { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }

    internal static ConsortiumResponse From(Consortium c) => new()
    {
        Id = c.Id, Name = c.Name, NameZh = c.NameZh, Kind = c.Kind, Region = c.Region, Sectors = c.Sectors, LeadOrganizationIds = c.LeadOrganizationIds,
        EstablishedOn = c.EstablishedOn, TimeZone = c.TimeZone, CreatedAt = c.CreatedAt,
    };
}
