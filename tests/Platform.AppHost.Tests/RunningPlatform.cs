namespace Platform.AppHost.Tests;

/// <summary>One AppHost running the whole platform, shared by the tests of a class.</summary>
public sealed class RunningPlatform : IAsyncLifetime
{
    private AppHostProcess? _appHost;
    private Endpoints? _endpoints;

    public AppHostProcess AppHost => _appHost ?? throw new InvalidOperationException("Not started.");

    public Endpoints Endpoints => _endpoints ?? throw new InvalidOperationException("Not ready.");

    /// <summary>No proxy: everything listens on 127.0.0.1.</summary>
    public static HttpClient CreateHttpClient() => new(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(5) };

    public async ValueTask InitializeAsync()
    {
        _appHost = AppHostProcess.Start();
        _endpoints = await _appHost.WaitUntilReadyAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (_appHost is not null) await _appHost.DisposeAsync();
    }
}
