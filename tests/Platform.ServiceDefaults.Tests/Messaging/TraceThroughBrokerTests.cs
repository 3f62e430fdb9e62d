using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Trace;
using Platform.OutboxProbe;
using Platform.OutboxProbe.Contracts;
using Platform.ServiceDefaults.Messaging;
using Platform.Testing;

namespace Platform.ServiceDefaults.Tests.Messaging;

/// <summary>The telemetry a service really exports (ServiceDefaults' providers), across the outbox and RabbitMQ.</summary>
public sealed class TraceThroughBrokerTests(ThrowawayPostgres postgres, ThrowawayRabbitMq rabbit)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private sealed class SpanCapture : BaseProcessor<Activity>
    {
        public ConcurrentQueue<Activity> Spans { get; } = new();

        public override void OnEnd(Activity data)
        {
            if (data.Recorded) Spans.Enqueue(data);
        }
    }

    [Fact]
    public async Task A_request_its_outbox_delivery_and_the_consumer_are_one_trace_and_sweeps_start_none()
    {
        var capture = new SpanCapture();
        var database = await postgres.CreateDatabaseAsync();
        var databaseName = new NpgsqlConnectionStringBuilder(database).Database;
        await using var service = await ProbeService.StartAsync(database, await rabbit.CreateVirtualHostAsync(), ProbeService.RecordOrders,
            new Dictionary<string, string?> { ["Platform:OperatorKey"] = "op-trace-test-key", ["Messaging:Outbox:SweepInterval"] = "00:00:00.100" },
            configure: builder =>
            {
                builder.AddServiceDefaults("probe");
                builder.Services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddProcessor(capture));
            },
            map: app =>
            {
                app.MapDefaultEndpoints();
                app.MapPost("/orders/{number:int}", async (int number, ProbeDbContext db, CancellationToken cancellationToken) =>
                {
                    var order = new Order { Id = Guid.CreateVersion7(), Number = number };
                    db.Orders.Add(order);
                    db.AddIntegrationEvent(new OrderPlaced { OrderId = order.Id, Number = number });
                    await db.SaveChangesAsync(cancellationToken);
                    return TypedResults.Accepted($"/orders/{number}");
                }).AllowAnonymous();
            });
        var started = DateTime.UtcNow;

        var traceId = ActivityTraceId.CreateRandom();
        using (var request = new HttpRequestMessage(HttpMethod.Post, "/orders/7"))
        using (var client = service.Client())
        {
            request.Headers.Add("traceparent", $"00-{traceId.ToHexString()}-{ActivitySpanId.CreateRandom().ToHexString()}-01");
            using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        }
        using (SuppressInstrumentationScope.Begin()) // the test's own queries are no background work of the service
        {
            var consumed = await Eventually.ReturnsAsync(() => service.ConsumedAsync(), c => c.Count == 1, Patience, "the order consumed");
            Assert.Equal(traceId.ToHexString(), consumed[0].TraceId);
        }

        // Spans are captured as they end: MassTransit's "process" span ends before the "receive" span above it, so wait
        // until the chain from the consumer up to the publish is complete.
        var spans = await Eventually.ReturnsAsync(() => Task.FromResult(capture.Spans.Where(s => s.TraceId == traceId).ToList()),
            s => s.FirstOrDefault(a => a.Source.Name == MessagingTelemetry.MassTransitSourceName && a.Kind == ActivityKind.Producer) is { } sent
                && s.Any(a => a.Source.Name == MessagingTelemetry.MassTransitSourceName && a.Kind == ActivityKind.Consumer && DescendsFrom(a, sent, s)),
            Patience, "the consumer's spans, up to the publish");
        var server = Assert.Single(spans, s => s.Source.Name == "Microsoft.AspNetCore");
        Assert.Equal("POST /orders/{number:int}", server.DisplayName);
        Assert.Contains(spans, s => s.Source.Name == "Npgsql" && s.ParentSpanId == server.SpanId);
        // The outbox row kept the request's span as the parent of its delivery...
        var delivery = Assert.Single(spans, s => s.Source.Name == MessagingTelemetry.SourceName);
        Assert.Equal(server.SpanId, delivery.ParentSpanId);
        // ...whose publish carried the context through RabbitMQ to the consumer.
        var publish = Assert.Single(spans, s => s.Source.Name == MessagingTelemetry.MassTransitSourceName && s.Kind == ActivityKind.Producer);
        Assert.Equal(delivery.SpanId, publish.ParentSpanId);
        var receive = spans.First(s => s.Source.Name == MessagingTelemetry.MassTransitSourceName && s.Kind == ActivityKind.Consumer && DescendsFrom(s, publish, spans));
        Assert.Contains(spans, s => s.Source.Name == "Npgsql" && DescendsFrom(s, receive, spans));

        // A sweep every 100 ms, before and after the delivery: none of them started a trace of its own.
        await Task.Delay(TimeSpan.FromSeconds(1), TestContext.Current.CancellationToken);
        var background = capture.Spans.Where(s => s.TraceId != traceId && s.StartTimeUtc > started && s.Source.Name == "Npgsql" && DatabaseOf(s) == databaseName).ToList();
        Assert.True(background.Count == 0, $"spans outside the request's trace: {string.Join("; ", background.Select(s => s.GetTagItem("db.query.text") ?? s.DisplayName))}");
    }

    private static bool DescendsFrom(Activity span, Activity ancestor, List<Activity> trace)
    {
        for (var current = span; current is not null; current = trace.FirstOrDefault(s => s.SpanId == current.ParentSpanId))
        {
            if (current.ParentSpanId == ancestor.SpanId) return true;
        }
        return false;
    }

    private static string? DatabaseOf(Activity span) => (span.GetTagItem("db.namespace") ?? span.GetTagItem("db.name")) as string;
}
