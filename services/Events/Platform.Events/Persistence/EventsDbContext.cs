using Microsoft.EntityFrameworkCore;
using Platform.ServiceDefaults.Persistence;

namespace Platform.Events.Persistence;

public sealed class EventsDbContext(DbContextOptions<EventsDbContext> options) : PlatformDbContext(options)
{
    protected override void ConfigureServiceModel(ModelBuilder modelBuilder)
    {
    }
}
