namespace Platform.Membership.Features.Organizations;

public static class OrganizationEndpoints
{
    internal const string CreditCodeIndex = "ix_organizations_unified_social_credit_code";

    public static RouteGroupBuilder MapOrganizations(this RouteGroupBuilder api)
    {
        var organizations = api.MapGroup("/organizations").WithTags("Organizations");
        organizations.MapPost("/", RegisterAsync).WithName("registerOrganization").RequireOperator()
            .WithSummary("Register an organization (college, enterprise, institute, agency, association…).");
        organizations.MapGet("/", SearchAsync).WithName("searchOrganizations").RequireScope(Scopes.MembershipRead)
            .WithSummary("Search organizations by name fragment (English or Chinese), kind and region; newest first.");
        organizations.MapGet("/{organizationId:guid}", GetAsync).WithName("getOrganization").RequireScope(Scopes.MembershipRead)
            .WithSummary("One organization.");
        organizations.MapPut("/{organizationId:guid}", UpdateAsync).WithName("updateOrganization").RequireScope(Scopes.MembershipWrite)
            .WithSummary("Change the organization's names and region (the operator, or the organization's own key).");
        return api;
    }

    internal static async Task<Results<Created<OrganizationResponse>, ProblemHttpResult>> RegisterAsync(
        RegisterOrganizationRequest request, MembershipDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        var code = request.CreditCode;

        if (code is not null && await ExistingWithCodeAsync(db, code.Value, cancellationToken) is { } existing)
            return CreditCodeTaken(existing);

        var organization = Organization.Register(Guid.CreateVersion7(), request.Name, request.Kind, request.Region, code, request.IsIllustrative, time.GetUtcNow(), request.NameZh);
        db.Organizations.Add(organization);
        db.AddIntegrationEvent(new OrganizationRegistered
        {
            OrganizationId = organization.Id,
            Name = organization.Name,
            NameZh = organization.NameZh,
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
            new { organizationId = existing.Id, name = existing.Name }, ProblemCode.AlreadyExists);

    internal static async Task<Ok<Page<OrganizationResponse>>> SearchAsync(
        string? name, ApiEnum<OrganizationKind>? kind, string? region, PageRequest paging, MembershipDbContext db, CancellationToken cancellationToken)
    {
        OrganizationKind? kindFilter = kind?.Value;
        var query = db.Organizations.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(name))
        {
            var pattern = "%" + Like.Escape(name.Trim()) + "%";
            // A fragment of either name finds the organization: Chinese readers search in Chinese.
            query = query.Where(o => EF.Functions.ILike(o.Name, pattern) || (o.NameZh != null && EF.Functions.ILike(o.NameZh, pattern)));
        }
        if (kindFilter is not null) query = query.Where(o => o.Kind == kindFilter);
        if (!string.IsNullOrWhiteSpace(region)) query = query.Where(o => EF.Functions.ILike(o.Region, "%" + Like.Escape(region.Trim()) + "%"));
        var page = await query.ToPageAsync(o => o.Id, paging, cancellationToken);
        return TypedResults.Ok(page.Map(OrganizationResponse.From));
    }

    internal static async Task<Results<Ok<OrganizationResponse>, ProblemHttpResult>> GetAsync(Guid organizationId, MembershipDbContext db, CancellationToken cancellationToken) =>
        await db.Organizations.AsNoTracking().FirstOrDefaultAsync(o => o.Id == organizationId, cancellationToken) is { } organization
            ? TypedResults.Ok(OrganizationResponse.From(organization))
            : Problems.NotFound();

    internal static async Task<Results<Ok<OrganizationResponse>, ProblemHttpResult>> UpdateAsync(
        Guid organizationId, UpdateOrganizationRequest request, Caller caller, MembershipDbContext db, TimeProvider time, CancellationToken cancellationToken) =>
        await db.RetryOnConflictAsync<Results<Ok<OrganizationResponse>, ProblemHttpResult>>(async () =>
        {
            var organization = await db.Organizations.FirstOrDefaultAsync(o => o.Id == organizationId, cancellationToken);
            // Another organization's profile is not the caller's to change; answered as if it did not exist.
            if (!caller.CanSee(organization, o => o.Id)) return Problems.NotFound();
            organization.UpdateProfile(request.Name, request.NameZh, request.Region, time.GetUtcNow());
            db.AddIntegrationEvent(new OrganizationUpdated
            {
                OrganizationId = organization.Id,
                Name = organization.Name,
                NameZh = organization.NameZh,
                Kind = ApiEnum.Name(organization.Kind),
                Region = organization.Region,
                UnifiedSocialCreditCode = organization.UnifiedSocialCreditCode,
                OccurredAt = organization.UpdatedAt,
            });
            await db.SaveChangesAsync(cancellationToken);
            return TypedResults.Ok(OrganizationResponse.From(organization));
        });
}
