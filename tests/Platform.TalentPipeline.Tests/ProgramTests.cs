using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Platform.Events.Contracts;
using Platform.TalentPipeline.Contracts;
using Platform.TalentPipeline.Domain;
using Platform.TalentPipeline.Persistence;
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
        using (var launch = await client.PostAsync(new Uri($"/api/v1/programs/{id}/launch", UriKind.Relative), null, TestContext.Current.CancellationToken))
            Assert.Equal(HttpStatusCode.OK, launch.StatusCode);
        var announced = await launched.NextAsync(e => e.ProgramId == id);
        Assert.Equal("Shandong Beichen", announced.Enterprises.Single().Name);
        using var again = await client.PostAsync(new Uri($"/api/v1/programs/{id}/launch", UriKind.Relative), null, TestContext.Current.CancellationToken);
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

    private static readonly OutcomeRecorder ByOperator = new() { Kind = OutcomeRecorder.OperatorKind };

    private static PlaqueUnveiled Plaque(Guid consortium, Guid host, string name, string kind, OutcomeRecorder? recordedBy = null) => new()
    {
        UnveilingId = Guid.CreateVersion7(), EventId = Guid.CreateVersion7(), ConsortiumId = consortium, Name = name, HostOrganizationId = host,
        HostOrganizationName = "CNPC Jinan Diesel Power", Kind = kind, UnveiledOn = new DateOnly(2024, 11, 14), OccurredAt = DateTimeOffset.UtcNow,
        RecordedBy = recordedBy ?? ByOperator,
    };

    private static OutcomeRecorder ByPartner(Guid organizationId) => new() { Kind = OutcomeRecorder.PartnerKind, OrganizationId = organizationId };

    private async Task<Guid> DraftBaseAsync(Guid consortium, Guid college, Guid enterprise, string kind, string title)
    {
        using var client = pipeline.Operator();
        using var created = await client.PostAsJsonAsync("/api/v1/programs", new
        {
            consortiumId = consortium, kind, title, collegeIds = new[] { college }, enterpriseIds = new[] { enterprise },
        }, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return (await created.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("id").GetGuid();
    }

    [Fact]
    public async Task An_unveiling_recorded_by_a_partner_acts_only_on_programs_its_organization_is_party_to()
    {
        // The attack: an organizer records a plaque naming another organization as host to launch that host's draft base.
        var consortium = Guid.CreateVersion7();
        var host = await pipeline.AddMemberAsync(consortium, "CNPC Jinan Diesel Power", "enterprise");
        var college = await pipeline.AddMemberAsync(consortium, "Shandong Labor Vocational and Technical College", "vocationalCollege");
        var outsider = await pipeline.AddMemberAsync(consortium, "Jining Technician College", "technicianCollege");
        var draft = await DraftBaseAsync(consortium, college, host, "internshipBase", "Internship Base");
        await using var rejected = await pipeline.Service.WatchAsync<PlaqueUnveilingRejected>();
        await using var applied = await pipeline.Service.WatchAsync<PlaqueUnveilingApplied>();

        var byOutsider = Plaque(consortium, host, "Internship Base", "internshipBase", ByPartner(outsider));
        await pipeline.Service.PublishAsync(byOutsider);
        var refusal = await rejected.NextAsync(e => e.UnveilingId == byOutsider.UnveilingId);
        Assert.Contains("not party to the host's internshipBase program", Assert.Single(refusal.Reasons["recordedBy"]), StringComparison.Ordinal);
        var unknown = Plaque(consortium, host, "Internship Base", "internshipBase") with { RecordedBy = null };
        await pipeline.Service.PublishAsync(unknown);
        Assert.Contains("does not say who recorded it", (await rejected.NextAsync(e => e.UnveilingId == unknown.UnveilingId)).Reasons["recordedBy"][0], StringComparison.Ordinal);
        // Nor does an outsider create a base at someone else's site.
        var newBase = Plaque(consortium, host, "Employment Base", "employmentBase", ByPartner(outsider));
        await pipeline.Service.PublishAsync(newBase);
        Assert.Contains("not the host", (await rejected.NextAsync(e => e.UnveilingId == newBase.UnveilingId)).Reasons["recordedBy"][0], StringComparison.Ordinal);
        using var client = pipeline.Operator();
        Assert.Equal("draft", (await GetAsync(client, $"/api/v1/programs/{draft}")).GetProperty("status").GetString());
        Assert.Equal(1, (await GetAsync(client, $"/api/v1/programs?consortiumId={consortium}")).GetProperty("items").GetArrayLength());

        // A party of the program (the college, not even the host) may.
        var byParty = Plaque(consortium, host, "Internship Base", "internshipBase", ByPartner(college));
        await pipeline.Service.PublishAsync(byParty);
        Assert.Equal(draft, (await applied.NextAsync(e => e.UnveilingId == byParty.UnveilingId)).ProgramId);
        Assert.Equal("active", (await GetAsync(client, $"/api/v1/programs/{draft}")).GetProperty("status").GetString());
    }

    [Fact]
    public async Task An_unveiling_never_skips_the_launch_rule_that_every_party_is_an_active_member()
    {
        var consortium = Guid.CreateVersion7();
        var host = await pipeline.AddMemberAsync(consortium, "CNPC Jinan Diesel Power", "enterprise");
        var college = await pipeline.AddMemberAsync(consortium, "Shandong Labor Vocational and Technical College", "vocationalCollege");
        // A draft base whose college was never an active member here (e.g. an agreement's party membership has not confirmed).
        var stranger = Guid.CreateVersion7();
        var draftId = Guid.CreateVersion7();
        await using (var scope = pipeline.Service.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<TalentPipelineDbContext>();
            db.Programs.Add(CooperationProgram.Create(draftId, consortium, ProgramKind.TrainingBase, "Training Base", [stranger], [host],
                occupation: null, seats: null, startsOn: null, endsOn: null, DateTimeOffset.UtcNow));
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        }
        await using var rejected = await pipeline.Service.WatchAsync<PlaqueUnveilingRejected>();
        await using var applied = await pipeline.Service.WatchAsync<PlaqueUnveilingApplied>();

        var plaque = Plaque(consortium, host, "Training Base", "trainingBase");
        await pipeline.Service.PublishAsync(plaque);
        var refusal = await rejected.NextAsync(e => e.UnveilingId == plaque.UnveilingId);
        Assert.Contains($"not active: {stranger}", Assert.Single(refusal.Reasons["program"]), StringComparison.Ordinal);
        // Nor is a base created and launched at a host that is no active member.
        var nowhere = Plaque(consortium, Guid.CreateVersion7(), "Phantom Base", "employmentBase");
        await pipeline.Service.PublishAsync(nowhere);
        Assert.Contains("Every party must be an active member", (await rejected.NextAsync(e => e.UnveilingId == nowhere.UnveilingId)).Reasons["program"][0], StringComparison.Ordinal);

        using var client = pipeline.Operator();
        Assert.Equal("draft", (await GetAsync(client, $"/api/v1/programs/{draftId}")).GetProperty("status").GetString());
        Assert.Equal(1, (await GetAsync(client, $"/api/v1/programs?consortiumId={consortium}")).GetProperty("items").GetArrayLength());
        // The college is an active member: its own base is created and launched by the operator's unveiling.
        var own = Plaque(consortium, college, "Teacher Practice Center", "teacherPracticeCenter");
        await pipeline.Service.PublishAsync(own);
        var program = (await applied.NextAsync(e => e.UnveilingId == own.UnveilingId)).ProgramId;
        Assert.Equal("active", (await GetAsync(client, $"/api/v1/programs/{program}")).GetProperty("status").GetString());
    }
}
