using Microsoft.EntityFrameworkCore.Design;

namespace Platform.Membership.Persistence;

/// <summary>Lets <c>dotnet ef migrations add</c> build the context without the AppHost or a database.</summary>
public sealed class MembershipDbContextFactory : IDesignTimeDbContextFactory<MembershipDbContext>
{
    public MembershipDbContext CreateDbContext(string[] args) => new(ServiceDatabaseOptions.ForDesignTime<MembershipDbContext>());
}
