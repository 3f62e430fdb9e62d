using Platform.Events.Persistence;
using Platform.Testing;

namespace Platform.Events.Tests;

public sealed class SchemaTests(ThrowawayPostgres postgres)
{
    [Fact]
    public async Task Migrations_build_exactly_the_schema_of_the_EF_model()
    {
        var differences = await SchemaSnapshot.CompareMigrationsWithModelAsync<EventsDbContext>(postgres, options => new EventsDbContext(options));
        Assert.Empty(differences);
    }
}
