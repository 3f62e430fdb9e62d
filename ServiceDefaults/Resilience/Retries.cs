using Polly;
using Polly.Retry;

namespace Platform.ServiceDefaults.Resilience;

/// <summary>
/// The one definition of an in-process retry (Polly's retry strategy): a fixed number of attempts, only the exceptions
/// the caller names, a pause chosen per attempt (none by default). Whatever a failed attempt left behind (tracked
/// entities, per-row reasons) is undone by the caller's <c>beforeRetry</c>, passed per run through the context.
/// </summary>
public static class Retries
{
    private static readonly ResiliencePropertyKey<Action> BeforeRetry = new("platform.retries.before-retry");

    /// <param name="attempts">Attempts in all, the first included.</param>
    /// <param name="retriable">The exceptions worth another attempt; any other one passes straight through.</param>
    /// <param name="pause">The pause after the n-th failed attempt (1-based); null for none.</param>
    public static ResiliencePipeline Define(int attempts, Func<Exception, bool> retriable, Func<int, TimeSpan>? pause = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(attempts, 2);
        ArgumentNullException.ThrowIfNull(retriable);
        return new ResiliencePipelineBuilder()
            .AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = attempts - 1,
                ShouldHandle = new PredicateBuilder().Handle(retriable),
                // Polly numbers the failed attempt from 0.
                DelayGenerator = args => ValueTask.FromResult<TimeSpan?>(pause?.Invoke(args.AttemptNumber + 1) ?? TimeSpan.Zero),
                OnRetry = args =>
                {
                    if (args.Context.Properties.TryGetValue(BeforeRetry, out var undo)) undo();
                    return default;
                },
            })
            .Build();
    }

    /// <summary>Runs <paramref name="attempt"/> through <paramref name="pipeline"/>, calling <paramref name="beforeRetry"/> after each retried failure.</summary>
    public static async Task<T> RunAsync<T>(this ResiliencePipeline pipeline, Func<CancellationToken, Task<T>> attempt, Action beforeRetry,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        ArgumentNullException.ThrowIfNull(attempt);
        ArgumentNullException.ThrowIfNull(beforeRetry);
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        try
        {
            context.Properties.Set(BeforeRetry, beforeRetry);
            return await pipeline.ExecuteAsync(static async (ctx, run) => await run(ctx.CancellationToken), context, attempt);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    /// <inheritdoc cref="RunAsync{T}"/>
    public static Task RunAsync(this ResiliencePipeline pipeline, Func<CancellationToken, Task> attempt, Action beforeRetry,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        return pipeline.RunAsync(async ct =>
        {
            await attempt(ct);
            return true;
        }, beforeRetry, cancellationToken);
    }
}
