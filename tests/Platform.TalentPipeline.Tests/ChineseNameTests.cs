using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Platform.Membership.Contracts;
using Platform.TalentPipeline.Contracts;
using Platform.TalentPipeline.Persistence;
using Platform.Testing;

namespace Platform.TalentPipeline.Tests;

/// <summary>The member read model keeps membership's Chinese names, and launched programs name their parties with them.</summary>
public sealed class ChineseNameTests(PipelineService pipeline) : IClassFixture<PipelineService>
{
    private const string CollegeNameZh = "山东劳动职业技术学院";

    [Fact]
    public async Task A_member_announced_with_a_Chinese_name_keeps_it_and_ProgramLaunched_names_the_party_with_it()
    {
        var consortium = Guid.CreateVersion7();
        // Announced without a Chinese name first, as a producer from before them sends: still applied, nameZh null.
        var college = await pipeline.AddMemberAsync(consortium, "Shandong Labor Vocational and Technical College", "vocationalCollege");
        var enterprise = await pipeline.AddMemberAsync(consortium, "Shandong Beichen", "enterprise");
        Assert.Null(await NameZhAsync(consortium, college));

        await pipeline.Service.PublishAsync(new MembershipReinstated
        {
            MembershipId = Guid.CreateVersion7(), ConsortiumId = consortium, OrganizationId = college, OrganizationName = "Shandong Labor Vocational and Technical College",
            OrganizationNameZh = CollegeNameZh, OrganizationKind = "vocationalCollege", OccurredAt = DateTimeOffset.UtcNow, Version = 5,
        });
        await ServiceUnderTest<Program>.EventuallyAsync(async () => await NameZhAsync(consortium, college) == CollegeNameZh, "the member's Chinese name is applied");

        await using var launched = await pipeline.Service.WatchAsync<ProgramLaunched>();
        var program = await pipeline.LaunchProgramAsync(consortium, college, enterprise);
        var announced = await launched.NextAsync(e => e.ProgramId == program);
        Assert.Equal((college, "Shandong Labor Vocational and Technical College", CollegeNameZh),
            (announced.Colleges.Single().OrganizationId, announced.Colleges.Single().Name, announced.Colleges.Single().NameZh));
        Assert.Equal(("Shandong Beichen", (string?)null), (announced.Enterprises.Single().Name, announced.Enterprises.Single().NameZh));
    }

    private async Task<string?> NameZhAsync(Guid consortiumId, Guid organizationId)
    {
        await using var scope = pipeline.Service.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<TalentPipelineDbContext>().Members
            .Where(m => m.ConsortiumId == consortiumId && m.OrganizationId == organizationId).Select(m => m.NameZh).SingleAsync();
    }
}
