using Platform.OutboxProbe;
using Platform.Testing;

namespace Platform.ServiceDefaults.Tests.Messaging;

public sealed class ProbeSchemaTests(ThrowawayPostgres postgres)
{
    [Fact]
    public async Task The_probe_migrations_build_exactly_the_schema_of_its_EF_model()
    {
        var differences = await SchemaSnapshot.CompareMigrationsWithModelAsync<ProbeDbContext>(postgres, options => new ProbeDbContext(options));
        Assert.Empty(differences);
    }
}
