using System.Net;
using System.Text.Json;
using Platform.ServiceDefaults.Auth;
using static Platform.Webhooks.Tests.WebhooksService;

namespace Platform.Webhooks.Tests;

/// <summary>A partner system manages its organization's webhook endpoints (production mode: private targets refused).</summary>
public sealed class EndpointTests(WebhooksService webhooks) : IClassFixture<WebhooksService>
{
    // A public address as a literal, so the test needs no DNS.
    private const string PartnerUrl = "https://93.184.215.14/consortium/hooks";

    [Fact]
    public async Task A_partner_registers_an_endpoint_for_its_organization_and_sees_the_secret_only_once()
    {
        var (organizationId, partner) = await webhooks.PartnerAsync();
        using var _ = partner;

        var created = await RegisterAsync(partner, new { url = PartnerUrl, eventTypes = new[] { "program.launched", "agreement.signed" }, description = "Placement system" });

        Assert.Equal(organizationId, created.GetProperty("organizationId").GetGuid());
        Assert.StartsWith("whsec_", created.GetProperty("secret").GetString(), StringComparison.Ordinal);
        Assert.Equal(["program.launched", "agreement.signed"], created.GetProperty("eventTypes").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal("enabled", created.GetProperty("status").GetString());
        var id = created.GetProperty("id").GetGuid();

        var read = await SendAsync(partner, HttpMethod.Get, $"/api/v1/webhook-endpoints/{id}", null, HttpStatusCode.OK);
        Assert.False(read.TryGetProperty("secret", out var _));
        Assert.Equal(PartnerUrl, read.GetProperty("url").GetString());
        var list = await SendAsync(partner, HttpMethod.Get, "/api/v1/webhook-endpoints", null, HttpStatusCode.OK);
        Assert.Equal(id, Assert.Single(list.GetProperty("items").EnumerateArray()).GetProperty("id").GetGuid());
    }

    [Fact]
    public async Task Another_organization_neither_sees_nor_changes_the_endpoint()
    {
        var (_, owner) = await webhooks.PartnerAsync();
        var (_, other) = await webhooks.PartnerAsync();
        using var a = owner;
        using var b = other;
        var id = (await RegisterAsync(owner, new { url = PartnerUrl, eventTypes = new[] { "*" } })).GetProperty("id").GetGuid();

        await SendAsync(other, HttpMethod.Get, $"/api/v1/webhook-endpoints/{id}", null, HttpStatusCode.NotFound);
        await SendAsync(other, HttpMethod.Post, $"/api/v1/webhook-endpoints/{id}/rotate-secret", null, HttpStatusCode.NotFound);
        await SendAsync(other, HttpMethod.Delete, $"/api/v1/webhook-endpoints/{id}", null, HttpStatusCode.NotFound);
        Assert.Empty((await SendAsync(other, HttpMethod.Get, "/api/v1/webhook-endpoints", null, HttpStatusCode.OK)).GetProperty("items").EnumerateArray());
        var foreign = await RegisterAsync(other, new { organizationId = Guid.CreateVersion7(), url = PartnerUrl, eventTypes = new[] { "*" } }, HttpStatusCode.BadRequest);
        Assert.NotEmpty(Errors(foreign, "organizationId"));
    }

    [Fact]
    public async Task The_operator_registers_for_a_named_organization_and_lists_by_organization()
    {
        using var client = webhooks.Operator();
        var missing = await RegisterAsync(client, new { url = PartnerUrl, eventTypes = new[] { "*" } }, HttpStatusCode.BadRequest);
        Assert.NotEmpty(Errors(missing, "organizationId"));

        var organizationId = Guid.CreateVersion7();
        var created = await RegisterAsync(client, new { organizationId, url = PartnerUrl, eventTypes = new[] { "event.cancelled" } });
        Assert.Equal(organizationId, created.GetProperty("organizationId").GetGuid());
        var list = await SendAsync(client, HttpMethod.Get, $"/api/v1/webhook-endpoints?organizationId={organizationId}", null, HttpStatusCode.OK);
        Assert.Equal(created.GetProperty("id").GetGuid(), Assert.Single(list.GetProperty("items").EnumerateArray()).GetProperty("id").GetGuid());
    }

    [Fact]
    public async Task An_unknown_or_unsubscribable_event_type_is_refused_naming_its_position()
    {
        var (_, partner) = await webhooks.PartnerAsync();
        using var _ = partner;

        var unknown = await RegisterAsync(partner, new { url = PartnerUrl, eventTypes = new[] { "program.launched", "program.exploded" } }, HttpStatusCode.BadRequest);
        Assert.NotEmpty(Errors(unknown, "eventTypes[1]"));
        var test = await RegisterAsync(partner, new { url = PartnerUrl, eventTypes = new[] { "webhook.test" } }, HttpStatusCode.BadRequest);
        Assert.NotEmpty(Errors(test, "eventTypes[0]"));
        var none = await RegisterAsync(partner, new { url = PartnerUrl, eventTypes = Array.Empty<string>() }, HttpStatusCode.BadRequest);
        Assert.NotEmpty(Errors(none, "eventTypes"));
    }

    [Theory]
    [InlineData("http://93.184.215.14/hooks")]
    [InlineData("https://127.0.0.1/hooks")]
    [InlineData("https://localhost:8443/hooks")]
    [InlineData("https://[::1]/hooks")]
    [InlineData("https://169.254.169.254/latest/meta-data")]
    [InlineData("https://10.1.2.3/hooks")]
    [InlineData("https://172.20.0.5/hooks")]
    [InlineData("https://192.168.1.10/hooks")]
    [InlineData("https://[fd00:ec2::254]/hooks")]
    [InlineData("ftp://93.184.215.14/hooks")]
    [InlineData("not a url")]
    public async Task A_URL_into_the_platforms_own_network_or_without_https_is_refused_naming_url(string url)
    {
        var (_, partner) = await webhooks.PartnerAsync();
        using var _ = partner;
        var refused = await RegisterAsync(partner, new { url, eventTypes = new[] { "*" } }, HttpStatusCode.BadRequest);
        Assert.NotEmpty(Errors(refused, "url"));

        var id = (await RegisterAsync(partner, new { url = PartnerUrl, eventTypes = new[] { "*" } })).GetProperty("id").GetGuid();
        var update = await SendAsync(partner, HttpMethod.Put, $"/api/v1/webhook-endpoints/{id}", new { url, eventTypes = new[] { "*" } }, HttpStatusCode.BadRequest);
        Assert.NotEmpty(Errors(update, "url"));
    }

    [Fact]
    public async Task An_endpoint_is_updated_disabled_enabled_and_deleted()
    {
        var (_, partner) = await webhooks.PartnerAsync();
        using var _ = partner;
        var id = (await RegisterAsync(partner, new { url = PartnerUrl, eventTypes = new[] { "*" } })).GetProperty("id").GetGuid();
        var path = $"/api/v1/webhook-endpoints/{id}";

        var updated = await SendAsync(partner, HttpMethod.Put, path,
            new { url = "https://93.184.215.14/v2/hooks", eventTypes = new[] { "membership.activated" }, description = "v2" }, HttpStatusCode.OK);
        Assert.Equal("https://93.184.215.14/v2/hooks", updated.GetProperty("url").GetString());
        Assert.Equal(["membership.activated"], updated.GetProperty("eventTypes").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal("v2", updated.GetProperty("description").GetString());

        var disabled = await SendAsync(partner, HttpMethod.Post, $"{path}/disable", null, HttpStatusCode.OK);
        Assert.Equal("disabled", disabled.GetProperty("status").GetString());
        Assert.False(string.IsNullOrEmpty(disabled.GetProperty("disabledReason").GetString()));
        var again = await SendAsync(partner, HttpMethod.Post, $"{path}/disable", null, HttpStatusCode.Conflict);
        Assert.Equal("disabled", again.GetProperty("currentState").GetProperty("status").GetString());
        var listed = await SendAsync(partner, HttpMethod.Get, "/api/v1/webhook-endpoints?status=disabled", null, HttpStatusCode.OK);
        Assert.Single(listed.GetProperty("items").EnumerateArray());

        var enabled = await SendAsync(partner, HttpMethod.Post, $"{path}/enable", null, HttpStatusCode.OK);
        Assert.Equal("enabled", enabled.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, enabled.GetProperty("disabledReason").ValueKind);
        await SendAsync(partner, HttpMethod.Post, $"{path}/enable", null, HttpStatusCode.Conflict);

        await SendAsync(partner, HttpMethod.Delete, path, null, HttpStatusCode.NoContent);
        await SendAsync(partner, HttpMethod.Get, path, null, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Rotating_the_secret_shows_a_new_one_and_keeps_the_old_for_24_hours()
    {
        var (_, partner) = await webhooks.PartnerAsync();
        using var _ = partner;
        var created = await RegisterAsync(partner, new { url = PartnerUrl, eventTypes = new[] { "*" } });
        var id = created.GetProperty("id").GetGuid();

        var rotated = await SendAsync(partner, HttpMethod.Post, $"/api/v1/webhook-endpoints/{id}/rotate-secret", null, HttpStatusCode.OK);

        Assert.StartsWith("whsec_", rotated.GetProperty("secret").GetString(), StringComparison.Ordinal);
        Assert.NotEqual(created.GetProperty("secret").GetString(), rotated.GetProperty("secret").GetString());
        var expires = rotated.GetProperty("previousSecretExpiresAt").GetDateTimeOffset();
        Assert.InRange(expires - DateTimeOffset.UtcNow, TimeSpan.FromHours(23.9), TimeSpan.FromHours(24.1));
        var read = await SendAsync(partner, HttpMethod.Get, $"/api/v1/webhook-endpoints/{id}", null, HttpStatusCode.OK);
        Assert.Equal(expires, read.GetProperty("previousSecretExpiresAt").GetDateTimeOffset());
    }

    [Fact]
    public async Task A_key_without_webhooks_manage_is_forbidden()
    {
        var (_, partner) = await webhooks.PartnerAsync(Scopes.EventsRead);
        using var _ = partner;
        await SendAsync(partner, HttpMethod.Get, "/api/v1/webhook-endpoints", null, HttpStatusCode.Forbidden);
        await RegisterAsync(partner, new { url = PartnerUrl, eventTypes = new[] { "*" } }, HttpStatusCode.Forbidden);
    }
}
