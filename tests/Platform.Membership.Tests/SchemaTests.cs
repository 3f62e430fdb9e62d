using Platform.Membership.Persistence;
using Platform.Testing;

namespace Platform.Membership.Tests;

public sealed class SchemaTests(ThrowawayPostgres postgres)
{
    [Fact]
    public async Task Migrations_build_exactly_the_schema_of_the_EF_model()
    {
        var differences = await SchemaSnapshot.CompareMigrationsWithModelAsync<MembershipDbContext>(postgres, options => new MembershipDbContext(options));
        Assert.Empty(differences);
    }
}
