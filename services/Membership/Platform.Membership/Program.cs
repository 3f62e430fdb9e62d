using Platform.Membership.Features.ApiClients;
using Platform.Membership.Features.Charters;
using Platform.Membership.Features.Consortia;
using Platform.Membership.Features.Council;
using Platform.Membership.Features.Memberships;
using Platform.Membership.Features.Organizations;
using Platform.Membership.Features.People;
using Platform.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults("membership");
builder.AddServiceDatabase<MembershipDbContext>("membershipdb");
builder.AddServiceMessaging("membership", bus => bus.AddConsumer<CouncilDesignationsRecordedConsumer>());
builder.Services.AddSingleton<MemberListCache>();
// The member list's versions and members live in memory, kept current by the trigger's NOTIFY and local commits.
builder.Services.AddChangeNotifications<MemberListVersions>(MemberListVersions.Channel);
builder.Services.AddDbContextInterceptor<MembershipDbContext, MemberListWrites>();
builder.DescribeApiTags(
    ("Consortia", "Vocational education groups and industry–education consortia established on the platform."),
    ("Organizations", "Colleges, enterprises, institutes, agencies and associations registered on the platform, members or not."),
    ("Memberships", "An organization's membership of a consortium, from application to withdrawal, with its audit trail."),
    ("Council", "A consortium's numbered council sessions and the roles its members hold on them."),
    ("Charters", "The approved versions of a consortium's charter."),
    ("People", "An organization's representatives and the corporate mentors enterprises lend a consortium."),
    ("API clients", "Partner API keys the operator issues to an organization, with their scopes, and revokes."));

var app = builder.Build();
app.MapDefaultEndpoints();

var api = app.MapPlatformApi();
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
