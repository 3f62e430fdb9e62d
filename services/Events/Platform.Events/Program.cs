using Platform.Events.Consumers;
using Platform.Events.Features.Outcomes;
using Platform.Events.Features.Registrations;
using Platform.ServiceDefaults;
using Platform.ServiceDefaults.Localization;

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
// The feed speaks English and Chinese (Accept-Language).
builder.Services.AddPlatformLocalization();
builder.Services.AddScoped<FeedProjection>();
builder.Services.AddSingleton<FeedLinks>();
builder.Services.AddFeedPages();
// One desk per process: it keeps each event's line of registrations waiting for their turn.
builder.Services.AddSingleton<RegistrationDesk>();

builder.DescribeApiTags(
    ("Events", "Consortium events (founding and council meetings, symposiums, ceremonies, competitions, visits, job fairs, trainings), planned and moved through their lifecycle by their organizers."),
    ("Registrations", "People registered for an event: seats in arrival order, the waitlist, cancellations and check-in."),
    ("Outcomes", "What a held event produced (agreements, unveiled plaques, council designations, competition results) and the consortium's agreements register."),
    ("Members", "The consortium's members as this service knows them from membership, to pick organizers and parties from."),
    ("Feed", "The consortium's activity feed, told from every service's events, as JSON and Atom."));

var app = builder.Build();
app.MapDefaultEndpoints();
app.UsePlatformLocalization();
var api = app.MapPlatformApi();
api.MapEvents();
api.MapRegistrations();
api.MapOutcomes();
api.MapFeed();
api.MapMembers();
app.Run();

/// <summary>Entry point; public so integration tests can host the service.</summary>
public partial class Program;
