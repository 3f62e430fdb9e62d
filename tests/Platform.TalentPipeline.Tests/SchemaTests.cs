using Platform.TalentPipeline.Persistence;
using Platform.Testing;

namespace Platform.TalentPipeline.Tests;

public sealed class SchemaTests(ThrowawayPostgres postgres)
{
    [Fact]
    public async Task Migrations_build_exactly_the_schema_of_the_EF_model()
    {
        var differences = await SchemaSnapshot.CompareMigrationsWithModelAsync<TalentPipelineDbContext>(postgres, options => new TalentPipelineDbContext(options));
        Assert.Empty(differences);
    }
}
