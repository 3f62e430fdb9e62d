using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Platform.ServiceDefaults.Auth;
using Platform.Testing;

namespace Platform.Webhooks.Tests;

/// <summary>
/// The webhooks service the test classes share, as in production (private targets refused); each test uses its own
/// organizations. One start per settings instead of one per class: a start JITs the service again.
/// </summary>
public class WebhooksService(ThrowawayPostgres postgres, ThrowawayRabbitMq rabbit) : IAsyncLifetime
{
    private static readonly SharedService<Program> Production = Sharing(new Dictionary<string, string>());

    private ServiceUnderTest<Program>? _service;

    public ServiceUnderTest<Program> Service => _service ?? throw new InvalidOperationException("Not started.");

    /// <summary>The service with this fixture's settings, started once for the classes that use them at the same time.</summary>
    protected virtual SharedService<Program> Shared => Production;

    protected static SharedService<Program> Sharing(IReadOnlyDictionary<string, string> settings) =>
        new((postgres, rabbit) => ServiceUnderTest<Program>.StartAsync(postgres, rabbit, "webhooksdb", settings));

    public async ValueTask InitializeAsync() => _service = await Shared.AcquireAsync(postgres, rabbit);

    public async ValueTask DisposeAsync()
    {
        await Shared.ReleaseAsync();
        GC.SuppressFinalize(this);
    }

    public HttpClient Operator() => Service.ClientWithKey();

    /// <summary>A client for a fresh organization's partner system holding <c>webhooks:manage</c>.</summary>
    public async Task<(Guid OrganizationId, HttpClient Client)> PartnerAsync(params string[] scopes)
    {
        var organizationId = Guid.CreateVersion7();
        var key = await Service.IssuePartnerKeyAsync(organizationId, scopes.Length == 0 ? [Scopes.WebhooksManage] : scopes);
        return (organizationId, Service.ClientWithKey(key));
    }

    public static async Task<JsonElement> SendAsync(HttpClient client, HttpMethod method, string path, object? body, HttpStatusCode expected)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative)) { Content = body is null ? null : JsonContent.Create(body) };
        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode == expected, $"{method} {path}: expected {(int)expected}, got {(int)response.StatusCode} {text}");
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    public static Task<JsonElement> RegisterAsync(HttpClient client, object body, HttpStatusCode expected = HttpStatusCode.Created) =>
        SendAsync(client, HttpMethod.Post, "/api/v1/webhook-endpoints", body, expected);

    /// <summary>The messages of a 400 for <paramref name="field"/>.</summary>
    public static string[] Errors(JsonElement problem, string field) =>
        problem.GetProperty("errors").TryGetProperty(field, out var messages) ? [.. messages.EnumerateArray().Select(m => m.GetString()!)] : [];
}

/// <summary>As <see cref="WebhooksService"/>, in development mode: loopback receivers in the test are allowed.</summary>
public sealed class DevelopmentWebhooksService(ThrowawayPostgres postgres, ThrowawayRabbitMq rabbit) : WebhooksService(postgres, rabbit)
{
    private static readonly SharedService<Program> Development = Sharing(new Dictionary<string, string> { ["Webhooks:AllowPrivateTargets"] = "true" });

    protected override SharedService<Program> Shared => Development;
}
