extern alias dashboard;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Platform.Dashboard.Tests;

/// <summary>
/// The dashboard's webhooks API (<c>/api/webhooks/*</c>) against a stubbed webhooks service: what it passes on, what
/// it refuses before asking, and that a webhooks service that is down gives a page saying so, never a 500.
/// </summary>
public sealed class WebhooksViewTests : IAsyncLifetime
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private WebhooksStub? _stub;
    private RealPortApp<dashboard::Program>? _dashboard;

    private WebhooksStub Stub => _stub ?? throw new InvalidOperationException("Not started.");

    private RealPortApp<dashboard::Program> Dashboard => _dashboard ?? throw new InvalidOperationException("Not started.");

    public async ValueTask InitializeAsync()
    {
        _stub = await WebhooksStub.StartAsync();
        _dashboard = Start(Stub.Url, Stub.Url);
    }

    public async ValueTask DisposeAsync()
    {
        if (_dashboard is not null) await _dashboard.DisposeAsync();
        if (_stub is not null) await _stub.DisposeAsync();
    }

    /// <summary>A dashboard whose <c>webhooks</c> (and <c>membership</c>, for the names) are at these URLs; null: not configured.</summary>
    private static RealPortApp<dashboard::Program> Start(string? webhooks, string? membership)
    {
        var settings = new Dictionary<string, string?> { ["Platform:OperatorKey"] = DashboardPlatform.OperatorKey };
        if (webhooks is not null) settings["services:webhooks:http:0"] = webhooks;
        if (membership is not null) settings["services:membership:http:0"] = membership;
        return RealPortApp<dashboard::Program>.Start(settings);
    }

    [Fact]
    public async Task Every_endpoint_is_listed_with_its_organization_name_status_and_disabled_reason_read_with_the_operator_key()
    {
        using var http = DashboardPlatform.Operator(Dashboard.Url);
        var page = await http.GetFromJsonAsync<JsonElement>("/api/webhooks/endpoints", Cancel);
        Assert.True(page.GetProperty("available").GetBoolean());
        var items = page.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal([WebhooksStub.EndpointId, WebhooksStub.DisabledEndpointId], items.Select(i => i.GetProperty("id").GetString()));
        Assert.All(items, i => Assert.Equal(WebhooksStub.OrganizationName, i.GetProperty("organizationName").GetString()));
        Assert.Equal(["program.launched", "placement.flagged"], items[0].GetProperty("eventTypes").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal("Disabled after failing every delivery for 5 days.", items[1].GetProperty("disabledReason").GetString());

        // The filter goes through; one the webhooks service does not know is refused before asking it.
        var disabled = await http.GetFromJsonAsync<JsonElement>("/api/webhooks/endpoints?status=disabled", Cancel);
        Assert.Equal([WebhooksStub.DisabledEndpointId], disabled.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()));
        Assert.Contains("/api/v1/webhook-endpoints?status=disabled&limit=50", Stub.Requests);
        var asked = Stub.Requests.Count;
        using var bogus = await http.GetAsync("/api/webhooks/endpoints?status=bogus&organizationId=nope", Cancel);
        await AssertValidationProblemAsync(bogus, "status", "organizationId");
        Assert.Equal(asked, Stub.Requests.Count);
    }

    [Fact]
    public async Task An_endpoints_delivery_log_and_a_delivery_with_its_attempts_and_payload_come_from_the_webhooks_service()
    {
        using var http = DashboardPlatform.Operator(Dashboard.Url);
        var log = await http.GetFromJsonAsync<JsonElement>($"/api/webhooks/endpoints/{WebhooksStub.EndpointId}/deliveries", Cancel);
        Assert.True(log.GetProperty("available").GetBoolean());
        var deliveries = log.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(["pending", "succeeded", "failed"], deliveries.Select(d => d.GetProperty("status").GetString()));
        var failed = deliveries[2];
        Assert.Equal((8, 500, "500 Internal Server Error"), (failed.GetProperty("attemptCount").GetInt32(), failed.GetProperty("lastStatusCode").GetInt32(), failed.GetProperty("lastError").GetString()));
        Assert.Equal("2026-11-30T09:05:00Z", deliveries[0].GetProperty("nextAttemptAt").GetString());

        var onlyFailed = await http.GetFromJsonAsync<JsonElement>($"/api/webhooks/endpoints/{WebhooksStub.EndpointId}/deliveries?status=failed&eventType=placement.flagged", Cancel);
        Assert.Equal([WebhooksStub.FailedDeliveryId], onlyFailed.GetProperty("items").EnumerateArray().Select(d => d.GetProperty("id").GetString()));
        Assert.Contains($"/api/v1/webhook-endpoints/{WebhooksStub.EndpointId}/deliveries?status=failed&eventType=placement.flagged&limit=50", Stub.Requests);

        var detail = await http.GetFromJsonAsync<JsonElement>($"/api/webhooks/endpoints/{WebhooksStub.EndpointId}/deliveries/{WebhooksStub.FailedDeliveryId}", Cancel);
        var delivery = detail.GetProperty("delivery");
        Assert.Equal("placement.flagged", delivery.GetProperty("payload").GetProperty("type").GetString());
        var attempt = Assert.Single(delivery.GetProperty("attempts").EnumerateArray());
        Assert.Equal(("upstream says no", false), (attempt.GetProperty("responseSnippet").GetString(), attempt.GetProperty("succeeded").GetBoolean()));

        // Another endpoint's or an unknown delivery: the webhooks service's 404 is passed on.
        using (var unknown = await http.GetAsync($"/api/webhooks/endpoints/{WebhooksStub.EndpointId}/deliveries/{Guid.NewGuid()}", Cancel))
            Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        using (var unknownEndpoint = await http.GetAsync($"/api/webhooks/endpoints/{Guid.NewGuid()}/deliveries", Cancel))
        {
            Assert.Equal(HttpStatusCode.NotFound, unknownEndpoint.StatusCode);
            Assert.Equal("application/problem+json", unknownEndpoint.Content.Headers.ContentType?.MediaType);
        }
        using (var notAnId = await http.GetAsync("/api/webhooks/endpoints/not-an-id/deliveries?status=lost", Cancel))
            await AssertValidationProblemAsync(notAnId, "endpointId", "status");
    }

    [Fact]
    public async Task Redeliver_hands_a_failed_delivery_back_passes_on_the_services_refusal_and_with_the_cookie_needs_X_Requested_With()
    {
        using var http = DashboardPlatform.Operator(Dashboard.Url);
        var redeliver = $"/api/webhooks/endpoints/{WebhooksStub.EndpointId}/deliveries/{WebhooksStub.FailedDeliveryId}/redeliver";
        using (var accepted = await http.PostAsync(redeliver, null, Cancel))
        {
            Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
            Assert.Equal("accepted", (await accepted.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("outcome").GetString());
        }
        Assert.Equal([WebhooksStub.FailedDeliveryId], Stub.Redelivered);

        using (var succeeded = await http.PostAsync($"/api/webhooks/endpoints/{WebhooksStub.EndpointId}/deliveries/{WebhooksStub.SucceededDeliveryId}/redeliver", null, Cancel))
        {
            Assert.Equal(HttpStatusCode.Conflict, succeeded.StatusCode);
            Assert.Contains("Only a failed delivery", await succeeded.Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);
        }
        using (var unknown = await http.PostAsync($"/api/webhooks/endpoints/{WebhooksStub.EndpointId}/deliveries/{Guid.NewGuid()}/redeliver", null, Cancel))
            Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        using (var notIds = await http.PostAsync("/api/webhooks/endpoints/x/deliveries/y/redeliver", null, Cancel))
            await AssertValidationProblemAsync(notIds, "endpointId", "deliveryId");

        // Anonymous: 401. With the login cookie (same rules as replay and discard): the page's header is needed.
        using (var anonymous = new HttpClient { BaseAddress = new Uri(Dashboard.Url) })
        using (var refused = await anonymous.PostAsync(redeliver, null, Cancel))
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        var cookies = new CookieContainer();
        using var browser = new HttpClient(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false, CookieContainer = cookies }) { BaseAddress = new Uri(Dashboard.Url) };
        using (var login = await browser.PostAsync("/login", new FormUrlEncodedContent([new("key", DashboardPlatform.OperatorKey), new("returnUrl", "/#webhooks")]), Cancel))
            Assert.Equal(HttpStatusCode.SeeOther, login.StatusCode);
        using (var forged = await browser.PostAsync(redeliver, null, Cancel))
            Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode);
        using (var fromPage = new HttpRequestMessage(HttpMethod.Post, redeliver) { Headers = { { "X-Requested-With", "dashboard" } } })
        using (var response = await browser.SendAsync(fromPage, Cancel))
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(2, Stub.Redelivered.Count);
    }

    [Fact]
    public async Task A_webhooks_service_that_is_down_or_not_configured_gives_a_page_that_says_so_never_a_500()
    {
        await using var down = Start(DashboardPlatform.NothingListens(), membership: null);
        await using var unconfigured = Start(webhooks: null, membership: null);
        foreach (var (dashboard, expected) in new[] { (down, "webhooks is unavailable"), (unconfigured, "webhooks is not configured") })
        {
            using var http = DashboardPlatform.Operator(dashboard.Url);
            var list = await http.GetFromJsonAsync<JsonElement>("/api/webhooks/endpoints", Cancel);
            Assert.False(list.GetProperty("available").GetBoolean());
            Assert.StartsWith(expected, list.GetProperty("problem").GetString(), StringComparison.Ordinal);
            Assert.Empty(list.GetProperty("items").EnumerateArray());

            var log = await http.GetFromJsonAsync<JsonElement>($"/api/webhooks/endpoints/{WebhooksStub.EndpointId}/deliveries", Cancel);
            Assert.False(log.GetProperty("available").GetBoolean());
            var detail = await http.GetFromJsonAsync<JsonElement>($"/api/webhooks/endpoints/{WebhooksStub.EndpointId}/deliveries/{WebhooksStub.FailedDeliveryId}", Cancel);
            Assert.False(detail.GetProperty("available").GetBoolean());

            // A redeliver that could not be handed over says so: nothing happened.
            using var redeliver = await http.PostAsync($"/api/webhooks/endpoints/{WebhooksStub.EndpointId}/deliveries/{WebhooksStub.FailedDeliveryId}/redeliver", null, Cancel);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, redeliver.StatusCode);
            Assert.Contains("Nothing was redelivered", await redeliver.Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);
        }

        // Names are a nicety: without membership the endpoints are still listed, by organization id.
        await using var withoutNames = Start(Stub.Url, membership: null);
        using var operatorHttp = DashboardPlatform.Operator(withoutNames.Url);
        var page = await operatorHttp.GetFromJsonAsync<JsonElement>("/api/webhooks/endpoints", Cancel);
        Assert.True(page.GetProperty("available").GetBoolean());
        Assert.All(page.GetProperty("items").EnumerateArray(), i => Assert.Equal(JsonValueKind.Null, i.GetProperty("organizationName").ValueKind));
    }

    private static async Task AssertValidationProblemAsync(HttpResponseMessage response, params string[] fields)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Cancel);
        Assert.Equal(fields.Order(StringComparer.Ordinal), problem.GetProperty("errors").EnumerateObject().Select(e => e.Name).Order(StringComparer.Ordinal));
    }
}
