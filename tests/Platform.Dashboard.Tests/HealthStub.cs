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
/// A service whose readiness the test switches: <c>/health/live</c> always answers, <c>/health/ready</c> answers a
/// ServiceDefaults-style report that is unhealthy (its database check failing) until <see cref="Ready"/> is set.
/// </summary>
public sealed class HealthStub : IAsyncDisposable
{
    private readonly WebApplication _app;

    private HealthStub(WebApplication app) => _app = app;

    public volatile bool Ready;

    public string Url => _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');

    public static async Task<HealthStub> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var stub = new HealthStub(app);
        app.MapGet("/health/live", () => Results.Json(new { status = "healthy", checks = Array.Empty<object>() }));
        app.MapGet("/health/ready", () => stub.Ready
            ? Results.Json(new { status = "healthy", checks = new[] { new { name = "database", status = "healthy", description = (string?)null } } })
            : Results.Json(new { status = "unhealthy", checks = new[] { new { name = "database", status = "unhealthy", description = (string?)"connection refused" } } },
                statusCode: StatusCodes.Status503ServiceUnavailable));
        await app.StartAsync();
        return stub;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
