using Microsoft.AspNetCore.Http.HttpResults;
using Platform.ServiceDefaults.Auth;

namespace Platform.Webhooks.Features.Endpoints;

public static class WebhookEndpointEndpoints
{
    public static IEndpointRouteBuilder MapWebhookEndpoints(this IEndpointRouteBuilder api)
    {
        var endpoints = api.MapGroup("/webhook-endpoints").WithTags("Webhook endpoints");
        endpoints.MapPost("/", RegisterAsync).WithName("registerWebhookEndpoint").RequireScope(Scopes.WebhooksManage)
            .WithSummary("Register an endpoint for the caller's organization; the answer carries its signing secret, shown once.");
        endpoints.MapGet("/", ListAsync).WithName("listWebhookEndpoints").RequireScope(Scopes.WebhooksManage)
            .WithSummary("The caller's organization's endpoints (every organization's, or one's with organizationId, for the operator), newest first.");
        endpoints.MapGet("/{endpointId:guid}", GetAsync).WithName("getWebhookEndpoint").RequireScope(Scopes.WebhooksManage).WithSummary("One endpoint.");
        endpoints.MapPut("/{endpointId:guid}", UpdateAsync).WithName("updateWebhookEndpoint").RequireScope(Scopes.WebhooksManage)
            .WithSummary("Change the endpoint's URL, event types and description.");
        endpoints.MapPost("/{endpointId:guid}/disable", DisableAsync).WithName("disableWebhookEndpoint").RequireScope(Scopes.WebhooksManage)
            .WithSummary("Stop deliveries to an enabled endpoint.");
        endpoints.MapPost("/{endpointId:guid}/enable", EnableAsync).WithName("enableWebhookEndpoint").RequireScope(Scopes.WebhooksManage)
            .WithSummary("Resume deliveries to a disabled endpoint.");
        endpoints.MapDelete("/{endpointId:guid}", DeleteAsync).WithName("deleteWebhookEndpoint").RequireScope(Scopes.WebhooksManage)
            .WithSummary("Remove the endpoint; nothing more is delivered to it.");
        endpoints.MapPost("/{endpointId:guid}/rotate-secret", RotateSecretAsync).WithName("rotateWebhookEndpointSecret").RequireScope(Scopes.WebhooksManage)
            .WithSummary("A new signing secret (shown once); the replaced one keeps signing beside it for 24 hours.");
        endpoints.MapPost("/{endpointId:guid}/test", TestAsync).WithName("testWebhookEndpoint").RequireScope(Scopes.WebhooksManage)
            .WithSummary("Send a signed webhook.test delivery now and answer what the endpoint replied (10 s timeout, redirects not followed).");
        return api;
    }

    private static async Task<Results<Created<RegisteredWebhookEndpointResponse>, ValidationProblem>> RegisterAsync(RegisterWebhookEndpointRequest request,
        Caller caller, WebhooksDbContext db, WebhookTargets targets, TimeProvider time, CancellationToken cancellationToken)
    {
        var errors = new List<(string, string)>();
        Guid organizationId;
        if (caller.IsOperator)
        {
            if (request.OrganizationId is not { } chosen || chosen == Guid.Empty)
            {
                errors.Add(("organizationId", "The operator names the organization the endpoint receives for."));
                chosen = Guid.Empty;
            }
            organizationId = chosen;
        }
        else
        {
            organizationId = caller.OrganizationId!.Value;
            if (request.OrganizationId is { } other && other != organizationId)
                errors.Add(("organizationId", "A partner registers endpoints for its own organization only; omit organizationId."));
        }
        if (await targets.ProblemAsync(request.Url, cancellationToken) is { } urlProblem) errors.Add(("url", urlProblem));
        if (organizationId != Guid.Empty) errors.AddRange(await NeverVisibleAsync(db, organizationId, request.EventTypes, cancellationToken));
        if (errors.Count > 0) return Problems.Validation([.. errors]);

        var endpoint = WebhookEndpoint.Register(Guid.CreateVersion7(), organizationId, request.Url, request.EventTypes.Select(ApiEnum.Name),
            Clean(request.Description), time.GetUtcNow());
        db.Endpoints.Add(endpoint);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"{PlatformApi.Prefix}/webhook-endpoints/{endpoint.Id}", RegisteredWebhookEndpointResponse.From(endpoint));
    }

    private static async Task<Ok<Page<WebhookEndpointResponse>>> ListAsync(Guid? organizationId, ApiEnum<WebhookEndpointStatus>? status, PageRequest page,
        Caller caller, WebhooksDbContext db, CancellationToken cancellationToken)
    {
        var query = db.Endpoints.AsNoTracking();
        if (!caller.IsOperator) query = query.Where(e => e.OrganizationId == caller.OrganizationId);
        if (organizationId is { } o) query = query.Where(e => e.OrganizationId == o);
        if (status?.Value is { } s) query = query.Where(e => e.Status == s);
        var result = await query.ToPageAsync(e => e.Id, page, cancellationToken);
        return TypedResults.Ok(result.Map(WebhookEndpointResponse.From));
    }

    private static async Task<Results<Ok<WebhookEndpointResponse>, ProblemHttpResult>> GetAsync(Guid endpointId, Caller caller, WebhooksDbContext db,
        CancellationToken cancellationToken)
    {
        var endpoint = await db.Endpoints.AsNoTracking().FirstOrDefaultAsync(e => e.Id == endpointId, cancellationToken);
        if (!caller.CanSee(endpoint, e => e.OrganizationId)) return Problems.NotFound();
        return TypedResults.Ok(WebhookEndpointResponse.From(endpoint));
    }

    private static async Task<Results<Ok<WebhookEndpointResponse>, ValidationProblem, ProblemHttpResult>> UpdateAsync(Guid endpointId,
        UpdateWebhookEndpointRequest request, Caller caller, WebhooksDbContext db, WebhookTargets targets, TimeProvider time, CancellationToken cancellationToken)
    {
        var endpoint = await db.Endpoints.FirstOrDefaultAsync(e => e.Id == endpointId, cancellationToken);
        if (!caller.CanSee(endpoint, e => e.OrganizationId)) return Problems.NotFound();
        var errors = new List<(string, string)>();
        if (await targets.ProblemAsync(request.Url, cancellationToken) is { } urlProblem) errors.Add(("url", urlProblem));
        errors.AddRange(await NeverVisibleAsync(db, endpoint.OrganizationId, request.EventTypes, cancellationToken));
        if (errors.Count > 0) return Problems.Validation([.. errors]);
        endpoint.Update(request.Url, request.EventTypes.Select(ApiEnum.Name), Clean(request.Description), time.GetUtcNow());
        return await ConflictOnSaveAsync(db, cancellationToken) is { } conflict ? conflict : TypedResults.Ok(WebhookEndpointResponse.From(endpoint));
    }

    private static async Task<Results<Ok<WebhookEndpointResponse>, ProblemHttpResult>> DisableAsync(Guid endpointId, Caller caller, WebhooksDbContext db,
        TimeProvider time, CancellationToken cancellationToken)
    {
        var endpoint = await db.Endpoints.FirstOrDefaultAsync(e => e.Id == endpointId, cancellationToken);
        if (!caller.CanSee(endpoint, e => e.OrganizationId)) return Problems.NotFound();
        if (endpoint.Status == WebhookEndpointStatus.Disabled) return Problems.Conflict("The endpoint is already disabled.", CurrentState(endpoint));
        endpoint.Disable(caller.IsOperator ? "Disabled by the operator." : "Disabled by the organization.", time.GetUtcNow());
        return await ConflictOnSaveAsync(db, cancellationToken) is { } conflict ? conflict : TypedResults.Ok(WebhookEndpointResponse.From(endpoint));
    }

    private static async Task<Results<Ok<WebhookEndpointResponse>, ProblemHttpResult>> EnableAsync(Guid endpointId, Caller caller, WebhooksDbContext db,
        TimeProvider time, CancellationToken cancellationToken)
    {
        var endpoint = await db.Endpoints.FirstOrDefaultAsync(e => e.Id == endpointId, cancellationToken);
        if (!caller.CanSee(endpoint, e => e.OrganizationId)) return Problems.NotFound();
        if (endpoint.Status == WebhookEndpointStatus.Enabled) return Problems.Conflict("The endpoint is already enabled.", CurrentState(endpoint));
        endpoint.Enable(time.GetUtcNow());
        return await ConflictOnSaveAsync(db, cancellationToken) is { } conflict ? conflict : TypedResults.Ok(WebhookEndpointResponse.From(endpoint));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(Guid endpointId, Caller caller, WebhooksDbContext db,
        CancellationToken cancellationToken)
    {
        var endpoint = await db.Endpoints.FirstOrDefaultAsync(e => e.Id == endpointId, cancellationToken);
        if (!caller.CanSee(endpoint, e => e.OrganizationId)) return Problems.NotFound();
        db.Endpoints.Remove(endpoint);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.NoContent();
    }

    private static async Task<Results<Ok<RotatedSecretResponse>, ProblemHttpResult>> RotateSecretAsync(Guid endpointId, Caller caller, WebhooksDbContext db,
        TimeProvider time, CancellationToken cancellationToken)
    {
        var endpoint = await db.Endpoints.FirstOrDefaultAsync(e => e.Id == endpointId, cancellationToken);
        if (!caller.CanSee(endpoint, e => e.OrganizationId)) return Problems.NotFound();
        var secret = endpoint.RotateSecret(time.GetUtcNow());
        if (await ConflictOnSaveAsync(db, cancellationToken) is { } conflict) return conflict;
        return TypedResults.Ok(new RotatedSecretResponse(endpoint.Id, secret, endpoint.PreviousSecretExpiresAt!.Value));
    }

    private static async Task<Results<Ok<TestDeliveryResponse>, ProblemHttpResult>> TestAsync(Guid endpointId, Caller caller, WebhooksDbContext db,
        WebhookSender sender, TimeProvider time, CancellationToken cancellationToken)
    {
        var endpoint = await db.Endpoints.AsNoTracking().FirstOrDefaultAsync(e => e.Id == endpointId, cancellationToken);
        if (!caller.CanSee(endpoint, e => e.OrganizationId)) return Problems.NotFound();
        var messageId = WebhookSigner.NewMessageId();
        var body = JsonSerializer.Serialize(new
        {
            type = ApiEnum.Name(WebhookEventType.WebhookTest),
            timestamp = time.GetUtcNow(),
            data = new { endpointId = endpoint.Id, organizationId = endpoint.OrganizationId },
        }, PlatformJson.Options);
        var outcome = await sender.SendAsync(endpoint, messageId, body, cancellationToken);
        return TypedResults.Ok(new TestDeliveryResponse(messageId, outcome.Succeeded, outcome.StatusCode, (long)outcome.Duration.TotalMilliseconds,
            outcome.Error, outcome.ResponseSnippet));
    }

    /// <summary>
    /// The subscribed types the organization may never be sent (Domain/Audience.cs), each naming its position:
    /// placement.flagged only for colleges, and an organization whose kind is not known yet is not one.
    /// </summary>
    private static async Task<IEnumerable<(string, string)>> NeverVisibleAsync(WebhooksDbContext db, Guid organizationId,
        IReadOnlyList<WebhookEventType> eventTypes, CancellationToken cancellationToken)
    {
        var kind = await db.Organizations.AsNoTracking().Where(o => o.Id == organizationId).Select(o => o.Kind).FirstOrDefaultAsync(cancellationToken);
        return eventTypes.Select((type, i) => (type, i))
            .Where(t => t.type != WebhookEventType.WebhookTest && !Audience.MayEverSee(t.type, kind))
            .Select(t => ($"eventTypes[{t.i}]", $"{ApiEnum.Name(t.type)} is sent only to colleges (technicianCollege, vocationalCollege, university); "
                + $"this organization is {(kind is null ? "not known to be one yet" : $"a {kind}")}."))
            .ToList();
    }

    /// <summary>Saves; a concurrent change of the same endpoint (xmin) answers 409 instead.</summary>
    private static async Task<ProblemHttpResult?> ConflictOnSaveAsync(WebhooksDbContext db, CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return null;
        }
        catch (DbUpdateConcurrencyException)
        {
            return Problems.Conflict("The endpoint changed meanwhile; read it again and retry.", code: ProblemCode.ConcurrentChange);
        }
    }

    private static string? Clean(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    private static object CurrentState(WebhookEndpoint endpoint) =>
        new { status = ApiEnum.Name(endpoint.Status), allowedActions = new[] { endpoint.Status == WebhookEndpointStatus.Enabled ? "disable" : "enable" } };
}
