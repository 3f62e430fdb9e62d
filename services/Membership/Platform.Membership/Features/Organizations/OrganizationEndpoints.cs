using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Platform.Membership.Contracts;
using Platform.Membership.Domain;
using Platform.Membership.Persistence;
using Platform.ServiceDefaults.Auth;
using Platform.ServiceDefaults.Http;
using Platform.ServiceDefaults.Messaging;
using Platform.ServiceDefaults.Persistence;

namespace Platform.Membership.Features.Organizations;

/// <summary>Register an organization (operator).</summary>
/// <param name="Name">Full registered name, e.g. "Shandong Labor Vocational and Technical College".</param>
/// <param name="Kind">What kind of organization it is.</param>
/// <param name="Region">Province and city, e.g. "Shandong, Jinan".</param>
/// <param name="UnifiedSocialCreditCode">Optional 18-character GB 32100 code; the check digit is verified and the code must be unique.</param>
/// <param name="IsIllustrative">True for invented demo organizations, so nobody mistakes them for real ones.</param>
public sealed record RegisterOrganizationRequest(string Name, OrganizationKind Kind, string Region, string? UnifiedSocialCreditCode = null, bool IsIllustrative = false)
{
    internal IEnumerable<(string Field, string Message)> Check() =>
        FieldChecks.Text(Name, "name", 300).Concat(FieldChecks.Text(Region, "region", 200));
}

/// <summary>Change an organization's profile (the operator, or a partner key of the organization itself).</summary>
public sealed record UpdateOrganizationRequest(string Name, string Region)
{
    internal IEnumerable<(string Field, string Message)> Check() =>
        FieldChecks.Text(Name, "name", 300).Concat(FieldChecks.Text(Region, "region", 200));
}

/// <summary>An organization registered on the platform.</summary>
public sealed record OrganizationResponse(
    Guid Id, string Name, OrganizationKind Kind, string Region, string? UnifiedSocialCreditCode, bool IsIllustrative,
    DateTimeOffset RegisteredAt, DateTimeOffset UpdatedAt)
{
    internal static OrganizationResponse From(Organization o) =>
        new(o.Id, o.Name, o.Kind, o.Region, o.UnifiedSocialCreditCode, o.IsIllustrative, o.RegisteredAt, o.UpdatedAt);
}

public static class OrganizationEndpoints
{
    internal const string CreditCodeIndex = "ix_organizations_unified_social_credit_code";

    public static RouteGroupBuilder MapOrganizations(this RouteGroupBuilder api)
    {
        var organizations = api.MapGroup("/organizations").WithTags("Organizations");
        organizations.MapPost("/", RegisterAsync).RequireOperator()
            .WithSummary("Register an organization (college, enterprise, institute, agency, association…).");
        organizations.MapGet("/", SearchAsync).RequireScope(Scopes.MembershipRead)
            .WithSummary("Search organizations by name fragment, kind and region; newest first.");
        organizations.MapGet("/{id:guid}", GetAsync).RequireScope(Scopes.MembershipRead)
            .WithSummary("One organization.");
        organizations.MapPut("/{id:guid}", UpdateAsync).RequireScope(Scopes.MembershipWrite)
            .WithSummary("Change the organization's name and region (the operator, or the organization's own key).");
        return api;
    }

    internal static async Task<Results<Created<OrganizationResponse>, ValidationProblem, ProblemHttpResult>> RegisterAsync(
        RegisterOrganizationRequest request, MembershipDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        var errors = request.Check().ToList();
        UnifiedSocialCreditCode? code = null;
        if (request.UnifiedSocialCreditCode is not null && !UnifiedSocialCreditCode.TryParse(request.UnifiedSocialCreditCode, out code, out var codeError))
            errors.Add(("unifiedSocialCreditCode", codeError!));
        if (errors.Count > 0) return Problems.Validation([.. errors]);

        if (code is not null && await ExistingWithCodeAsync(db, code.Value, cancellationToken) is { } existing)
            return CreditCodeTaken(existing);

        var organization = Organization.Register(Guid.CreateVersion7(), request.Name, request.Kind, request.Region, code, request.IsIllustrative, time.GetUtcNow());
        db.Organizations.Add(organization);
        db.AddIntegrationEvent(new OrganizationRegistered
        {
            OrganizationId = organization.Id,
            Name = organization.Name,
            Kind = ApiEnum.Name(organization.Kind),
            Region = organization.Region,
            UnifiedSocialCreditCode = organization.UnifiedSocialCreditCode,
            OccurredAt = organization.RegisteredAt,
        });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException e) when (e.IsUniqueViolation(CreditCodeIndex))
        {
            // Registered by a concurrent request between our check and our insert.
            db.ChangeTracker.Clear();
            return CreditCodeTaken((await ExistingWithCodeAsync(db, code!.Value, cancellationToken))!);
        }
        return TypedResults.Created($"/api/v1/organizations/{organization.Id}", OrganizationResponse.From(organization));
    }

    private static Task<Organization?> ExistingWithCodeAsync(MembershipDbContext db, string code, CancellationToken cancellationToken) =>
        db.Organizations.AsNoTracking().FirstOrDefaultAsync(o => o.UnifiedSocialCreditCode == code, cancellationToken);

    private static ProblemHttpResult CreditCodeTaken(Organization existing) =>
        Problems.Conflict(
            $"The unified social credit code {existing.UnifiedSocialCreditCode} is already registered to '{existing.Name}' ({existing.Id}).",
            new { organizationId = existing.Id, name = existing.Name });

    internal static async Task<Ok<Page<OrganizationResponse>>> SearchAsync(
        string? name, ApiEnum<OrganizationKind>? kind, string? region, PageRequest paging, MembershipDbContext db, CancellationToken cancellationToken)
    {
        OrganizationKind? kindFilter = kind?.Value;
        var query = db.Organizations.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(name)) query = query.Where(o => EF.Functions.ILike(o.Name, "%" + Like.Escape(name.Trim()) + "%"));
        if (kindFilter is not null) query = query.Where(o => o.Kind == kindFilter);
        if (!string.IsNullOrWhiteSpace(region)) query = query.Where(o => EF.Functions.ILike(o.Region, "%" + Like.Escape(region.Trim()) + "%"));
        var page = await query.ToPageAsync(o => o.Id, paging, cancellationToken);
        return TypedResults.Ok(page.Map(OrganizationResponse.From));
    }

    internal static async Task<Results<Ok<OrganizationResponse>, ProblemHttpResult>> GetAsync(Guid id, MembershipDbContext db, CancellationToken cancellationToken) =>
        await db.Organizations.AsNoTracking().FirstOrDefaultAsync(o => o.Id == id, cancellationToken) is { } organization
            ? TypedResults.Ok(OrganizationResponse.From(organization))
            : Problems.NotFound();

    internal static async Task<Results<Ok<OrganizationResponse>, ValidationProblem, ProblemHttpResult>> UpdateAsync(
        Guid id, UpdateOrganizationRequest request, Caller caller, MembershipDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        var errors = request.Check().ToList();
        if (errors.Count > 0) return Problems.Validation([.. errors]);
        return await db.RetryOnConflictAsync<Results<Ok<OrganizationResponse>, ValidationProblem, ProblemHttpResult>>(async () =>
        {
            var organization = await db.Organizations.FirstOrDefaultAsync(o => o.Id == id, cancellationToken);
            // Another organization's profile is not the caller's to change; answered as if it did not exist.
            if (!caller.CanSee(organization, o => o.Id)) return Problems.NotFound();
            organization.UpdateProfile(request.Name, request.Region, time.GetUtcNow());
            db.AddIntegrationEvent(new OrganizationUpdated
            {
                OrganizationId = organization.Id,
                Name = organization.Name,
                Kind = ApiEnum.Name(organization.Kind),
                Region = organization.Region,
                UnifiedSocialCreditCode = organization.UnifiedSocialCreditCode,
                OccurredAt = organization.UpdatedAt,
            });
            await db.SaveChangesAsync(cancellationToken);
            return TypedResults.Ok(OrganizationResponse.From(organization));
        });
    }
}
