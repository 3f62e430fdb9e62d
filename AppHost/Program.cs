using Platform.AppHost.Local;
using Platform.Hosting.Aspire;

// The whole platform on one machine under .NET Aspire: PostgreSQL and RabbitMQ as executables from the OS
// packages (no container engine needed), the services as projects, the Aspire dashboard for telemetry.
// ./run.sh [--help] starts it; see Local/LocalRun.cs for the data folder, ports and keys.
using var run = LocalRun.Open(args, out var exitCode);
if (run is null) return exitCode;

var builder = DistributedApplication.CreateBuilder(run.BuilderOptions());

var postgres = builder.AddPostgresServer("postgres", run.DataFolder.Combine("postgres"), run.Ports.Keep("postgres"));
var membershipDb = postgres.AddDatabase("membershipdb");
var talentPipelineDb = postgres.AddDatabase("talentpipelinedb");
var eventsDb = postgres.AddDatabase("eventsdb");
var webhooksDb = postgres.AddDatabase("webhooksdb");

// One node, or with --scale a 3-node cluster (quorum queues on every node) and 2 instances per service behind a balancer.
var messaging = builder.AddPlatformBroker("messaging", run);

// The services do not wait for each other: each keeps a local read model of the others, so they start in parallel.
var membership = builder.AddPlatformService<Projects.Platform_Membership>("membership", run, instance => instance
    .WithReference(membershipDb).WaitFor(membershipDb)
    .WithReference(messaging).WaitFor(messaging));

var talentPipeline = builder.AddPlatformService<Projects.Platform_TalentPipeline>("talent-pipeline", run, instance => instance
    .WithReference(talentPipelineDb).WaitFor(talentPipelineDb)
    .WithReference(messaging).WaitFor(messaging)
    .WithReference(membership));

var events = builder.AddPlatformService<Projects.Platform_Events>("events", run, instance => instance
    .WithReference(eventsDb).WaitFor(eventsDb)
    .WithReference(messaging).WaitFor(messaging)
    .WithReference(membership)
    .WithReference(talentPipeline));

// Pushes the platform's events to partner systems as signed webhooks; membership for the partner keys' reconcile.
// A developer's receiver listens on localhost or the LAN: only an AppHost started in Development
// (`DOTNET_ENVIRONMENT=Development ./run.sh`) lets the service deliver there. Without it (./run.sh, and the tests'
// AppHosts, Aspire.Hosting.Testing included) the AppHost runs in Production: public https targets only.
var webhooks = builder.AddPlatformService<Projects.Platform_Webhooks>("webhooks", run, instance => instance
    .WithReference(webhooksDb).WaitFor(webhooksDb)
    .WithReference(messaging).WaitFor(messaging)
    .WithReference(membership)
    .AllowingPrivateWebhookTargetsInDevelopment());

// The operator dashboard: consortium KPIs, message flow and webhooks; telemetry is the Aspire dashboard's, which it links to.
builder.AddProject<Projects.Platform_Dashboard>("dashboard", launchProfileName: null)
    .AsPlatformService(run)
    .WithReference(membership)
    .WithReference(talentPipeline)
    .WithReference(events)
    .WithReference(webhooks)
    .WithReference(messaging)
    .WithEnvironment("Dashboard__RabbitMq__ManagementUrl", messaging.Resource.ManagementUrlExpression)
    .WithAspireDashboardUrl("Dashboard__AspireDashboard__Url");

run.ReportTo(builder);
await builder.Build().RunAsync();
return 0;
