using Platform.DemoData.Loading;
using Platform.DemoData.Seeds;
using Platform.Testing;

namespace Platform.DemoData.Tests;

/// <summary>The membership service with nothing loaded.</summary>
public sealed class EmptyPlatform(ThrowawayPostgres postgres, ThrowawayRabbitMq rabbit) : IAsyncLifetime
{
    public ServiceUnderTest<Program> Service { get; private set; } = null!;

    public async ValueTask InitializeAsync() => Service = await ServiceUnderTest<Program>.StartAsync(postgres, rabbit, "membershipdb");

    public async ValueTask DisposeAsync()
    {
        if (Service is not null) await Service.DisposeAsync();
    }
}

public sealed class ConcurrentRunsTests(EmptyPlatform platform) : IClassFixture<EmptyPlatform>
{
    [Fact]
    public async Task Two_runs_at_the_same_moment_load_the_stories_once()
    {
        using var first = platform.Service.ClientWithKey();
        using var second = platform.Service.ClientWithKey();
        using var firstOutput = new StringWriter();
        using var secondOutput = new StringWriter();
        var cancel = TestContext.Current.CancellationToken;

        var runs = await Task.WhenAll(
            DemoLoader.LoadAsync(new DemoServices(first), firstOutput, cancellationToken: cancel),
            DemoLoader.LoadAsync(new DemoServices(second), secondOutput, cancellationToken: cancel));

        // Both runs resolve every slug to the same record: what one created, the other got as the same answer.
        Assert.Equal(runs[0].Organizations, runs[1].Organizations);
        Assert.Equal(runs[0].Consortia, runs[1].Consortia);
        Assert.Equal(StoryOrganizations.All.Count, runs[0].Organizations.Values.Distinct().Count());
        var api = new Api.JsonApi(first);
        Assert.Equal(StoryOrganizations.All.Count, (await api.ListAllAsync<Api.OrganizationDto>("/api/v1/organizations", cancel)).Count);
        Assert.Equal(StoryConsortia.All.Count, (await api.ListAllAsync<Api.ConsortiumDto>("/api/v1/consortia", cancel)).Count);
        var jinan = runs[0].Consortia[StoryConsortia.Jinan.Slug];
        Assert.Equal(29, (await api.ListAllAsync<Api.MembershipDto>($"/api/v1/consortia/{jinan}/memberships", cancel)).Count);

        using var check = new StringWriter();
        var after = await DemoLoader.LoadAsync(new DemoServices(first), check, cancellationToken: cancel);
        Assert.True(after.Created == 0 && after.Notes.Count == 0, check.ToString());
        Assert.Equal(runs[0].Organizations, after.Organizations);
    }
}
