namespace Platform.Events.Features.Registrations;

/// <summary>A person registering for an event.</summary>
public sealed record RegisterForEventRequest : IValidatedRequest
{
    [MaxLength(200)]
    public required string PersonName { get; init; }
    /// <summary>The person's title, e.g. "Deputy Mayor" or "Dean".</summary>
    [MaxLength(200)]
    public string? Title { get; init; }
    /// <summary>The person's organization; a partner key registers only its own organization's people.</summary>
    public required Guid OrganizationId { get; init; }
    /// <summary>One registration per address and event: registering the same address again returns the existing registration.</summary>
    [MaxLength(320)]
    public required string Email { get; init; }

    public IEnumerable<(string Field, string Message)> Validate() =>
        FieldChecks.Text(PersonName, "personName", 200).Concat(FieldChecks.Email(Email, "email", required: true));
}

/// <summary>A registration. Contains personal data: visible to the operator, the event's organizers and the person's organization.</summary>
public sealed record RegistrationResponse
{
    public required Guid Id { get; init; }
    public required Guid EventId { get; init; }
    public required string PersonName { get; init; }
    public string? Title { get; init; }
    public required Guid OrganizationId { get; init; }
    public required string Email { get; init; }
    public required RegistrationStatus Status { get; init; }
    /// <summary>Place in the arrival order (1 = first to register).</summary>
    public required int Arrival { get; init; }
    /// <summary>1 for the next person to get a seat; null unless waitlisted.</summary>
    public int? WaitlistPosition { get; init; }
    public required DateTimeOffset RegisteredAt { get; init; }
    public DateTimeOffset? SeatedAt { get; init; }
    public DateTimeOffset? CheckedInAt { get; init; }
    public DateTimeOffset? CancelledAt { get; init; }

    public static RegistrationResponse From(Registration r, TimeZoneInfo zone, int? waitlistPosition)
    {
        ArgumentNullException.ThrowIfNull(r);
        return new RegistrationResponse
        {
            Id = r.Id,
            EventId = r.EventId,
            PersonName = r.PersonName,
            Title = r.PersonTitle,
            OrganizationId = r.OrganizationId,
            Email = r.Email,
            Status = r.Status,
            Arrival = r.Arrival,
            WaitlistPosition = r.Status == RegistrationStatus.Waitlisted ? waitlistPosition : null,
            RegisteredAt = ConsortiumTime.Show(r.CreatedAt, zone),
            SeatedAt = r.SeatedAt is { } s ? ConsortiumTime.Show(s, zone) : null,
            CheckedInAt = r.CheckedInAt is { } c ? ConsortiumTime.Show(c, zone) : null,
            CancelledAt = r.CancelledAt is { } x ? ConsortiumTime.Show(x, zone) : null,
        };
    }
}

/// <summary>The answer to a cancellation: the cancelled registration and whoever got the freed seat.</summary>
public sealed record CancellationResponse(RegistrationResponse Cancelled, RegistrationResponse? Promoted);
