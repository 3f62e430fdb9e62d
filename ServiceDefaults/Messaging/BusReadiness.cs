using MassTransit;

namespace Platform.ServiceDefaults.Messaging;

/// <summary>
/// Completes once the bus has started and all its receive endpoints are ready (queues declared and bound), and
/// stays completed. A bus observer is registered before the bus starts, so unlike polling the bus health it
/// cannot miss a short healthy moment (the broker may drop right after).
/// </summary>
internal sealed class BusReadiness : IBusObserver
{
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Ready => _ready.Task;

    public Task PostStart(IBus bus, Task<BusReady> busReady)
    {
        ArgumentNullException.ThrowIfNull(busReady);
        // Not awaited: MassTransit calls this while starting; readiness follows later.
        busReady.ContinueWith(ready => { if (ready.IsCompletedSuccessfully) _ready.TrySetResult(); }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return Task.CompletedTask;
    }

    public void PostCreate(IBus bus)
    {
    }

    public void CreateFaulted(Exception exception)
    {
    }

    public Task PreStart(IBus bus) => Task.CompletedTask;

    public Task StartFaulted(IBus bus, Exception exception) => Task.CompletedTask;

    public Task PreStop(IBus bus) => Task.CompletedTask;

    public Task PostStop(IBus bus) => Task.CompletedTask;

    public Task StopFaulted(IBus bus, Exception exception) => Task.CompletedTask;
}
