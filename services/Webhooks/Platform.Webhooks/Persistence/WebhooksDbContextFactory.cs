using Microsoft.EntityFrameworkCore.Design;

namespace Platform.Webhooks.Persistence;

/// <summary>Lets <c>dotnet ef migrations add</c> build the context without the AppHost or a database.</summary>
public sealed class WebhooksDbContextFactory : IDesignTimeDbContextFactory<WebhooksDbContext>
{
    public WebhooksDbContext CreateDbContext(string[] args) => new(ServiceDatabaseOptions.ForDesignTime<WebhooksDbContext>());
}
