using Platform.Membership.Persistence;
using Platform.ServiceDefaults;
using Platform.ServiceDefaults.Messaging;
using Platform.ServiceDefaults.Persistence;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults("membership");
builder.AddServiceDatabase<MembershipDbContext>("membershipdb");
builder.AddServiceMessaging("membership");

var app = builder.Build();
app.MapDefaultEndpoints();
app.Run();

/// <summary>Entry point; public so integration tests can host the service.</summary>
public partial class Program;
