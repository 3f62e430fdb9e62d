using Platform.Testing;

namespace Platform.AppHost.Tests;

/// <summary>
/// One AppHost running the whole platform, shared by the tests of a class. It starts with --fresh on a folder that
/// holds what an earlier run left (a file, an operator key), so the wipe is tested without a platform start of its own.
/// </summary>
public sealed class RunningPlatform : IAsyncLifetime
{
    private AppHostProcess? _appHost;
    private Endpoints? _endpoints;

    public AppHostProcess AppHost => _appHost ?? throw new InvalidOperationException("Not started.");

    public Endpoints Endpoints => _endpoints ?? throw new InvalidOperationException("Not ready.");

    /// <summary>No proxy: everything listens on 127.0.0.1.</summary>
    public static HttpClient CreateHttpClient() => new(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(5) };

    public const string LeftoverFile = "leftover.txt";
    public const string OldOperatorKey = "old-key";

    public async ValueTask InitializeAsync()
    {
        var folder = ThrowawayFolder.Create("apphost");
        await File.WriteAllTextAsync(Path.Combine(folder, LeftoverFile), "from an earlier run");
        await File.WriteAllTextAsync(Path.Combine(folder, "operator-key"), OldOperatorKey);
        _appHost = AppHostProcess.StartOwning(folder, "--fresh");
        _endpoints = await _appHost.WaitUntilReadyAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (_appHost is not null) await _appHost.DisposeAsync();
    }
}
