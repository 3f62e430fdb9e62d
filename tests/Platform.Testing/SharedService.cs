namespace Platform.Testing;

/// <summary>
/// One service under test shared by the test classes of an assembly that hold it at the same time: started by the
/// first class fixture that asks, disposed when the last one lets go. xunit's assembly fixtures cannot take the
/// throwaway servers (themselves assembly fixtures), so class fixtures hold this instead of starting a host each.
/// </summary>
public sealed class SharedService<TProgram>(Func<ThrowawayPostgres, ThrowawayRabbitMq, Task<ServiceUnderTest<TProgram>>> start)
    where TProgram : class
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private ServiceUnderTest<TProgram>? _service;
    private int _holders;

    public async Task<ServiceUnderTest<TProgram>> AcquireAsync(ThrowawayPostgres postgres, ThrowawayRabbitMq rabbit)
    {
        await _gate.WaitAsync();
        try
        {
            _service ??= await start(postgres, rabbit);
            _holders++;
            return _service;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task ReleaseAsync()
    {
        await _gate.WaitAsync();
        try
        {
            if (_holders == 0 || --_holders > 0 || _service is null) return;
            await _service.DisposeAsync();
            _service = null;
        }
        finally
        {
            _gate.Release();
        }
    }
}
