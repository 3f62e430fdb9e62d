namespace Platform.Membership.Features.Charters;

/// <summary>Record an approved version of the charter: its text, or a link to it, or both.</summary>
public sealed record ApproveCharterRequest : IValidatedRequest
{
    /// <summary>Characters of a charter's text; longer documents are linked.</summary>
    public const int MaxText = 200_000;

    public required DateOnly ApprovedOn { get; init; }

    /// <summary>The charter's text (required without <see cref="Link"/>).</summary>
    [MultiLine, MaxLength(MaxText)] public string? Text { get; init; }

    /// <summary>An absolute http(s) URL of the charter, at most 2,000 characters (required without <see cref="Text"/>).</summary>
    public Uri? Link { get; init; }

    /// <summary>The council session that approved it, when known.</summary>
    [Range(1, 1000)] public int? ApprovedBySession { get; init; }

    public IEnumerable<(string Field, string Message)> Validate()
    {
        if (string.IsNullOrWhiteSpace(Text) && Link is null) yield return ("text", "Give the charter's text or a link to it.");
        if (Link is not null && (!Link.IsAbsoluteUri || Link.Scheme is not ("https" or "http") || Link.OriginalString.Length > 2000))
            yield return ("link", "An absolute http(s) URL of at most 2,000 characters.");
    }
}

/// <summary>A charter version; versions count up from 1.</summary>
public sealed record CharterResponse
{
    public required Guid Id { get; init; }
    public required Guid ConsortiumId { get; init; }
    public required int Version { get; init; }
    public string? Text { get; init; }
    public Uri? Link { get; init; }
    public required DateOnly ApprovedOn { get; init; }
    /// <summary>The council session that approved it, when known.</summary>
    public int? ApprovedBySession { get; init; }

    internal static CharterResponse From(Charter c) => new()
    {
        Id = c.Id, ConsortiumId = c.ConsortiumId, Version = c.Version, Text = c.Text, Link = c.Link, ApprovedOn = c.ApprovedOn, ApprovedBySession = c.ApprovedBySession,
    };
}
