using Platform.Membership.Contracts;
using Xunit;

namespace Platform.Testing;

/// <summary>
/// The fuzz test every service runs (issue 11): <see cref="OpenApiFuzzer"/> over the service's own OpenAPI document,
/// bounded and seeded, asserting 0 × 5xx and a problem document with every 4xx.
/// </summary>
public static class ServiceFuzzing
{
    /// <summary>The seed every service's fuzz test uses; printed with the report, change it to explore.</summary>
    public const int Seed = 20261129;

    /// <summary>A rate limit the fuzzer does not hit, so its requests reach the handlers.</summary>
    public static IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string>
    {
        ["Platform:RateLimit:PermitsPerSecond"] = "100000",
        ["Platform:RateLimit:Burst"] = "100000",
    };

    /// <summary>Runs the fuzzer as the operator and fails with the report when any answer breaks the promise.</summary>
    public static async Task AssertNoServerErrorsAsync<TProgram>(ServiceUnderTest<TProgram> service, int requests, IReadOnlyDictionary<string, string[]> known)
        where TProgram : class
    {
        ArgumentNullException.ThrowIfNull(service);
        using var client = service.ClientWithKey();
        var report = await OpenApiFuzzer.RunAsync(client, Seed, requests, known, TestContext.Current.CancellationToken);
        TestContext.Current.TestOutputHelper?.WriteLine(report.Describe());
        Assert.True(report.Failures.Count == 0, report.Describe());
        Assert.True(report.Operations >= 5, $"The OpenAPI document listed only {report.Operations} operations.");
    }

    /// <summary>
    /// A consortium with a college and an enterprise as active members, announced the way membership does (through
    /// the service's outbox and RabbitMQ); returns the ids by the names the API uses, for <see cref="OpenApiFuzzer"/>.
    /// </summary>
    public static async Task<Dictionary<string, string[]>> AnnounceConsortiumAsync<TProgram>(ServiceUnderTest<TProgram> service) where TProgram : class
    {
        ArgumentNullException.ThrowIfNull(service);
        var consortium = Guid.CreateVersion7();
        var college = Guid.CreateVersion7();
        var enterprise = Guid.CreateVersion7();
        var at = DateTimeOffset.UtcNow.AddMinutes(-5);
        await service.PublishAsync(new OrganizationRegistered { OrganizationId = college, Name = "Shandong Labor Vocational and Technical College", Kind = "vocationalCollege", Region = "Jinan", OccurredAt = at });
        await service.PublishAsync(new OrganizationRegistered { OrganizationId = enterprise, Name = "Shandong Beichen", Kind = "enterprise", Region = "Jinan", OccurredAt = at });
        await service.PublishAsync(new ConsortiumEstablished
        {
            ConsortiumId = consortium, Name = "Jining Technician Education Group", Kind = "vocationalEducationGroup", Region = "Jining, Shandong",
            Sectors = ["intelligent manufacturing"], LeadOrganizationIds = [college], TimeZone = "Asia/Shanghai", OccurredAt = at,
        });
        foreach (var (id, name, kind) in new[] { (college, "Shandong Labor Vocational and Technical College", "vocationalCollege"), (enterprise, "Shandong Beichen", "enterprise") })
        {
            await service.PublishAsync(new MembershipActivated
            {
                MembershipId = Guid.CreateVersion7(), ConsortiumId = consortium, OrganizationId = id, OrganizationName = name, OrganizationKind = kind, OccurredAt = at,
            });
        }
        // Consumers apply these in the background; the fuzzer does not need them applied, only likely.
        await Task.Delay(TimeSpan.FromSeconds(2));
        string[] both = [college.ToString(), enterprise.ToString()];
        return new Dictionary<string, string[]>
        {
            ["consortiumId"] = [consortium.ToString()],
            ["collegeId"] = [college.ToString()],
            ["enterpriseId"] = [enterprise.ToString()],
            ["organizationId"] = both,
            ["hostOrganizationId"] = both,
            ["organizerId"] = both,
            ["partie"] = both,
        };
    }
}
