using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Platform.Events.Contracts;
using Platform.TalentPipeline.Contracts;
using static Platform.TalentPipeline.Tests.PipelineService;

namespace Platform.TalentPipeline.Tests;

public sealed class ProgramTests(PipelineService pipeline) : IClassFixture<PipelineService>
{
    [Fact]
    public async Task An_order_class_agreement_signed_at_a_ceremony_creates_a_draft_program_that_launches_with_its_parties()
    {
        var consortium = Guid.CreateVersion7();
        var college = await pipeline.AddMemberAsync(consortium, "Shandong Labor Vocational and Technical College", "vocationalCollege");
        var enterprise = await pipeline.AddMemberAsync(consortium, "Shandong Beichen", "enterprise");
        var agreementId = Guid.CreateVersion7();
        await pipeline.Service.PublishAsync(new AgreementSigned
        {
            AgreementId = agreementId, EventId = Guid.CreateVersion7(), EventTitle = "Consortium construction meeting", ConsortiumId = consortium,
            Kind = "orderClass", Title = "Intelligent welding order class", Occupation = "intelligent welding",
            Parties =
            [
                new AgreementParty { OrganizationId = enterprise, OrganizationName = "Shandong Beichen", OrganizationKind = "enterprise" },
                new AgreementParty { OrganizationId = college, OrganizationName = "Shandong Labor Vocational and Technical College", OrganizationKind = "vocationalCollege" },
            ],
            SignedOn = new DateOnly(2024, 11, 14), OccurredAt = DateTimeOffset.UtcNow,
        });

        using var client = pipeline.Operator();
        JsonElement program = default;
        await Platform.Testing.ServiceUnderTest<Program>.EventuallyAsync(async () =>
        {
            var page = await GetAsync(client, $"/api/v1/programs?consortiumId={consortium}");
            if (page.GetProperty("items").GetArrayLength() == 0) return false;
            program = page.GetProperty("items")[0];
            return true;
        }, "the agreement's program exists");
        Assert.Equal(("orderClass", "draft", agreementId), (program.GetProperty("kind").GetString(), program.GetProperty("status").GetString(), program.GetProperty("agreementId").GetGuid()));
        Assert.Equal([college], program.GetProperty("collegeIds").EnumerateArray().Select(e => e.GetGuid()));
        Assert.Equal([enterprise], program.GetProperty("enterpriseIds").EnumerateArray().Select(e => e.GetGuid()));

        await using var launched = await pipeline.Service.WatchAsync<ProgramLaunched>();
        var id = program.GetProperty("id").GetGuid();
        using (var launch = await client.PostAsJsonAsync($"/api/v1/programs/{id}/launch", new { reason = "first class enrolled" }, TestContext.Current.CancellationToken))
            Assert.Equal(HttpStatusCode.OK, launch.StatusCode);
        var announced = await launched.NextAsync(e => e.ProgramId == id);
        Assert.Equal("Shandong Beichen", announced.Enterprises.Single().Name);
        using var again = await client.PostAsJsonAsync($"/api/v1/programs/{id}/launch", new { reason = "again" }, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
    }

    [Fact]
    public async Task An_unveiled_plaque_activates_the_matching_draft_base_or_creates_it()
    {
        var consortium = Guid.CreateVersion7();
        var host = await pipeline.AddMemberAsync(consortium, "CNPC Jinan Diesel Power", "enterprise");
        var college = await pipeline.AddMemberAsync(consortium, "Shandong Labor Vocational and Technical College", "vocationalCollege");
        using var client = pipeline.Operator();
        using var created = await client.PostAsJsonAsync("/api/v1/programs", new
        {
            consortiumId = consortium, kind = "teacherPracticeCenter", title = "Teacher Practice Center", collegeIds = new[] { college }, enterpriseIds = new[] { host },
        }, TestContext.Current.CancellationToken);
        var draftId = (await created.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("id").GetGuid();
        await using var launched = await pipeline.Service.WatchAsync<ProgramLaunched>();

        await pipeline.Service.PublishAsync(Plaque(consortium, host, "Teacher Practice Center", "teacherPracticeCenter"));
        await launched.NextAsync(e => e.ProgramId == draftId);
        Assert.Equal("active", (await GetAsync(client, $"/api/v1/programs/{draftId}")).GetProperty("status").GetString());

        await pipeline.Service.PublishAsync(Plaque(consortium, host, "High-Skill Talent Training Base", "trainingBase"));
        var createdBase = await launched.NextAsync(e => e.ConsortiumId == consortium && e.Kind == "trainingBase");
        Assert.Equal("High-Skill Talent Training Base", createdBase.Title);
        Assert.Equal(host, createdBase.Enterprises.Single().OrganizationId);
    }

    [Fact]
    public async Task Only_active_members_can_be_parties_to_a_program()
    {
        var consortium = Guid.CreateVersion7();
        var college = await pipeline.AddMemberAsync(consortium, "Jining Technician College", "technicianCollege");
        using var client = pipeline.Operator();
        using var response = await client.PostAsJsonAsync("/api/v1/programs", new
        {
            consortiumId = consortium, kind = "apprenticeship", title = "New apprenticeship", collegeIds = new[] { college }, enterpriseIds = new[] { Guid.CreateVersion7() },
        }, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        Assert.True(problem.GetProperty("errors").TryGetProperty("enterpriseIds[0]", out _), problem.ToString());
    }

    private static PlaqueUnveiled Plaque(Guid consortium, Guid host, string name, string kind) => new()
    {
        UnveilingId = Guid.CreateVersion7(), EventId = Guid.CreateVersion7(), ConsortiumId = consortium, Name = name, HostOrganizationId = host,
        HostOrganizationName = "CNPC Jinan Diesel Power", Kind = kind, UnveiledOn = new DateOnly(2024, 11, 14), OccurredAt = DateTimeOffset.UtcNow,
    };
}
