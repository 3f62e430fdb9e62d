using Platform.ServiceDefaults;
using Platform.ServiceDefaults.Messaging;
using Platform.ServiceDefaults.Persistence;
using Platform.TalentPipeline.Consumers;
using Platform.TalentPipeline.Features.Kpis;
using Platform.TalentPipeline.Features.Placements;
using Platform.TalentPipeline.Features.Programs;
using Platform.TalentPipeline.Features.Talent;
using Platform.TalentPipeline.Persistence;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults("talent-pipeline");
builder.AddServiceDatabase<TalentPipelineDbContext>("talentpipelinedb");
builder.AddServiceMessaging("talent-pipeline", bus =>
{
    bus.AddConsumer<MembershipConsumer>();
    bus.AddConsumer<OrganizationConsumer>();
    bus.AddConsumer<OutcomesConsumer>();
});
builder.Services.AddScoped<PlacementIngestion>();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapPrograms();
app.MapTalent();
app.MapPlacements();
app.MapFunnel();
app.Run();

/// <summary>Entry point; public so integration tests can host the service.</summary>
public partial class Program;
