using Platform.Testing;

namespace Platform.ServiceDefaults.Tests.TestApp;

/// <summary>One test app per test class, for classes whose tests do not need their own configuration.</summary>
public sealed class SharedApp(ThrowawayPostgres postgres) : IAsyncLifetime
{
    private TestApp? _app;

    public TestApp App => _app ?? throw new InvalidOperationException("The shared app has not started.");

    public async ValueTask InitializeAsync() => _app = await TestApp.StartAsync(postgres);

    public async ValueTask DisposeAsync()
    {
        if (_app is not null) await _app.DisposeAsync();
    }
}
