using Platform.ServiceDefaults;
using Platform.ServiceDefaults.Messaging;
using Platform.Webhooks.Consumers;
using Platform.Webhooks.Features.Deliveries;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults("webhooks");
builder.AddServiceDatabase<WebhooksDbContext>("webhooksdb");
// The integration events fanned out as webhooks (Consumers/), beside the partner keys every service takes.
builder.AddServiceMessaging("webhooks", bus =>
{
    bus.AddConsumer<MembershipConsumer>();
    bus.AddConsumer<OrganizationConsumer>();
    bus.AddConsumer<ProgramConsumer>();
    bus.AddConsumer<FlaggedPlacementConsumer>(typeof(FlaggedPlacementConsumerDefinition));
    bus.AddConsumer<ConsortiumEventConsumer>();
});
builder.AddWebhookTargets();
builder.AddWebhookDeliveries();
builder.DescribeWebhooks();
builder.DescribeApiTags(
    ("Webhook endpoints", "Partner systems register the URLs the platform pushes signed webhooks (Standard Webhooks v1.0) to, choose the event types, rotate the signing secret and send a test delivery."),
    ("Webhook deliveries", "The delivery log of an endpoint (every attempt, its status, duration and the start of the answer) and redelivery of one message or everything since a time."));

var app = builder.Build();
app.MapDefaultEndpoints();
var api = app.MapPlatformApi();
api.MapWebhookEndpoints();
api.MapWebhookDeliveries();
app.Run();

/// <summary>Entry point; public so integration tests can host the service.</summary>
public partial class Program;
