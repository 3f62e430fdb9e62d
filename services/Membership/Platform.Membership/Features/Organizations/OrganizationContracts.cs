namespace Platform.Membership.Features.Organizations;

/// <summary>Register an organization (operator).</summary>
public sealed record RegisterOrganizationRequest : IValidatedRequest
{
    /// <summary>Full registered name, e.g. "Shandong Labor Vocational and Technical College".</summary>
    [MaxLength(300)] public required string Name { get; init; }

    /// <summary>Optional name in Simplified Chinese, e.g. "山东劳动职业技术学院"; 1 to 200 characters when given.</summary>
    [MaxLength(ChineseName.MaxLength)] public string? NameZh { get; init; }

    /// <summary>What kind of organization it is.</summary>
    public required OrganizationKind Kind { get; init; }

    /// <summary>Province and city, e.g. "Shandong, Jinan".</summary>
    [MaxLength(200)] public required string Region { get; init; }

    /// <summary>Optional 18-character GB 32100 code; the check digit is verified and the code must be unique.</summary>
    public string? UnifiedSocialCreditCode { get; init; }

    /// <summary>True for invented demo organizations, so nobody mistakes them for real ones.</summary>
    public bool IsIllustrative { get; init; }

    /// <summary>The code in its normal form; null when absent (a malformed one is refused by <see cref="Validate"/>).</summary>
    internal Domain.UnifiedSocialCreditCode? CreditCode =>
        Domain.UnifiedSocialCreditCode.TryParse(UnifiedSocialCreditCode, out var code, out _) ? code : null;

    public IEnumerable<(string Field, string Message)> Validate()
    {
        foreach (var problem in FieldChecks.Text(Name, "name", 300).Concat(ChineseNameCheck.Of(NameZh)).Concat(FieldChecks.Text(Region, "region", 200)))
            yield return problem;
        if (UnifiedSocialCreditCode is not null && !Domain.UnifiedSocialCreditCode.TryParse(UnifiedSocialCreditCode, out _, out var codeError))
            yield return ("unifiedSocialCreditCode", codeError!);
    }
}

/// <summary>Change an organization's profile (the operator, or a partner key of the organization itself).</summary>
public sealed record UpdateOrganizationRequest : IValidatedRequest
{
    [MaxLength(300)] public required string Name { get; init; }

    /// <summary>The name in Simplified Chinese; the whole profile is replaced, so leaving it out (or null) clears it.</summary>
    [MaxLength(ChineseName.MaxLength)] public string? NameZh { get; init; }

    [MaxLength(200)] public required string Region { get; init; }

    public IEnumerable<(string Field, string Message)> Validate() =>
        FieldChecks.Text(Name, "name", 300).Concat(ChineseNameCheck.Of(NameZh)).Concat(FieldChecks.Text(Region, "region", 200));
}

/// <summary>An organization registered on the platform.</summary>
public sealed record OrganizationResponse
{
    public required Guid Id { get; init; }
    public required string Name { get; init; }
    /// <summary>The name in Simplified Chinese; null when not known.</summary>
    public string? NameZh { get; init; }
    public required OrganizationKind Kind { get; init; }
    public required string Region { get; init; }
    public string? UnifiedSocialCreditCode { get; init; }
    /// <summary>An invented demo organization.</summary>
    public required bool IsIllustrative { get; init; }
    public required DateTimeOffset RegisteredAt { get; init; }
    public required DateTimeOffset UpdatedAt { get; init; }

    internal static OrganizationResponse From(Organization o) => new()
    {
        Id = o.Id, Name = o.Name, NameZh = o.NameZh, Kind = o.Kind, Region = o.Region, UnifiedSocialCreditCode = o.UnifiedSocialCreditCode,
        IsIllustrative = o.IsIllustrative, RegisteredAt = o.RegisteredAt, UpdatedAt = o.UpdatedAt,
    };
}

/// <summary>The one check of an optional Chinese name (organizations and consortia): absent is fine; given, it is 1 to 200 characters once trimmed.</summary>
internal static class ChineseNameCheck
{
    // The JSON reader already refused control characters, noncharacters and lone surrogates in every string field.
    public static IEnumerable<(string Field, string Message)> Of(string? nameZh) =>
        nameZh is null ? [] : FieldChecks.Text(nameZh, "nameZh", ChineseName.MaxLength);
}
