using Platform.OutboxProbe;
using Platform.Testing;

namespace Platform.ServiceDefaults.Tests.Messaging;

public sealed class ProbeSchemaTests(ThrowawayPostgres postgres)
{
    [Fact]
    public async Task The_probe_migrations_applied_to_an_empty_database_build_exactly_the_schema_of_its_EF_model()
    {
        var differences = await SchemaSnapshot.CompareMigrationsWithModelAsync<ProbeDbContext>(postgres, options => new ProbeDbContext(options));
        Assert.Empty(differences);
    }

    [Fact]
    public void Every_model_change_has_its_migration() =>
        Assert.False(SchemaSnapshot.HasPendingModelChanges<ProbeDbContext>(options => new ProbeDbContext(options)),
            "The EF model changed without a migration: run dotnet tool restore && dotnet ef migrations add <Name> --project <the service project>.");
}
