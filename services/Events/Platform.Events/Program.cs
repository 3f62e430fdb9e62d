using Platform.Events.Persistence;
using Platform.ServiceDefaults;
using Platform.ServiceDefaults.Messaging;
using Platform.ServiceDefaults.Persistence;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults("events");
builder.AddServiceDatabase<EventsDbContext>("eventsdb");
builder.AddServiceMessaging("events");

var app = builder.Build();
app.MapDefaultEndpoints();
app.Run();

/// <summary>Entry point; public so integration tests can host the service.</summary>
public partial class Program;
