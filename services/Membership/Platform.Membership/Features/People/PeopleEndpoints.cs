namespace Platform.Membership.Features.People;

public static class PeopleEndpoints
{
    public static RouteGroupBuilder MapPeople(this RouteGroupBuilder api)
    {
        var representatives = api.MapGroup("/organizations/{organizationId:guid}/representatives").WithTags("People");
        representatives.MapPost("/", AddRepresentativeAsync).WithName("addRepresentative").RequireScope(Scopes.MembershipWrite)
            .WithSummary("Add a representative of the organization (the operator, or the organization's own key).");
        representatives.MapGet("/", ListRepresentativesAsync).WithName("listRepresentatives").RequireScope(Scopes.MembershipRead)
            .WithSummary("The organization's representatives (the operator, or the organization's own key).");
        representatives.MapDelete("/{personId:guid}", RemoveRepresentativeAsync).WithName("removeRepresentative").RequireScope(Scopes.MembershipWrite)
            .WithSummary("Remove a representative: their name, title and email are deleted.");

        var mentors = api.MapGroup("/consortia/{consortiumId:guid}/mentors").WithTags("People");
        mentors.MapPost("/", AppointMentorAsync).WithName("appointMentor").RequireOperator()
            .WithSummary("Appoint an enterprise staff member as a corporate mentor of the consortium.");
        mentors.MapGet("/", ListMentorsAsync).WithName("listMentors").RequireScope(Scopes.MembershipRead)
            .WithSummary("The consortium's corporate mentors (visible to its members; emails only to the mentor's own organization).");
        return api;
    }

    internal static async Task<Results<Created<PersonResponse>, ProblemHttpResult>> AddRepresentativeAsync(
        Guid organizationId, AddRepresentativeRequest request, Caller caller, MembershipDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        if (!caller.CanActFor(organizationId) || !await db.Organizations.AnyAsync(o => o.Id == organizationId, cancellationToken)) return Problems.NotFound();
        var person = Person.Representative(Guid.CreateVersion7(), organizationId, request.Name, request.Title, request.Email, time.GetUtcNow());
        db.People.Add(person);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/api/v1/organizations/{organizationId}/representatives/{person.Id}", PersonResponse.From(person, caller));
    }

    internal static async Task<Results<Ok<Page<PersonResponse>>, ProblemHttpResult>> ListRepresentativesAsync(
        Guid organizationId, PageRequest paging, Caller caller, MembershipDbContext db, CancellationToken cancellationToken)
    {
        if (!caller.CanActFor(organizationId) || !await db.Organizations.AnyAsync(o => o.Id == organizationId, cancellationToken)) return Problems.NotFound();
        var page = await db.People.AsNoTracking().Where(p => p.OrganizationId == organizationId && p.Role == PersonRole.Representative)
            .ToPageAsync(p => p.Id, paging, cancellationToken);
        return TypedResults.Ok(page.Map(p => PersonResponse.From(p, caller)));
    }

    internal static async Task<Results<NoContent, ProblemHttpResult>> RemoveRepresentativeAsync(
        Guid organizationId, Guid personId, Caller caller, MembershipDbContext db, CancellationToken cancellationToken)
    {
        if (!caller.CanActFor(organizationId)) return Problems.NotFound();
        var removed = await db.People.Where(p => p.Id == personId && p.OrganizationId == organizationId && p.Role == PersonRole.Representative)
            .ExecuteDeleteAsync(cancellationToken);
        return removed == 0 ? Problems.NotFound() : TypedResults.NoContent();
    }

    internal static async Task<Results<Created<PersonResponse>, ValidationProblem, ProblemHttpResult>> AppointMentorAsync(
        Guid consortiumId, AppointMentorRequest request, Caller caller, MembershipDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        if (!await db.Consortia.AnyAsync(c => c.Id == consortiumId, cancellationToken)) return Problems.NotFound("No such consortium.");
        var employer = await (
            from m in db.Memberships
            join o in db.Organizations on m.OrganizationId equals o.Id
            where m.ConsortiumId == consortiumId && m.OrganizationId == request.OrganizationId && m.Status == MembershipStatus.Active
            select o).FirstOrDefaultAsync(cancellationToken);
        if (employer is null) return Problems.Validation(("organizationId", "Not an active member of this consortium."));
        if (employer.Kind != OrganizationKind.Enterprise) return Problems.Validation(("organizationId", "Corporate mentors are enterprise staff; this organization is not an enterprise."));

        var mentor = Person.CorporateMentor(Guid.CreateVersion7(), consortiumId, employer.Id, request.Name, request.Title, request.Email, time.GetUtcNow());
        db.People.Add(mentor);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/api/v1/consortia/{consortiumId}/mentors/{mentor.Id}", PersonResponse.From(mentor, caller));
    }

    internal static async Task<Results<Ok<Page<PersonResponse>>, ProblemHttpResult>> ListMentorsAsync(
        Guid consortiumId, PageRequest paging, Caller caller, MembershipDbContext db, CancellationToken cancellationToken)
    {
        if (!await ConsortiumAccess.CanReadAsync(db, caller, consortiumId, cancellationToken)) return Problems.NotFound();
        var page = await db.People.AsNoTracking().Where(p => p.MentorForConsortiumId == consortiumId && p.Role == PersonRole.CorporateMentor)
            .ToPageAsync(p => p.Id, paging, cancellationToken);
        return TypedResults.Ok(page.Map(p => PersonResponse.From(p, caller)));
    }
}
