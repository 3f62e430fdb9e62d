using Microsoft.EntityFrameworkCore.Design;

namespace Platform.TalentPipeline.Persistence;

/// <summary>Lets <c>dotnet ef migrations add</c> build the context without the AppHost or a database.</summary>
public sealed class TalentPipelineDbContextFactory : IDesignTimeDbContextFactory<TalentPipelineDbContext>
{
    public TalentPipelineDbContext CreateDbContext(string[] args) => new(ServiceDatabaseOptions.ForDesignTime<TalentPipelineDbContext>());
}
