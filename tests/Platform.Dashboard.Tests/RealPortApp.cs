using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Platform.Dashboard.Tests;

/// <summary>An app hosted in the test exactly as its Program.cs builds it, on a real Kestrel port of 127.0.0.1 (a browser and other processes can reach it).</summary>
public sealed class RealPortApp<TProgram> : WebApplicationFactory<TProgram> where TProgram : class
{
    private readonly IReadOnlyDictionary<string, string?> _settings;

    private RealPortApp(IReadOnlyDictionary<string, string?> settings) => _settings = settings;

    public static RealPortApp<TProgram> Start(IReadOnlyDictionary<string, string?> settings)
    {
        var app = new RealPortApp<TProgram>(settings);
        app.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        app.StartServer();
        return app;
    }

    /// <summary>Base URL without a trailing slash.</summary>
    public string Url => Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.UseEnvironment("Production");
        foreach (var (key, value) in _settings)
            builder.UseSetting(key, value);
    }
}
