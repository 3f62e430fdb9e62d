using Aspire.Hosting.Testing;
using System.Reflection;
using System.Text.Json.Serialization;
using Platform.Clients.NSwag.Webhooks;
using static Platform.EndToEnd.Tests.Clients.PartnerFlow;
using MembershipApi = Platform.Clients.NSwag.Membership;

namespace Platform.EndToEnd.Tests.Clients;

/// <summary>A partner manages its webhook endpoints through an NSwag client generated from docs/openapi/webhooks.json.</summary>
public sealed class NSwagWebhooksFlowTests(RunningAppHost platform)
{
    [Fact]
    public async Task A_partner_registers_lists_rotates_the_secret_of_and_deletes_a_webhook_endpoint_through_the_NSwag_client()
    {
        // The operator: an organization and a key for it that may manage webhooks.
        using var operatorHttp = platform.Operator("membership");
        var membership = new MembershipApi.MembershipClient(operatorHttp);
        var college = await membership.RegisterOrganizationAsync(new MembershipApi.RegisterOrganizationRequest
        { Name = Unique("Zaozhuang Technician College"), Kind = MembershipApi.OrganizationKind.TechnicianCollege, Region = "Shandong/Zaozhuang" }, cancellationToken: Cancel);
        var key = await membership.IssueApiClientAsync(college.Id, new MembershipApi.IssueApiClientRequest
        { Name = "College SIS webhooks (NSwag)", Scopes = [Wire<MembershipApi.ApiScope>("webhooks:manage")] }, cancellationToken: Cancel);

        using var http = platform.App.CreateHttpClient("webhooks");
        http.DefaultRequestHeaders.Add("X-Api-Key", key.Key);
        var webhooks = new WebhooksClient(http);
        // An address literal outside every private range: registering resolves and checks it, nothing connects to it.
        var url = $"https://203.0.113.10/hooks/{Guid.NewGuid():N}";
        var registered = await EventuallyAsync("the college's key reaching the webhooks service", async () => await webhooks.RegisterWebhookEndpointAsync(new RegisterWebhookEndpointRequest
        {
            Url = url, EventTypes = [Wire<WebhookEventType>("program.launched"), Wire<WebhookEventType>("placement.flagged")], Description = "Placement system",
        }, cancellationToken: Cancel));
        Assert.Equal(college.Id, registered.OrganizationId);
        Assert.StartsWith("whsec_", registered.Secret, StringComparison.Ordinal);

        var page = await webhooks.ListWebhookEndpointsAsync(cancellationToken: Cancel);
        var listed = Assert.Single(page.Items);
        Assert.Equal((registered.Id, url, WebhookEndpointStatus.Enabled), (listed.Id, listed.Url, listed.Status));
        Assert.Equal(["program.launched", "placement.flagged"], listed.EventTypes.Select(WireName));

        var rotated = await webhooks.RotateWebhookEndpointSecretAsync(registered.Id, cancellationToken: Cancel);
        Assert.NotEqual(registered.Secret, rotated.Secret);
        Assert.True(rotated.PreviousSecretExpiresAt > DateTimeOffset.UtcNow.AddHours(23), $"the replaced secret signs beside the new one for 24 h, until {rotated.PreviousSecretExpiresAt}");
        Assert.Equal(rotated.PreviousSecretExpiresAt, (await webhooks.GetWebhookEndpointAsync(registered.Id, Cancel)).PreviousSecretExpiresAt);

        await webhooks.DeleteWebhookEndpointAsync(registered.Id, Cancel);
        var gone = await Assert.ThrowsAsync<ApiException<Problem>>(() => webhooks.GetWebhookEndpointAsync(registered.Id, Cancel));
        Assert.Equal(404, gone.StatusCode);
        Assert.Empty((await webhooks.ListWebhookEndpointsAsync(cancellationToken: Cancel)).Items);

        // A URL carrying credentials is refused, naming the field, as a typed validation problem (private targets are
        // allowed on this test platform, as in development; the webhooks tests check their refusal in production).
        var invalid = await Assert.ThrowsAsync<ApiException<ValidationProblem>>(() => webhooks.RegisterWebhookEndpointAsync(new RegisterWebhookEndpointRequest
        {
            Url = "https://partner:secret@203.0.113.10/hooks", EventTypes = [Wire<WebhookEventType>("*")],
        }, cancellationToken: Cancel));
        Assert.True(invalid.Result.Errors.ContainsKey("url"), $"errors name the field: {string.Join(", ", invalid.Result.Errors.Keys)}");
    }

    // NSwag names string-enum members in PascalCase and keeps the wire string in JsonStringEnumMemberName.
    private static T Wire<T>(string name) where T : struct, Enum => Enum.GetValues<T>().Single(v => WireName(v) == name);

    private static string WireName<T>(T value) where T : struct, Enum =>
        typeof(T).GetField(value.ToString())!.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name ?? value.ToString();
}
