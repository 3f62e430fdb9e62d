using Platform.ServiceDefaults.Resilience;

namespace Platform.TalentPipeline.Tests.Placements;

/// <summary>The one retry definition (Polly) behind ingestion's deadlock retry and the services' conflict retries.</summary>
public sealed class RetriesTests
{
    [Fact]
    public async Task Retries_a_named_exception_up_to_the_attempts_and_undoes_each_failed_attempt()
    {
        var pipeline = Retries.Define(3, e => e is TimeoutException);
        var attempts = 0;
        var undone = 0;

        await Assert.ThrowsAsync<TimeoutException>(() => pipeline.RunAsync(_ =>
        {
            attempts++;
            throw new TimeoutException();
        }, () => undone++, CancellationToken.None));

        Assert.Equal(3, attempts);
        Assert.Equal(2, undone);
    }

    [Fact]
    public async Task Answers_with_the_first_attempt_that_succeeds()
    {
        var pipeline = Retries.Define(4, e => e is TimeoutException);
        var attempts = 0;

        var answer = await pipeline.RunAsync(_ => ++attempts < 3 ? throw new TimeoutException() : Task.FromResult(attempts), () => { }, CancellationToken.None);

        Assert.Equal(3, answer);
    }

    [Fact]
    public async Task Passes_any_other_exception_through_at_once()
    {
        var pipeline = Retries.Define(4, e => e is TimeoutException);
        var attempts = 0;

        await Assert.ThrowsAsync<InvalidOperationException>(() => pipeline.RunAsync(_ =>
        {
            attempts++;
            throw new InvalidOperationException();
        }, () => { }, CancellationToken.None));

        Assert.Equal(1, attempts);
    }

    [Fact]
    public async Task Pauses_as_told_after_each_failed_attempt()
    {
        var asked = new List<int>();
        var pipeline = Retries.Define(3, e => e is TimeoutException, attempt =>
        {
            asked.Add(attempt);
            return TimeSpan.FromMilliseconds(1);
        });

        await Assert.ThrowsAsync<TimeoutException>(() => pipeline.RunAsync(_ => throw new TimeoutException(), () => { }, CancellationToken.None));

        Assert.Equal([1, 2], asked);
    }
}
