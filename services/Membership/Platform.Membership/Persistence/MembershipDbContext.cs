using Microsoft.EntityFrameworkCore;
using Platform.ServiceDefaults.Persistence;

namespace Platform.Membership.Persistence;

public sealed class MembershipDbContext(DbContextOptions<MembershipDbContext> options) : PlatformDbContext(options)
{
    protected override void ConfigureServiceModel(ModelBuilder modelBuilder)
    {
    }
}
