using Platform.Events.Consumers;
using Platform.Events.Features.Directory;
using Platform.Events.Features.Events;
using Platform.Events.Features.Feed;
using Platform.Events.Features.Outcomes;
using Platform.Events.Features.Registrations;
using Platform.Events.Persistence;
using Platform.ServiceDefaults;
using Platform.ServiceDefaults.Messaging;
using Platform.ServiceDefaults.Persistence;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults("events");
builder.AddServiceDatabase<EventsDbContext>("eventsdb");
builder.AddServiceMessaging("events", bus =>
{
    bus.AddConsumer<MemberDirectoryConsumer>();
    bus.AddConsumer<CouncilDesignationOutcomeConsumer>();
    bus.AddConsumer<UnveilingOutcomeConsumer>();
    bus.AddConsumer<FeedConsumer>();
    bus.AddConsumer<PlacementFeedConsumer>(typeof(PlacementFeedConsumerDefinition));
});
builder.Services.AddScoped<FeedProjection>();
// One desk per process: it keeps each event's line of registrations waiting for their turn.
builder.Services.AddSingleton<RegistrationDesk>();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapEventEndpoints();
app.MapRegistrationEndpoints();
app.MapOutcomeEndpoints();
app.MapFeedEndpoints();
app.MapMemberEndpoints();
app.Run();

/// <summary>Entry point; public so integration tests can host the service.</summary>
public partial class Program;
