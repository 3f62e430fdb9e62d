using System.Net.Mime;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Platform.Webhooks.Features.Notifications;

/// <summary>
/// Publishes the catalogue in the OpenAPI document's <c>webhooks</c> (OpenAPI 3.1): one POST per subscribable type
/// that the platform sends to a partner's endpoint, its body the envelope <c>{ type, timestamp, data }</c> with
/// <c>data</c> referring to the type's payload component, the Standard Webhooks headers and what each answer means.
/// </summary>
internal sealed class WebhookDocument : IOpenApiDocumentTransformer
{
    public async Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Components ??= new OpenApiComponents();
        document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        document.Webhooks ??= new Dictionary<string, IOpenApiPathItem>();
        foreach (var type in WebhookCatalogue.Subscribable)
        {
            var payload = WebhookCatalogue.PayloadOf(type);
            if (!document.Components.Schemas.ContainsKey(payload.Name))
                document.AddComponent(payload.Name, await context.GetOrCreateSchemaAsync(payload, cancellationToken: cancellationToken));
            var name = ApiEnum.Name(type);
            document.Webhooks[name] = new OpenApiPathItem
            {
                Operations = new Dictionary<HttpMethod, OpenApiOperation> { [HttpMethod.Post] = Delivery(document, type, name, payload.Name) },
            };
        }
    }

    private static OpenApiOperation Delivery(OpenApiDocument document, WebhookEventType type, string name, string payload) => new()
    {
        OperationId = "on" + string.Concat(name.Split('.').Select(part => char.ToUpperInvariant(part[0]) + part[1..])),
        Summary = Summary(type),
        // The platform calls the partner: no API key; the webhook-signature header authenticates the call.
        Security = [],
        Description = $"Sent to: {WebhookCatalogue.AudienceOf(type)} Only to enabled endpoints subscribed to `{name}` or `*`. "
            + "Verify the signature before trusting the body; de-duplicate by `webhook-id` (retries and redeliveries repeat it).",
        Parameters =
        [
            Header("webhook-id", "The message's id (`msg_…`): the same on every retry and redelivery of this message."),
            Header("webhook-timestamp", "When this attempt was signed, in unix seconds; refuse old ones to stop replays."),
            Header("webhook-signature", "`v1,` + base64(HMAC-SHA256(the decoded secret after `whsec_`, `{webhook-id}.{webhook-timestamp}.{body}`)), "
                + "space-separated, one per active secret (two for 24 hours after a rotation)."),
        ],
        RequestBody = new OpenApiRequestBody
        {
            Required = true,
            Content = new Dictionary<string, OpenApiMediaType>
            {
                [MediaTypeNames.Application.Json] = new() { Schema = Envelope(document, name, payload) },
            },
        },
        Responses = new OpenApiResponses
        {
            ["2XX"] = new OpenApiResponse { Description = "Accepted: the delivery succeeded (the body of the answer is kept, at most 1,000 characters, in the delivery log)." },
            ["410"] = new OpenApiResponse { Description = "Gone: the endpoint is disabled at once and nothing more is sent to it until it is enabled again." },
            ["default"] = new OpenApiResponse
            {
                Description = "Anything else, a timeout (10 s) or no answer: retried after 5 s, 5 min, 30 min, 2 h, 5 h, 10 h and 10 h; "
                    + "an endpoint failing every attempt for 5 days is disabled.",
            },
        },
    };

    private static OpenApiSchema Envelope(OpenApiDocument document, string name, string payload) => new()
    {
        Type = JsonSchemaType.Object,
        Required = new HashSet<string> { "type", "timestamp", "data" },
        Properties = new Dictionary<string, IOpenApiSchema>
        {
            ["type"] = new OpenApiSchema { Type = JsonSchemaType.String, Const = name, Description = "The catalogue type." },
            ["timestamp"] = new OpenApiSchema { Type = JsonSchemaType.String, Format = "date-time", Description = "When the platform made the message." },
            ["data"] = new OpenApiSchemaReference(payload, document),
        },
    };

    private static OpenApiParameter Header(string name, string description) => new()
    {
        Name = name, In = ParameterLocation.Header, Required = true, Description = description, Schema = new OpenApiSchema { Type = JsonSchemaType.String },
    };

    private static string Summary(WebhookEventType type) => type switch
    {
        WebhookEventType.MembershipActivated => "An organization became an active member of a consortium.",
        WebhookEventType.MembershipSuspended => "A member of a consortium was suspended.",
        WebhookEventType.MembershipReinstated => "A suspended member was reinstated.",
        WebhookEventType.MembershipWithdrawn => "A member left a consortium.",
        WebhookEventType.ProgramLaunched => "A program the organization takes part in was launched.",
        WebhookEventType.ProgramPaused => "A program the organization takes part in was paused.",
        WebhookEventType.ProgramResumed => "A paused program the organization takes part in is active again.",
        WebhookEventType.ProgramCompleted => "A program the organization takes part in was completed.",
        WebhookEventType.ProgramCancelled => "A program the organization takes part in was cancelled.",
        WebhookEventType.PlacementFlagged => "A placement event the college pushed was flagged by data-quality checks.",
        WebhookEventType.EventScheduled => "An event of the consortium was scheduled.",
        WebhookEventType.EventCancelled => "An event of the consortium was cancelled.",
        WebhookEventType.AgreementSigned => "An agreement was signed at an event of the consortium.",
        _ => ApiEnum.Name(type),
    };
}

public static class WebhookDocumentRegistration
{
    /// <summary>Adds the catalogue's webhooks to the service's OpenAPI document (after ServiceDefaults' own transformers).</summary>
    public static WebApplicationBuilder DescribeWebhooks(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.Configure<OpenApiOptions>("v1", options => options.AddDocumentTransformer<WebhookDocument>());
        return builder;
    }
}
