using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Platform.Membership.Contracts;
using Platform.Testing;

namespace Platform.Events.Tests;

/// <summary>
/// The events service the test classes share (real PostgreSQL + RabbitMQ); each test makes its own consortium, so
/// classes running at once do not see each other's data. One start instead of one per class: a start JITs the
/// service's endpoints, EF model and consumers again, most of what the suite spends CPU on.
/// </summary>
public sealed class EventsServiceFixture(ThrowawayPostgres postgres, ThrowawayRabbitMq rabbit) : IAsyncLifetime
{
    /// <summary>Where partners reach talent-pipeline: the feed links programs there.</summary>
    public const string TalentPipelineUrl = "https://pipeline.jining-consortium.example";

    private static readonly SharedService<Program> Shared = new(async (postgres, rabbit) =>
        await ServiceUnderTest<Program>.StartAsync(postgres, rabbit, "eventsdb", new Dictionary<string, string>
        {
            ["Platform:PublicUrls:talent-pipeline"] = TalentPipelineUrl,
        }));

    public ServiceUnderTest<Program> Service { get; private set; } = null!;

    public HttpClient Operator { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Service = await Shared.AcquireAsync(postgres, rabbit);
        Operator = Service.ClientWithKey();
    }

    public async ValueTask DisposeAsync()
    {
        Operator?.Dispose();
        await Shared.ReleaseAsync();
    }

    /// <summary>
    /// A consortium announced by membership (ConsortiumEstablished) with three active members (MembershipActivated),
    /// published through the real outbox and RabbitMQ; returns once the events service has applied them.
    /// </summary>
    public async Task<TestConsortium> NewConsortiumAsync(string timeZone = "Asia/Shanghai")
    {
        var consortium = new TestConsortium(Guid.CreateVersion7(), Guid.CreateVersion7(), Guid.CreateVersion7(), Guid.CreateVersion7(), Guid.CreateVersion7());
        var at = DateTimeOffset.UtcNow.AddMinutes(-10);
        await Service.PublishAsync(new ConsortiumEstablished
        {
            ConsortiumId = consortium.Id,
            Name = "Jining Technician Education Group",
            Kind = "vocationalEducationGroup",
            Region = "Jining, Shandong",
            Sectors = ["intelligent manufacturing"],
            LeadOrganizationIds = [consortium.College],
            TimeZone = timeZone,
            OccurredAt = at,
        });
        await ActivateAsync(consortium.Id, consortium.College, TestConsortium.CollegeName, "vocationalCollege", at);
        await ActivateAsync(consortium.Id, consortium.Enterprise, TestConsortium.EnterpriseName, "enterprise", at);
        await ActivateAsync(consortium.Id, consortium.TechnicianCollege, TestConsortium.TechnicianCollegeName, "technicianCollege", at);
        // An organization that applied but was never approved: registered on the platform, not an active member.
        await Service.PublishAsync(new MembershipApplied
        {
            MembershipId = Guid.CreateVersion7(),
            ConsortiumId = consortium.Id,
            OrganizationId = consortium.Applicant,
            OrganizationName = "Jining Hi-tech Zone Administrative Committee",
            OrganizationKind = "governmentAgency",
            OccurredAt = at,
        });
        await ServiceUnderTest<Program>.EventuallyAsync(async () =>
        {
            // 404 until the first message about the consortium has arrived.
            using var response = await Operator.GetAsync(new Uri($"/api/v1/members?consortiumId={consortium.Id}", UriKind.Relative));
            if (response.StatusCode == HttpStatusCode.NotFound) return false;
            var members = await ReadAsync(response);
            return members.GetProperty("items").GetArrayLength() == 4
                   && await KnowsConsortiumAsync(consortium.Id);
        }, "the events service applied the consortium and its memberships");
        return consortium;
    }

    private async Task<bool> KnowsConsortiumAsync(Guid consortiumId)
    {
        // The consortium's name appears in the Atom feed title once ConsortiumEstablished was applied.
        using var response = await Operator.GetAsync(new Uri($"/api/v1/feed.atom?consortiumId={consortiumId}", UriKind.Relative));
        return (await response.Content.ReadAsStringAsync()).Contains("Jining Technician Education Group", StringComparison.Ordinal);
    }

    public Task ActivateAsync(Guid consortiumId, Guid organizationId, string name, string kind, DateTimeOffset at) =>
        Service.PublishAsync(new MembershipActivated
        {
            MembershipId = Guid.CreateVersion7(),
            ConsortiumId = consortiumId,
            OrganizationId = organizationId,
            OrganizationName = name,
            OrganizationKind = kind,
            OccurredAt = at,
        });

    /// <summary>Plans an event as the operator and moves it to <paramref name="until"/> ("draft", "scheduled", "registrationOpen", "registrationClosed", "held").</summary>
    public async Task<Guid> PlanEventAsync(TestConsortium consortium, string kind = "symposium", int capacity = 50, string until = "registrationOpen",
        Guid[]? organizers = null)
    {
        using var created = await Operator.PostAsJsonAsync("/api/v1/events", new
        {
            kind,
            title = "Jining industry–education integration symposium",
            consortiumId = consortium.Id,
            organizerIds = organizers ?? [consortium.College],
            venue = "Shengdu International Conference Center",
            startsAt = "2025-01-15T09:00:00",
            endsAt = "2025-01-15T11:30:00",
            capacity,
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var path = until switch
        {
            "draft" => Array.Empty<string>(),
            "scheduled" => ["schedule"],
            "registrationOpen" => ["schedule", "open-registration"],
            "registrationClosed" => ["schedule", "open-registration", "close-registration"],
            "held" => ["schedule", "hold"],
            _ => throw new ArgumentOutOfRangeException(nameof(until), until, null),
        };
        foreach (var action in path)
        {
            using var moved = await Operator.PostAsync(new Uri($"/api/v1/events/{id}/{action}", UriKind.Relative), null);
            Assert.Equal(HttpStatusCode.OK, moved.StatusCode);
        }
        return id;
    }

    public static async Task<JsonElement> GetJsonAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        Assert.True(response.IsSuccessStatusCode, $"GET {path} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public static async Task<JsonElement> ReadAsync(HttpResponseMessage response) => await response.Content.ReadFromJsonAsync<JsonElement>();
}

/// <summary>A consortium of the tests: two colleges and an enterprise as active members, and one applicant that is not.</summary>
public sealed record TestConsortium(Guid Id, Guid College, Guid Enterprise, Guid TechnicianCollege, Guid Applicant)
{
    public const string CollegeName = "Shandong Labor Vocational and Technical College";
    public const string EnterpriseName = "Shandong Beichen";
    public const string TechnicianCollegeName = "Jining Technician College";
}
