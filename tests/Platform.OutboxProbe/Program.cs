using System.Globalization;
using MassTransit;
using Platform.OutboxProbe;
using Platform.OutboxProbe.Contracts;
using Platform.ServiceDefaults.Messaging;
using Platform.ServiceDefaults.Persistence;

// Run by the crash test as a separate process:
//   ConnectionStrings__probedb, ConnectionStrings__messaging  where to write and publish
//   Probe__Count, Probe__FirstNumber                          commit this many orders, one transaction each, each with its OrderPlaced
//   Messaging__Outbox__DeliveryEnabled                        false: only write the outbox
//   Probe__Consume                                            true: also consume OrderPlaced (endpoint probe-order-placed)
// It prints "committed <n>" after each commit and "done" at the end, then runs (delivering, if enabled) until killed.
var builder = WebApplication.CreateBuilder(args);
builder.WebHost.UseUrls("http://127.0.0.1:0");
builder.AddServiceDatabase<ProbeDbContext>("probedb");
builder.AddServiceMessaging("probe", builder.Configuration.GetValue("Probe:Consume", false) ? bus => bus.AddConsumer<OrderPlacedConsumer>() : null);

// The tests publish once this prints "done": by then the consumer's queue must be bound to the message type's exchange,
// or the first orders find no route and RabbitMQ drops them (seen: order 1 lost, in no queue).
builder.Services.Configure<MassTransitHostOptions>(options => options.WaitUntilStarted = true);

var app = builder.Build();
await app.StartAsync();

var count = app.Configuration.GetValue("Probe:Count", 0);
var first = app.Configuration.GetValue("Probe:FirstNumber", 1);
for (var number = first; number < first + count; number++)
{
    await using var scope = app.Services.CreateAsyncScope();
    var db = scope.ServiceProvider.GetRequiredService<ProbeDbContext>();
    var order = new Order { Id = Guid.CreateVersion7(), Number = number };
    db.Orders.Add(order);
    db.AddIntegrationEvent(new OrderPlaced { OrderId = order.Id, Number = number });
    await db.SaveChangesAsync();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"committed {number}"));
}
Console.WriteLine("done");
await app.WaitForShutdownAsync();
