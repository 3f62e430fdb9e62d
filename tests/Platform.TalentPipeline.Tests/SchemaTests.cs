using Platform.TalentPipeline.Persistence;
using Platform.Testing;

namespace Platform.TalentPipeline.Tests;

public sealed class SchemaTests(ThrowawayPostgres postgres)
{
    [Fact]
    public async Task Migrations_applied_to_an_empty_database_build_exactly_the_schema_of_the_EF_model()
    {
        var differences = await SchemaSnapshot.CompareMigrationsWithModelAsync<TalentPipelineDbContext>(postgres, options => new TalentPipelineDbContext(options));
        Assert.Empty(differences);
    }

    [Fact]
    public void Every_model_change_has_its_migration() =>
        Assert.False(SchemaSnapshot.HasPendingModelChanges<TalentPipelineDbContext>(options => new TalentPipelineDbContext(options)),
            "The EF model changed without a migration: run dotnet tool restore && dotnet ef migrations add <Name> --project <the service project>.");
}
