using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Platform.Membership.Contracts;
using Platform.ServiceDefaults.Auth;
using Platform.ServiceDefaults.Http;
using Platform.TalentPipeline.Domain;
using Platform.TalentPipeline.Persistence;
using Platform.Testing;

namespace Platform.TalentPipeline.Tests;

/// <summary>A consortium with one college and one enterprise, both active members, and a launched order class between them.</summary>
public sealed record Scenario(Guid ConsortiumId, Guid CollegeId, Guid EnterpriseId, Guid ProgramId, string CollegeKey);

/// <summary>The talent-pipeline service the test classes share; each test builds its own consortium, so tests never share data.</summary>
public sealed class PipelineService(ThrowawayPostgres postgres, ThrowawayRabbitMq rabbit) : IAsyncLifetime
{
    // One start for the classes running at once (each test uses its own consortium): a start JITs the service again.
    private static readonly SharedService<Program> Shared = new((postgres, rabbit) => ServiceUnderTest<Program>.StartAsync(postgres, rabbit, "talentpipelinedb"));

    private ServiceUnderTest<Program>? _service;

    public ServiceUnderTest<Program> Service => _service ?? throw new InvalidOperationException("Not started.");

    public async ValueTask InitializeAsync() => _service = await Shared.AcquireAsync(postgres, rabbit);

    public async ValueTask DisposeAsync() => await Shared.ReleaseAsync();

    public HttpClient Operator() => Service.ClientWithKey();

    /// <summary>Registers an organization and makes it an active member, through membership's events, and waits until applied.</summary>
    public async Task<Guid> AddMemberAsync(Guid consortiumId, string name, string kind, string region = "Jinan, Shandong")
    {
        var organizationId = Guid.CreateVersion7();
        await Service.PublishAsync(new OrganizationRegistered { OrganizationId = organizationId, Name = name, Kind = kind, Region = region, OccurredAt = DateTimeOffset.UtcNow });
        await Service.PublishAsync(new MembershipActivated
        {
            MembershipId = Guid.CreateVersion7(), ConsortiumId = consortiumId, OrganizationId = organizationId, OrganizationName = name,
            OrganizationKind = kind, OccurredAt = DateTimeOffset.UtcNow,
        });
        await WaitForMemberAsync(consortiumId, organizationId, MemberStatus.Active);
        await ServiceUnderTest<Program>.EventuallyAsync(async () =>
        {
            await using var scope = Service.Services.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<TalentPipelineDbContext>().Organizations.AnyAsync(o => o.Id == organizationId);
        }, "the organization profile is applied");
        return organizationId;
    }

    public Task WaitForMemberAsync(Guid consortiumId, Guid organizationId, MemberStatus status) =>
        ServiceUnderTest<Program>.EventuallyAsync(async () =>
        {
            await using var scope = Service.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<TalentPipelineDbContext>();
            return await db.Members.AnyAsync(m => m.ConsortiumId == consortiumId && m.OrganizationId == organizationId && m.Status == status);
        }, $"member {organizationId} is {status}");

    /// <summary>Creates and launches a program as the operator; returns its id.</summary>
    public async Task<Guid> LaunchProgramAsync(Guid consortiumId, Guid collegeId, Guid enterpriseId, string title = "Intelligent welding order class")
    {
        using var client = Operator();
        using var created = await client.PostAsJsonAsync("/api/v1/programs", new
        {
            consortiumId, kind = "orderClass", title, collegeIds = new[] { collegeId }, enterpriseIds = new[] { enterpriseId },
            occupation = "welder", seats = 40, startsOn = "2025-09-01", endsOn = "2026-07-01",
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        using var launched = await client.PostAsync(new Uri($"/api/v1/programs/{id}/launch", UriKind.Relative), null);
        Assert.Equal(HttpStatusCode.OK, launched.StatusCode);
        return id;
    }

    /// <summary>A fresh consortium: Shandong Labor college + Shandong Beichen, a launched order class, and the college's key.</summary>
    public async Task<Scenario> ScenarioAsync()
    {
        var consortiumId = Guid.CreateVersion7();
        var college = await AddMemberAsync(consortiumId, "Shandong Labor Vocational and Technical College", "vocationalCollege");
        var enterprise = await AddMemberAsync(consortiumId, "Shandong Beichen Machinery and Equipment Co., Ltd.", "enterprise");
        var program = await LaunchProgramAsync(consortiumId, college, enterprise);
        var key = await Service.IssuePartnerKeyAsync(college, Scopes.PipelineRead, Scopes.PipelineWrite);
        return new Scenario(consortiumId, college, enterprise, program, key);
    }

    public static object Event(Scenario s, string eventId, string traineeRef, string type, string occurredAt, Guid? enterpriseId = null) =>
        new { eventId, collegeId = s.CollegeId, programId = s.ProgramId, traineeRef, type, occurredAt, enterpriseId };

    /// <summary>Posts a batch and returns the report.</summary>
    public static async Task<JsonElement> PostBatchAsync(HttpClient client, params object[] events)
    {
        using var response = await client.PostAsJsonAsync("/api/v1/placement-events", new { events });
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {body}");
        return body;
    }

    public static string[] Statuses(JsonElement report) => [.. report.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("status").GetString()!)];

    public static async Task<JsonElement> GetAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path}: {(int)response.StatusCode} {body}");
        return body;
    }

    public static JsonSerializerOptions Json => PlatformJson.Options;
}
