using Platform.AppHost.Model;

// The whole platform on one machine: PostgreSQL and RabbitMQ as child processes, then the services,
// wired through environment variables. ./run.sh [--help] starts it.
var app = DistributedApplication.Create(args);

var postgres = app.AddPostgres("postgres");
var membershipDb = postgres.AddDatabase("membershipdb");
var talentPipelineDb = postgres.AddDatabase("talentpipelinedb");
var eventsDb = postgres.AddDatabase("eventsdb");

var messaging = app.AddRabbitMq("messaging");

// The services do not wait for each other: each keeps a local read model of the others, so they start in parallel.
var membership = app.AddService("membership", "services/Membership/Platform.Membership")
    .WithReference(membershipDb).WaitFor(membershipDb)
    .WithReference(messaging).WaitFor(messaging);

var talentPipeline = app.AddService("talent-pipeline", "services/TalentPipeline/Platform.TalentPipeline")
    .WithReference(talentPipelineDb).WaitFor(talentPipelineDb)
    .WithReference(messaging).WaitFor(messaging)
    .WithReference(membership);

var events = app.AddService("events", "services/Events/Platform.Events")
    .WithReference(eventsDb).WaitFor(eventsDb)
    .WithReference(messaging).WaitFor(messaging)
    .WithReference(membership)
    .WithReference(talentPipeline);

// The operator dashboard: receives every other service's telemetry (OTLP over HTTP), reads the AppHost's status
// endpoint (every resource's state and console output) and the broker's management API.
app.AddService("dashboard", "services/Dashboard/Platform.Dashboard", optional: true)
    .WithReference(membership)
    .WithReference(talentPipeline)
    .WithReference(events)
    .WithReference(messaging)
    .WithRabbitMqManagement(messaging)
    .WithAppHostStatus()
    .ReceivesTelemetry();

return await app.RunAsync();
