using System.Diagnostics;

namespace Platform.EndToEnd.Tests.Clients;

/// <summary>What both generated-client flows share: the partner's data and the wait for what crosses the broker.</summary>
internal static class PartnerFlow
{
    public static CancellationToken Cancel => TestContext.Current.CancellationToken;

    /// <summary>The scopes the operator grants the college's key for the flow.</summary>
    public static readonly string[] CollegeScopes = ["membership:read", "pipeline:read", "pipeline:write", "events:read"];

    /// <summary>Each trainee's path; five trainees through it make the batch of 20.</summary>
    public static readonly string[] Stages = ["enrolled", "internshipStarted", "internshipCompleted", "employed"];

    public const int Trainees = 5;

    public static string Unique(string name) => $"{name} (partner client {Guid.NewGuid():N})";

    /// <summary>The 20 placement events: trainee i reaches stage s on day s, a few days back (never in the future).</summary>
    public static IEnumerable<(string EventId, string TraineeRef, string Stage, DateTimeOffset OccurredAt)> Placements(string run)
    {
        var start = DateTimeOffset.UtcNow.AddDays(-10);
        for (var trainee = 1; trainee <= Trainees; trainee++)
            for (var stage = 0; stage < Stages.Length; stage++)
                yield return ($"{run}-t{trainee}-{Stages[stage]}", $"{run}-t{trainee}", Stages[stage], start.AddDays(stage).AddMinutes(trainee));
    }

    /// <summary>
    /// Retries <paramref name="attempt"/> until it returns a value: keys and memberships reach the other services over
    /// RabbitMQ, so their first answers may be 401 or "not an active member". Fails with the last answer.
    /// </summary>
    public static async Task<T> EventuallyAsync<T>(string what, Func<Task<T?>> attempt, int seconds = 60) where T : class
    {
        var clock = Stopwatch.StartNew();
        Exception? last = null;
        while (clock.Elapsed < TimeSpan.FromSeconds(seconds))
        {
            try
            {
                if (await attempt() is { } value) return value;
                last = null;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                last = e;
            }
            await Task.Delay(250, Cancel);
        }
        throw new TimeoutException($"{what}: not within {seconds} s. Last answer: {last?.Message ?? "none"}", last);
    }
}
