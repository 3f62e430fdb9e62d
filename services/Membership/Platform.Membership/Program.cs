using Platform.Membership.Features.ApiClients;
using Platform.Membership.Features.Charters;
using Platform.Membership.Features.Consortia;
using Platform.Membership.Features.Council;
using Platform.Membership.Features.Memberships;
using Platform.Membership.Features.Organizations;
using Platform.Membership.Features.People;
using Platform.Membership.Persistence;
using Platform.ServiceDefaults;
using Platform.ServiceDefaults.Messaging;
using Platform.ServiceDefaults.Persistence;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults("membership");
builder.AddServiceDatabase<MembershipDbContext>("membershipdb");
builder.AddServiceMessaging("membership", bus => bus.AddConsumer<CouncilDesignationsRecordedConsumer>());
builder.Services.AddSingleton<MemberListCache>();

var app = builder.Build();
app.MapDefaultEndpoints();

var api = app.MapGroup("/api/v1");
api.MapConsortia();
api.MapOrganizations();
api.MapMemberships();
api.MapCouncil();
api.MapCharters();
api.MapPeople();
api.MapApiClients();
app.MapPartnerKeyList();

app.Run();

/// <summary>Entry point; public so integration tests can host the service.</summary>
public partial class Program;
