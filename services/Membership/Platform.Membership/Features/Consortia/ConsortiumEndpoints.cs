using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Platform.Membership.Contracts;
using Platform.Membership.Domain;
using Platform.Membership.Persistence;
using Platform.ServiceDefaults.Auth;
using Platform.ServiceDefaults.Http;
using Platform.ServiceDefaults.Messaging;

namespace Platform.Membership.Features.Consortia;

/// <summary>Establish a consortium (operator).</summary>
/// <param name="Name">e.g. "Jinan Economic Development Zone Industry-Education Consortium".</param>
/// <param name="Kind"><c>vocationalEducationGroup</c> or <c>industryEducationConsortium</c>.</param>
/// <param name="Region">e.g. "Shandong, Jinan".</param>
/// <param name="Sectors">Sectors it serves, e.g. "intelligent manufacturing".</param>
/// <param name="LeadOrganizationIds">Registered organizations that lead it.</param>
/// <param name="EstablishedOn">The founding date, when known.</param>
/// <param name="TimeZone">IANA time zone its events are shown in; default Asia/Shanghai.</param>
public sealed record EstablishConsortiumRequest(
    string Name, ConsortiumKind Kind, string Region, [property: MaxLength(20)] IReadOnlyList<string>? Sectors = null, [property: MaxLength(20)] IReadOnlyList<Guid>? LeadOrganizationIds = null,
    DateOnly? EstablishedOn = null, string? TimeZone = null)
{
    internal IEnumerable<(string Field, string Message)> Check()
    {
        foreach (var problem in FieldChecks.Text(Name, "name", 300).Concat(FieldChecks.Text(Region, "region", 200)))
            yield return problem;
        for (var i = 0; i < (Sectors?.Count ?? 0); i++)
            foreach (var problem in FieldChecks.Text(Sectors![i], $"sectors[{i}]", 100))
                yield return problem;
        if (Sectors?.Count > 20) yield return ("sectors", "At most 20 sectors.");
        if (LeadOrganizationIds?.Count > 20) yield return ("leadOrganizationIds", "At most 20 lead organizations.");
        if (TimeZone is not null && !TimeZoneInfo.TryFindSystemTimeZoneById(TimeZone, out _))
            yield return ("timeZone", $"'{TimeZone}' is not an IANA time zone (e.g. Asia/Shanghai).");
    }
}

/// <summary>A consortium.</summary>
public sealed record ConsortiumResponse(
    Guid Id, string Name, ConsortiumKind Kind, string Region, IReadOnlyList<string> Sectors, IReadOnlyList<Guid> LeadOrganizationIds,
    DateOnly? EstablishedOn, string TimeZone, DateTimeOffset CreatedAt)
{
    internal static ConsortiumResponse From(Consortium c) =>
        new(c.Id, c.Name, c.Kind, c.Region, c.Sectors, c.LeadOrganizationIds, c.EstablishedOn, c.TimeZone, c.CreatedAt);
}

public static class ConsortiumEndpoints
{
    public static RouteGroupBuilder MapConsortia(this RouteGroupBuilder api)
    {
        var consortia = api.MapGroup("/consortia").WithTags("Consortia");
        consortia.MapPost("/", EstablishAsync).RequireOperator()
            .WithSummary("Establish a consortium (vocational education group or industry–education consortium).");
        consortia.MapGet("/", ListAsync).RequireScope(Scopes.MembershipRead)
            .WithSummary("Every consortium on the platform, newest first.");
        consortia.MapGet("/{id:guid}", GetAsync).RequireScope(Scopes.MembershipRead)
            .WithSummary("One consortium.");
        return api;
    }

    internal static async Task<Results<Created<ConsortiumResponse>, ValidationProblem>> EstablishAsync(
        EstablishConsortiumRequest request, MembershipDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        var errors = request.Check().ToList();
        var leads = request.LeadOrganizationIds ?? [];
        var known = await db.Organizations.Where(o => leads.Contains(o.Id)).Select(o => o.Id).ToListAsync(cancellationToken);
        for (var i = 0; i < leads.Count; i++)
            if (!known.Contains(leads[i])) errors.Add(($"leadOrganizationIds[{i}]", "No such organization; register it first."));
        if (errors.Count > 0) return Problems.Validation([.. errors]);

        var consortium = Consortium.Establish(Guid.CreateVersion7(), request.Name, request.Kind, request.Region, request.Sectors ?? [], leads,
            request.EstablishedOn, request.TimeZone, time.GetUtcNow());
        db.Consortia.Add(consortium);
        db.AddIntegrationEvent(new ConsortiumEstablished
        {
            ConsortiumId = consortium.Id,
            Name = consortium.Name,
            Kind = ApiEnum.Name(consortium.Kind),
            Region = consortium.Region,
            Sectors = consortium.Sectors,
            LeadOrganizationIds = consortium.LeadOrganizationIds,
            EstablishedOn = consortium.EstablishedOn,
            TimeZone = consortium.TimeZone,
            OccurredAt = consortium.CreatedAt,
        });
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/api/v1/consortia/{consortium.Id}", ConsortiumResponse.From(consortium));
    }

    internal static async Task<Ok<Page<ConsortiumResponse>>> ListAsync(PageRequest paging, MembershipDbContext db, CancellationToken cancellationToken)
    {
        var page = await db.Consortia.AsNoTracking().ToPageAsync(c => c.Id, paging, cancellationToken);
        return TypedResults.Ok(page.Map(ConsortiumResponse.From));
    }

    internal static async Task<Results<Ok<ConsortiumResponse>, ProblemHttpResult>> GetAsync(Guid id, MembershipDbContext db, CancellationToken cancellationToken) =>
        await db.Consortia.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, cancellationToken) is { } consortium
            ? TypedResults.Ok(ConsortiumResponse.From(consortium))
            : Problems.NotFound();
}
