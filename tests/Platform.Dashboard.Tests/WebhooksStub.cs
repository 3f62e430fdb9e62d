using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Platform.Dashboard.Tests;

/// <summary>
/// The webhooks service's delivery-log API as its contract describes it (and membership's organization lookup), on a
/// real Kestrel port: one endpoint with a failed, a succeeded and a pending delivery. It answers only the operator key,
/// and remembers the queries and redeliveries it was asked for.
/// </summary>
public sealed class WebhooksStub : IAsyncDisposable
{
    public const string OrganizationId = "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b";
    public const string OrganizationName = "Jining Technician College";
    public const string EndpointId = "0190a1b2-0000-7e5f-8a9b-000000000001";
    public const string DisabledEndpointId = "0190a1b2-0000-7e5f-8a9b-000000000002";
    public const string FailedDeliveryId = "0190a1b2-0000-7e5f-8a9b-00000000d001";
    public const string SucceededDeliveryId = "0190a1b2-0000-7e5f-8a9b-00000000d002";
    public const string PendingDeliveryId = "0190a1b2-0000-7e5f-8a9b-00000000d003";

    private readonly WebApplication _app;

    private WebhooksStub(WebApplication app) => _app = app;

    public string Url => _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');

    /// <summary>Each request's path and query, as it arrived.</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    public ConcurrentQueue<string> Redelivered { get; } = new();

    public static async Task<WebhooksStub> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var stub = new WebhooksStub(app);
        app.Use(async (http, next) =>
        {
            stub.Requests.Enqueue(http.Request.Path + http.Request.QueryString);
            if (http.Request.Headers["X-Api-Key"] != DashboardPlatform.OperatorKey)
            {
                await Results.Problem("No or a wrong API key.", statusCode: StatusCodes.Status401Unauthorized).ExecuteAsync(http);
                return;
            }
            await next(http);
        });

        app.MapGet("/api/v1/organizations/{organizationId}", (string organizationId) =>
            organizationId == OrganizationId ? Results.Json(new { id = OrganizationId, name = OrganizationName }) : Results.Problem("Not found.", statusCode: 404));
        app.MapGet("/api/v1/webhook-endpoints", (string? status) => Results.Json(new
        {
            items = new[] { Endpoint(EndpointId, "enabled", null), Endpoint(DisabledEndpointId, "disabled", "Disabled after failing every delivery for 5 days.") }
                .Where(e => status is null || e.status == status),
            nextCursor = (string?)null,
        }));
        app.MapGet("/api/v1/webhook-endpoints/{endpointId}/deliveries", (string endpointId, string? status) => endpointId != EndpointId
            ? Results.Problem("Not found.", statusCode: 404)
            : Results.Json(new { items = Deliveries().Where(d => status is null || d.status == status), nextCursor = (string?)null }));
        app.MapGet("/api/v1/webhook-endpoints/{endpointId}/deliveries/{deliveryId}", (string endpointId, string deliveryId) =>
            endpointId == EndpointId && Deliveries().FirstOrDefault(d => d.id == deliveryId) is { } d
                ? Results.Json(new
                {
                    d.id, d.endpointId, d.messageId, d.eventType, d.status, d.attemptCount, d.createdAt, d.nextAttemptAt, d.lastAttemptAt, d.lastStatusCode, d.lastError,
                    payload = new { type = d.eventType, timestamp = d.createdAt, data = new { programId = "p-1" } },
                    attempts = new[]
                    {
                        new { attemptedAt = d.createdAt, succeeded = d.status == "succeeded", statusCode = d.lastStatusCode, durationMs = 12.5, error = d.lastError, responseSnippet = (string?)"upstream says no" },
                    },
                })
                : Results.Problem("Not found.", statusCode: 404));
        app.MapPost("/api/v1/webhook-endpoints/{endpointId}/deliveries/{deliveryId}/redeliver", (string endpointId, string deliveryId) =>
        {
            if (endpointId != EndpointId || Deliveries().All(d => d.id != deliveryId)) return Results.Problem("Not found.", statusCode: 404);
            if (deliveryId != FailedDeliveryId) return Results.Problem("Only a failed delivery can be redelivered.", statusCode: 409);
            stub.Redelivered.Enqueue(deliveryId);
            return Results.Accepted();
        });
        await app.StartAsync();
        return stub;
    }

    private static EndpointRow Endpoint(string id, string status, string? reason) =>
        new(id, OrganizationId, $"https://sis.jining-college.example/hooks/{id[^1]}", "Placement system", ["program.launched", "placement.flagged"], status, reason, null, "2026-11-01T08:00:00Z", "2026-11-01T08:00:00Z");

    private static IEnumerable<Delivery> Deliveries() =>
    [
        new(PendingDeliveryId, EndpointId, "msg_pending", "program.launched", "pending", 1, "2026-11-30T09:00:00Z", "2026-11-30T09:05:00Z", "2026-11-30T09:00:00Z", 503, "503 Service Unavailable"),
        new(SucceededDeliveryId, EndpointId, "msg_succeeded", "program.launched", "succeeded", 1, "2026-11-30T08:00:00Z", null, "2026-11-30T08:00:01Z", 200, null),
        new(FailedDeliveryId, EndpointId, "msg_failed", "placement.flagged", "failed", 8, "2026-11-20T08:00:00Z", null, "2026-11-22T02:00:00Z", 500, "500 Internal Server Error"),
    ];

#pragma warning disable IDE1006 // the wire names of the contract
    private sealed record EndpointRow(string id, string organizationId, string url, string? description, string[] eventTypes, string status, string? disabledReason,
        string? previousSecretExpiresAt, string createdAt, string updatedAt);

    private sealed record Delivery(string id, string endpointId, string messageId, string eventType, string status, int attemptCount, string createdAt,
        string? nextAttemptAt, string? lastAttemptAt, int? lastStatusCode, string? lastError);
#pragma warning restore IDE1006

    private int _disposed;

    /// <summary>Stops the stub (a test may stop it early to play a service that went down); once only.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
