using Microsoft.EntityFrameworkCore.Design;

namespace Platform.Events.Persistence;

/// <summary>Lets <c>dotnet ef migrations add</c> build the context without the AppHost or a database.</summary>
public sealed class EventsDbContextFactory : IDesignTimeDbContextFactory<EventsDbContext>
{
    public EventsDbContext CreateDbContext(string[] args) => new(ServiceDatabaseOptions.ForDesignTime<EventsDbContext>());
}
