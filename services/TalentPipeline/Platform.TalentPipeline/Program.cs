using Platform.ServiceDefaults;
using Platform.TalentPipeline.Consumers;
using Platform.TalentPipeline.Features.Kpis;
using Platform.TalentPipeline.Features.Placements;
using Platform.TalentPipeline.Features.Talent;

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
builder.DescribeApiTags(
    ("Programs", "Cooperation programs (order classes, apprenticeships, bases, projects) run by colleges and enterprises of a consortium, from draft to launch, completion or cancellation."),
    ("Placements", "Colleges push their trainees' placement events (JSON or CSV) and read each trainee's stage, history and data-quality flags."),
    ("KPIs", "The placement funnel: trainees per stage, placement rate, internship-to-employment conversion and retention."),
    ("Talent demand", "Enterprises post the people they need, and see the consortium's graduating cohorts ranked against each demand with reasons."),
    ("Cohorts", "Colleges declare graduating cohorts, and see the consortium's talent demand ranked against each cohort with reasons."));

var app = builder.Build();
app.MapDefaultEndpoints();
var api = app.MapPlatformApi();
api.MapPrograms();
api.MapTalent();
api.MapPlacements();
api.MapFunnel();
app.Run();

/// <summary>Entry point; public so integration tests can host the service.</summary>
public partial class Program;
