using System.Text.Json.Nodes;

namespace Platform.Dashboard.Features.Webhooks;

/// <summary>
/// The Webhooks view: every registered endpoint and, per endpoint, its delivery log with "redeliver", read from the
/// webhooks service with the operator key. A webhooks service that is down gives a page that says so (200 with
/// <c>available: false</c>), not an error; only a redeliver that could not be handed over answers 503.
/// </summary>
public static class WebhookEndpoints
{
    public static IEndpointRouteBuilder MapWebhooks(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/webhooks").WithTags("Webhooks");
        api.MapGet("/endpoints", ListEndpointsAsync);
        api.MapGet("/endpoints/{endpointId}/deliveries", ListDeliveriesAsync);
        api.MapGet("/endpoints/{endpointId}/deliveries/{deliveryId}", GetDeliveryAsync);
        api.MapPost("/endpoints/{endpointId}/deliveries/{deliveryId}/redeliver", RedeliverAsync);
        return endpoints;
    }

    /// <summary>A page of the webhooks service's list, as it answered it (<c>items</c>, <c>nextCursor</c>), or why there is none.</summary>
    public sealed record WebhooksPage(bool Available, string? Problem, IReadOnlyList<JsonNode?> Items, string? NextCursor);

    /// <summary>One delivery with its payload and attempts, as the webhooks service answered it, or why there is none.</summary>
    public sealed record WebhookDeliveryView(bool Available, string? Problem, JsonElement? Delivery);

    public sealed record RedeliverResult(string Outcome, string EndpointId, string DeliveryId);

    private static readonly string[] EndpointStatuses = ["enabled", "disabled"];
    private static readonly string[] DeliveryStatuses = ["pending", "succeeded", "failed"];

    private static async Task<Results<Ok<WebhooksPage>, ValidationProblem, ProblemHttpResult>> ListEndpointsAsync(
        WebhooksService webhooks, string? organizationId, string? status, string? cursor, CancellationToken cancellationToken)
    {
        var errors = new Errors();
        errors.Guid("organizationId", organizationId, required: false);
        errors.OneOf("status", status, EndpointStatuses);
        errors.Cursor(cursor);
        if (errors.Problem() is { } invalid) return invalid;

        var answer = await webhooks.GetAsync("/api/v1/webhook-endpoints" + Query(("organizationId", organizationId), ("status", status), ("cursor", cursor), ("limit", "50")), cancellationToken);
        if (Refused(answer) is { } refused) return refused;
        if (!answer.Succeeded) return TypedResults.Ok(new WebhooksPage(false, answer.Problem, [], null));
        var (items, next) = PageOf(answer.Json);
        // The organization's name beside its id: what an operator recognizes.
        var names = await webhooks.OrganizationNamesAsync(items.OfType<JsonObject>().Select(i => i["organizationId"]?.GetValue<string>() ?? "").Where(id => id.Length > 0), cancellationToken);
        foreach (var item in items.OfType<JsonObject>())
            item["organizationName"] = item["organizationId"]?.GetValue<string>() is { } id && names.TryGetValue(id, out var name) ? name : null;
        return TypedResults.Ok(new WebhooksPage(true, null, items, next));
    }

    private static async Task<Results<Ok<WebhooksPage>, ValidationProblem, ProblemHttpResult>> ListDeliveriesAsync(
        WebhooksService webhooks, string endpointId, string? status, string? eventType, string? cursor, CancellationToken cancellationToken)
    {
        var errors = new Errors();
        errors.Guid("endpointId", endpointId, required: true);
        errors.OneOf("status", status, DeliveryStatuses);
        errors.Text("eventType", eventType, 100);
        errors.Cursor(cursor);
        if (errors.Problem() is { } invalid) return invalid;

        var answer = await webhooks.GetAsync($"/api/v1/webhook-endpoints/{endpointId}/deliveries" + Query(("status", status), ("eventType", eventType), ("cursor", cursor), ("limit", "50")), cancellationToken);
        if (Refused(answer) is { } refused) return refused;
        if (!answer.Succeeded) return TypedResults.Ok(new WebhooksPage(false, answer.Problem, [], null));
        var (items, next) = PageOf(answer.Json);
        return TypedResults.Ok(new WebhooksPage(true, null, items, next));
    }

    private static async Task<Results<Ok<WebhookDeliveryView>, ValidationProblem, ProblemHttpResult>> GetDeliveryAsync(
        WebhooksService webhooks, string endpointId, string deliveryId, CancellationToken cancellationToken)
    {
        var errors = new Errors();
        errors.Guid("endpointId", endpointId, required: true);
        errors.Guid("deliveryId", deliveryId, required: true);
        if (errors.Problem() is { } invalid) return invalid;

        var answer = await webhooks.GetAsync($"/api/v1/webhook-endpoints/{endpointId}/deliveries/{deliveryId}", cancellationToken);
        if (Refused(answer) is { } refused) return refused;
        return TypedResults.Ok(answer.Succeeded ? new WebhookDeliveryView(true, null, answer.Json) : new WebhookDeliveryView(false, answer.Problem, null));
    }

    private static async Task<Results<Accepted<RedeliverResult>, ValidationProblem, ProblemHttpResult>> RedeliverAsync(
        WebhooksService webhooks, string endpointId, string deliveryId, HttpContext http, ILogger<WebhooksService> logger, CancellationToken cancellationToken)
    {
        var errors = new Errors();
        errors.Guid("endpointId", endpointId, required: true);
        errors.Guid("deliveryId", deliveryId, required: true);
        if (errors.Problem() is { } invalid) return invalid;

        var answer = await webhooks.PostAsync($"/api/v1/webhook-endpoints/{endpointId}/deliveries/{deliveryId}/redeliver", cancellationToken);
        // An operator action: logged like replay and discard, with who asked.
        logger.LogWarning("Operator redeliver of webhook delivery {DeliveryId} of endpoint {EndpointId} from {From}: {Outcome}",
            deliveryId, endpointId, OperatorAccess.From(http), answer.Succeeded ? "accepted" : answer.Problem);
        if (answer.Succeeded) return TypedResults.Accepted((string?)null, new RedeliverResult("accepted", endpointId, deliveryId));
        if (Refused(answer) is { } refused) return refused;
        if (answer.Status is 409) return Problems.Conflict(answer.Problem ?? "The webhooks service refused the redelivery in the delivery's current state.");
        return Problems.Status(StatusCodes.Status503ServiceUnavailable, $"Nothing was redelivered: {answer.Problem}");
    }

    /// <summary>The webhooks service's own "no": 400 (its reason passed on) and 404, for the operator to see.</summary>
    private static ProblemHttpResult? Refused(WebhooksAnswer answer) => answer.Status switch
    {
        StatusCodes.Status400BadRequest => Problems.Status(StatusCodes.Status400BadRequest, answer.Problem ?? "The webhooks service refused the request."),
        StatusCodes.Status404NotFound => Problems.NotFound(answer.Problem ?? "Not found in the webhooks service."),
        _ => null,
    };

    private static (IReadOnlyList<JsonNode?> Items, string? NextCursor) PageOf(JsonElement? json)
    {
        if (json is not { ValueKind: JsonValueKind.Object } page) return ([], null);
        var items = page.TryGetProperty("items", out var i) && i.ValueKind == JsonValueKind.Array ? i.EnumerateArray().Select(e => JsonNode.Parse(e.GetRawText())).ToList() : [];
        var next = page.TryGetProperty("nextCursor", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString() : null;
        return (items, next);
    }

    private static string Query(params (string Name, string? Value)[] parameters)
    {
        var given = parameters.Where(p => !string.IsNullOrEmpty(p.Value)).Select(p => $"{p.Name}={Uri.EscapeDataString(p.Value!)}").ToList();
        return given.Count == 0 ? "" : "?" + string.Join('&', given);
    }

    /// <summary>Each field's problem, checked before anything is asked of the webhooks service.</summary>
    private sealed class Errors
    {
        private readonly Dictionary<string, string[]> _errors = new(StringComparer.Ordinal);

        public void Guid(string field, string? value, bool required)
        {
            if (string.IsNullOrEmpty(value)) { if (required) _errors[field] = ["Required."]; return; }
            if (!System.Guid.TryParseExact(value, "D", out _)) _errors[field] = ["Must be an id (a GUID such as 0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b)."];
        }

        public void OneOf(string field, string? value, string[] allowed)
        {
            if (!string.IsNullOrEmpty(value) && !allowed.Contains(value, StringComparer.Ordinal)) _errors[field] = [$"One of {string.Join(", ", allowed)}."];
        }

        public void Text(string field, string? value, int maxLength)
        {
            if (string.IsNullOrEmpty(value)) return;
            if (value.Length > maxLength) _errors[field] = [$"At most {maxLength} characters."];
            else if (TextRules.Problem(value) is { } problem) _errors[field] = [problem];
        }

        public void Cursor(string? value) => Text("cursor", value, 500);

        public ValidationProblem? Problem() =>
            _errors.Count == 0 ? null : Problems.Validation(_errors);
    }
}
