using System.Reflection;
using System.Text.Json;
using Platform.ServiceDefaults.Http;
using Platform.Webhooks.Domain;
using Platform.Webhooks.Features.Notifications;

namespace Platform.Webhooks.Tests;

/// <summary>The served OpenAPI document lists the catalogue as <c>webhooks</c>, each with its payload's schema.</summary>
public sealed class WebhookDocumentTests(WebhooksService webhooks) : IClassFixture<WebhooksService>
{
    [Fact]
    public async Task Every_subscribable_type_is_a_webhook_whose_data_has_the_payload_records_properties()
    {
        using var client = webhooks.Service.ClientWithKey(null);
        var text = await client.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative), TestContext.Current.CancellationToken);
        var document = JsonDocument.Parse(text).RootElement;
        Assert.StartsWith("3.1", document.GetProperty("openapi").GetString(), StringComparison.Ordinal);
        var hooks = document.GetProperty("webhooks");
        var schemas = document.GetProperty("components").GetProperty("schemas");

        var expectedTypes = Enum.GetValues<WebhookEventType>().Where(t => t is not (WebhookEventType.All or WebhookEventType.WebhookTest)).Select(t => ApiEnum.Name(t));
        Assert.Equal(expectedTypes.Order(StringComparer.Ordinal), hooks.EnumerateObject().Select(h => h.Name).Order(StringComparer.Ordinal));
        foreach (var type in WebhookCatalogue.Subscribable)
        {
            var name = ApiEnum.Name(type);
            var post = hooks.GetProperty(name).GetProperty("post");
            var envelope = post.GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("schema");
            Assert.Equal(["data", "timestamp", "type"], envelope.GetProperty("properties").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
            Assert.Equal(name, envelope.GetProperty("properties").GetProperty("type").GetProperty("const").GetString());
            var reference = envelope.GetProperty("properties").GetProperty("data").GetProperty("$ref").GetString()!;
            var payload = WebhookCatalogue.PayloadOf(type);
            Assert.Equal("#/components/schemas/" + payload.Name, reference);
            var documented = schemas.GetProperty(payload.Name).GetProperty("properties").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal);
            Assert.Equal(JsonNames(payload).Order(StringComparer.Ordinal), documented);

            Assert.Equal(["webhook-id", "webhook-signature", "webhook-timestamp"],
                post.GetProperty("parameters").EnumerateArray().Where(p => p.GetProperty("in").GetString() == "header").Select(p => p.GetProperty("name").GetString()).Order(StringComparer.Ordinal));
            var responses = post.GetProperty("responses");
            Assert.True(responses.TryGetProperty("2XX", out _) && responses.TryGetProperty("410", out _) && responses.TryGetProperty("default", out _), responses.GetRawText());
        }
        // Spot check against the brief's fields, independent of the catalogue's own mapping.
        var placement = schemas.GetProperty("PlacementFlaggedWebhook").GetProperty("properties");
        foreach (var field in new[] { "eventId", "collegeId", "programId", "programTitle", "consortiumId", "traineeRef", "type", "stage", "occurredAt", "acceptedAt" })
            Assert.True(placement.TryGetProperty(field, out _), field);
    }

    /// <summary>How the record is written on the wire (camelCase of its public properties).</summary>
    private static IEnumerable<string> JsonNames(Type record) =>
        record.GetProperties(BindingFlags.Public | BindingFlags.Instance).Select(p => JsonNamingPolicy.CamelCase.ConvertName(p.Name));
}
