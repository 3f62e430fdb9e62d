using System.Collections.Concurrent;
using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Platform.ServiceDefaults.Auth;
using Platform.ServiceDefaults.Http;

namespace Platform.ServiceDefaults.Tests.TestApp;

public enum ThingKind
{
    OrderClass,
    Apprenticeship,
    InternshipBase,
}

public sealed record ThingPart(string Label, ThingKind Kind);

public sealed record CreateThing(string Name, ThingKind Kind, int Seats, DateTimeOffset? StartsAt = null, IReadOnlyList<ThingPart>? Parts = null,
    [property: MultiLine, MaxLength(50)] string? Notes = null, [property: MaxLength(3)] IReadOnlyList<string>? Tags = null, [Range(1, 500)] int? Rows = null,
    DateOnly? OpensOn = null, bool Urgent = false) : IValidatedRequest
{
    public IEnumerable<(string Field, string Message)> Validate()
    {
        if (OpensOn is { } opens && StartsAt is { } starts && opens > DateOnly.FromDateTime(starts.UtcDateTime))
            yield return ("opensOn", "Must not be after startsAt.");
        if (Rows is not null && Parts is null or { Count: 0 })
            yield return ("parts", "Required when rows is given.");
    }
}

public sealed record ThingResponse(Guid Id, Guid OrganizationId, string Name, DateTimeOffset CreatedAt)
{
    public static ThingResponse From(TestItem item) => new(item.Id, item.OrganizationId, item.Name, item.CreatedAt);
}

public sealed record WhoAmI(CallerKind Kind, Guid? ApiClientId, Guid? OrganizationId, IReadOnlyList<string> Scopes);

/// <summary>Endpoints written the way the services write theirs: an endpoint group, TypedResults, Problems, Caller, paging.</summary>
public static partial class TestEndpoints
{
    public static void MapTestEndpoints(this IEndpointRouteBuilder app)
    {
        var api = app.MapPlatformApi().WithTags("Things");
        api.MapPost("/things", CreateAsync).RequireScope(Scopes.PipelineWrite).WithName("createThing");
        api.MapGet("/things", ListAsync).RequireScope(Scopes.PipelineRead).WithName("listThings");
        api.MapGet("/things/by-time", ListByTimeAsync).RequireScope(Scopes.PipelineRead);
        api.MapGet("/things/{thingId:guid}", GetAsync).RequireScope(Scopes.PipelineRead).WithName("getThing");
        api.MapPost("/things/{thingId:guid}/archive", (Guid thingId) => Problems.Conflict("An archived thing cannot be archived again.", new { status = "archived" }))
            .RequireScope(Scopes.PipelineWrite).WithName("archiveThing");
        api.MapPost("/flaky", Flaky).RequireScope(Scopes.PipelineWrite);
        api.MapPost("/not-yet", NotYet).RequireScope(Scopes.PipelineWrite);
        api.MapGet("/whoami", (Caller caller) => TypedResults.Ok(new WhoAmI(caller.Kind, caller.ApiClientId, caller.OrganizationId, caller.Scopes.Order().ToList())));
        api.MapGet("/boom", string () => throw new InvalidOperationException("secret-internal-detail in Platform.Internals"));
        api.MapGet("/public", () => TypedResults.Ok("anyone")).AllowAnonymous();
    }

    private static async Task<Results<Created<ThingResponse>, ValidationProblem>> CreateAsync(
        CreateThing request, Caller caller, TestDbContext db, TimeProvider time, Calls calls, ILogger<TestDbContext> logger, CancellationToken cancellationToken)
    {
        await calls.EnterAsync(request.Name);
        if (string.IsNullOrWhiteSpace(request.Name)) return Problems.Validation(("name", "Must not be blank."));

        var item = new TestItem { Id = Guid.CreateVersion7(), OrganizationId = caller.OrganizationId ?? Guid.Empty, Name = request.Name, CreatedAt = time.GetUtcNow() };
        db.Items.Add(item);
        await db.SaveChangesAsync(cancellationToken);
        LogCreated(logger, item.Id);
        return TypedResults.Created($"/api/v1/things/{item.Id}", ThingResponse.From(item));
    }

    // kind is accepted (and validated) to show how a query enum binds; the test items have no kind.
    private static async Task<Ok<Page<ThingResponse>>> ListAsync(Caller caller, PageRequest page, TestDbContext db, CancellationToken cancellationToken,
        Guid? organizationId = null, ApiEnum<ThingKind>? kind = null)
    {
        var items = await db.Items.Where(i => caller.IsOperator || i.OrganizationId == caller.OrganizationId)
            .Where(i => organizationId == null || i.OrganizationId == organizationId)
            .ToPageAsync(i => i.Id, page, cancellationToken);
        return TypedResults.Ok(items.Map(ThingResponse.From));
    }

    private static async Task<Ok<Page<ThingResponse>>> ListByTimeAsync(PageRequest page, TestDbContext db, CancellationToken cancellationToken)
    {
        var items = await db.Items.ToPageAsync(i => i.CreatedAt, i => i.Id, page, cancellationToken);
        return TypedResults.Ok(items.Map(ThingResponse.From));
    }

    private static async Task<Results<Ok<ThingResponse>, ProblemHttpResult>> GetAsync(Guid thingId, Caller caller, TestDbContext db, CancellationToken cancellationToken)
    {
        var item = await db.Items.FindAsync([thingId], cancellationToken);
        if (!caller.CanSee(item, i => i.OrganizationId)) return Problems.NotFound();
        return TypedResults.Ok(ThingResponse.From(item));
    }

    /// <summary>Fails with 503 the first time it sees a name, then succeeds.</summary>
    private static async Task<Results<Created<ThingResponse>, ProblemHttpResult>> Flaky(CreateThing request, Calls calls)
    {
        var count = await calls.EnterAsync(request.Name);
        if (count == 1) return Problems.Status(StatusCodes.Status503ServiceUnavailable, "Try again.");
        return TypedResults.Created("/api/v1/things/flaky", new ThingResponse(Guid.Empty, Guid.Empty, request.Name, DateTimeOffset.UnixEpoch));
    }

    /// <summary>Refuses the first call of a name with a 400 that depends on state (as "not a member yet" does), accepts the next.</summary>
    private static async Task<Results<Created<ThingResponse>, ValidationProblem>> NotYet(CreateThing request, Calls calls)
    {
        var count = await calls.EnterAsync(request.Name);
        if (count == 1) return Problems.Validation(("name", "Not known yet."));
        return TypedResults.Created("/api/v1/things/not-yet", new ThingResponse(Guid.Empty, Guid.Empty, request.Name, DateTimeOffset.UnixEpoch));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Created thing {ThingId}")]
    private static partial void LogCreated(ILogger logger, Guid thingId);

    /// <summary>Counts handler runs per name, and can hold a run at a gate until the test opens it.</summary>
    public sealed class Calls
    {
        private readonly ConcurrentDictionary<string, int> _counts = new(StringComparer.Ordinal);
        private readonly ConcurrentDictionary<string, (TaskCompletionSource Entered, TaskCompletionSource Open)> _gates = new(StringComparer.Ordinal);

        public int CountOf(string name) => _counts.GetValueOrDefault(name);

        /// <summary>The first run of <paramref name="name"/> will wait until the returned gate is opened.</summary>
        public (Task Entered, TaskCompletionSource Open) HoldAt(string name)
        {
            var gate = (new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
            _gates[name] = gate;
            return (gate.Item1.Task, gate.Item2);
        }

        public async Task<int> EnterAsync(string name)
        {
            var count = _counts.AddOrUpdate(name, 1, (_, n) => n + 1);
            if (count == 1 && _gates.TryGetValue(name, out var gate))
            {
                gate.Entered.TrySetResult();
                await gate.Open.Task.WaitAsync(TimeSpan.FromSeconds(30));
            }
            return count;
        }
    }
}
