using MassTransit;

namespace Platform.ServiceDefaults.Messaging;

/// <summary>
/// Completes once the bus has started and all its receive endpoints are ready (queues declared and bound), and
/// stays completed. A bus observer is registered before the bus starts, so unlike polling the bus health it
/// cannot miss a short healthy moment (the broker may drop right after).
/// </summary>
internal sealed class BusReadiness(TimeProvider clock) : IBusObserver
{
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Ready => _ready.Task;

    /// <summary>When the bus was created (the service's start), as a <see cref="TimeProvider"/> timestamp.</summary>
    public long CreatedAt { get; } = clock.GetTimestamp();

    /// <summary>The bus reported healthy (every receive endpoint running): its queues are declared, whatever became of the start.</summary>
    public void SawHealthy() => _ready.TrySetResult();

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
