using Microsoft.EntityFrameworkCore.Design;
using Platform.ServiceDefaults.Persistence;

namespace Platform.OutboxProbe;

/// <summary>Lets <c>dotnet ef migrations add</c> build the context without a database.</summary>
public sealed class ProbeDbContextFactory : IDesignTimeDbContextFactory<ProbeDbContext>
{
    public ProbeDbContext CreateDbContext(string[] args) => new(ServiceDatabaseOptions.ForDesignTime<ProbeDbContext>());
}
