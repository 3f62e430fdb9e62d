using Microsoft.EntityFrameworkCore;
using Platform.ServiceDefaults.Persistence;

namespace Platform.TalentPipeline.Persistence;

public sealed class TalentPipelineDbContext(DbContextOptions<TalentPipelineDbContext> options) : PlatformDbContext(options)
{
    protected override void ConfigureServiceModel(ModelBuilder modelBuilder)
    {
    }
}
