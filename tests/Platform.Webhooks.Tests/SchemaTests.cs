using Platform.Testing;
using Platform.Webhooks.Persistence;

namespace Platform.Webhooks.Tests;

public sealed class SchemaTests(ThrowawayPostgres postgres)
{
    [Fact]
    public async Task Migrations_build_exactly_the_schema_of_the_EF_model()
    {
        var differences = await SchemaSnapshot.CompareMigrationsWithModelAsync<WebhooksDbContext>(postgres, options => new WebhooksDbContext(options));
        Assert.Empty(differences);
    }
}
