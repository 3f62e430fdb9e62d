using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MassTransit;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Platform.Testing;

namespace Platform.Dashboard.Tests;

/// <summary>Each view of the dashboard in headless Chromium, against real services, a real broker and real OTLP exports.</summary>
public sealed class DashboardInBrowserTests(DashboardPlatform platform) : IClassFixture<DashboardPlatform>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Resources_show_state_readiness_restarts_and_console_output()
    {
        var page = await platform.OpenAsync("#resources");
        var resources = page.GetByTestId("resources");
        var worker = resources.Locator("tr", new() { HasText = DashboardPlatform.WorkerName });
        await Assertions.Expect(worker.Locator("td").Nth(2)).ToHaveTextAsync("running");
        await Assertions.Expect(worker.Locator("td").Nth(3)).ToHaveTextAsync("ready");
        // The real membership service, with the checks of its readiness report.
        var membership = resources.Locator("tr", new() { HasText = "membership" });
        await Assertions.Expect(membership.Locator("td").Nth(3)).ToHaveTextAsync("ready", new() { Timeout = 30_000 });
        await Assertions.Expect(membership).ToContainTextAsync("every check is healthy");

        // The worker crashes: the supervisor restarts it, and the view counts the restart without a reload.
        var firstPid = platform.WorkerProcess!.Id;
        platform.WorkerProcess.Kill();
        await Assertions.Expect(worker.Locator("td").Nth(6)).ToHaveTextAsync("1", new() { Timeout = 15_000 });
        await Assertions.Expect(worker.Locator("td").Nth(2)).ToHaveTextAsync("running", new() { Timeout = 15_000 });
        Assert.NotEqual(firstPid, platform.WorkerProcess.Id);

        await worker.ClickAsync();
        await Assertions.Expect(page.GetByTestId("console")).ToContainTextAsync("placement worker listening");
        await Assertions.Expect(page.GetByTestId("console")).ToContainTextAsync("exited unexpectedly");
        await membership.ClickAsync();
        await Assertions.Expect(page.Locator(".panel", new() { HasText = "Readiness of membership" })).ToContainTextAsync("outbox");
        await DashboardPlatform.ScreenshotAsync(page, "resources");
    }

    [Fact]
    public async Task Telemetry_from_two_services_shows_one_trace_across_both_with_its_logs_and_request_statistics()
    {
        var (traceId, route) = await ExportPlacementTraceAsync(platform.Dashboard.Url);

        var page = await platform.OpenAsync("#traces");
        var row = page.GetByTestId("traces").Locator("tr", new() { HasText = route });
        await Assertions.Expect(row).ToContainTextAsync("intake-api");
        await Assertions.Expect(row).ToContainTextAsync("placement-worker");
        await DashboardPlatform.ScreenshotAsync(page, "traces");

        await row.First.ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex($"#trace/{traceId}$"));
        var waterfall = page.GetByTestId("waterfall");
        await Assertions.Expect(waterfall.Locator(".row")).ToHaveCountAsync(4);
        // HTTP request → outbox → publish in one service, the consumer in the other, nested under the publish.
        await Assertions.Expect(waterfall.Locator(".row").Nth(0)).ToContainTextAsync(route);
        await Assertions.Expect(waterfall.Locator(".row").Nth(3)).ToHaveAttributeAsync("data-service", "placement-worker");
        await Assertions.Expect(waterfall.Locator(".row").Nth(3)).ToContainTextAsync("consumer");
        await waterfall.Locator(".row").Nth(3).ClickAsync();
        await Assertions.Expect(page.Locator(".panel", new() { HasText = "messaging.destination.name" })).ToContainTextAsync("placement-recorded");
        await DashboardPlatform.ScreenshotAsync(page, "trace-waterfall");

        await page.GotoAsync($"{platform.Dashboard.Url}/#activity");
        await Assertions.Expect(page.GetByTestId("endpoints")).ToContainTextAsync(route);
        await Assertions.Expect(page.GetByTestId("consumers")).ToContainTextAsync("placement-recorded");
        await page.GetByTestId("metric-select").SelectOptionAsync(new SelectOptionValue { Label = "intake-api · placements.accepted" });
        await Assertions.Expect(page.Locator("svg[data-chart=timeseries] path")).Not.ToHaveCountAsync(0);
        await DashboardPlatform.ScreenshotAsync(page, "requests-and-metrics");

        await page.GotoAsync($"{platform.Dashboard.Url}/#logs");
        await page.GetByTestId("text-filter").FillAsync("accepted placement");
        await page.GetByTestId("text-filter").PressAsync("Enter");
        var log = page.GetByTestId("logs").Locator("tr", new() { HasText = "accepted placement" });
        await Assertions.Expect(log).ToContainTextAsync("intake-api");
        await Assertions.Expect(log).ToContainTextAsync(traceId[..8]);
        await DashboardPlatform.ScreenshotAsync(page, "logs");
    }

    [Fact]
    public async Task A_membership_approved_over_http_shows_as_one_trace_from_the_request_through_the_outbox_to_the_talent_pipeline_consumer()
    {
        // membership and talent-pipeline as real processes exporting OTLP to the dashboard, on a broker of their own.
        var broker = await platform.NewVirtualHostAsync("trace");
        Dictionary<string, string?> Settings(string database, string connectionString) => new()
        {
            [$"ConnectionStrings__{database}"] = connectionString,
            ["ConnectionStrings__messaging"] = broker.ToString(),
            ["Platform__OperatorKey"] = DashboardPlatform.OperatorKey,
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = platform.Dashboard.Url,
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            // Export every 200 ms instead of every 5 s, so the test does not wait for batches.
            ["OTEL_BSP_SCHEDULE_DELAY"] = "200",
            ["OTEL_BLRP_SCHEDULE_DELAY"] = "200",
        };
        await using var membershipProcess = await ServiceProcess.StartAsync("membership", "Platform.Membership.dll", "services/Membership/Platform.Membership",
            Settings("membershipdb", await platform.NewDatabaseAsync("membershipdb")));
        await using var pipelineProcess = await ServiceProcess.StartAsync("talent-pipeline", "Platform.TalentPipeline.dll", "services/TalentPipeline/Platform.TalentPipeline",
            new Dictionary<string, string?>(Settings("talentpipelinedb", await platform.NewDatabaseAsync("talentpipelinedb"))) { ["services__membership__http__0"] = membershipProcess.Url });

        using var membership = DashboardPlatform.Operator(membershipProcess.Url);
        var consortium = await CreatedAsync(await membership.PostAsJsonAsync("/api/v1/consortia",
            new { name = "Weifang Vocational Education Group", kind = "vocationalEducationGroup", region = "Shandong, Weifang", sectors = new[] { "agricultural machinery" } }, Cancel));
        var consortiumId = consortium.GetProperty("id").GetString();
        var college = await CreatedAsync(await membership.PostAsJsonAsync("/api/v1/organizations", new { name = "Weifang Technician College", kind = "technicianCollege", region = "Shandong, Weifang" }, Cancel));
        var applied = await CreatedAsync(await membership.PostAsJsonAsync($"/api/v1/consortia/{consortiumId}/memberships", new { organizationId = college.GetProperty("id").GetString() }, Cancel));
        using (var approved = await membership.PostAsJsonAsync($"/api/v1/consortia/{consortiumId}/memberships/{applied.GetProperty("id").GetString()}/approve", new { reason = "council vote" }, Cancel))
            Assert.Equal(HttpStatusCode.OK, approved.StatusCode);

        // The approval's trace: membership's request, its outbox publish, talent-pipeline's consumer.
        using var http = new HttpClient { BaseAddress = new Uri(platform.Dashboard.Url) };
        string? traceId = null;
        var seen = "";
        try
        {
            await ServiceUnderTest<object>.EventuallyAsync(async () =>
            {
                var traces = await http.GetFromJsonAsync<JsonElement>("/api/telemetry/traces?service=talent-pipeline&limit=1000", Cancel);
                seen = string.Join(Environment.NewLine, traces.EnumerateArray().Take(15).Select(t => $"{t.GetProperty("rootService")}: {t.GetProperty("rootName")} [{string.Join(",", t.GetProperty("services").EnumerateArray())}]"));
                traceId = traces.EnumerateArray()
                    .Where(t => t.GetProperty("rootService").GetString() == "membership"
                                && t.GetProperty("rootName").GetString() is { } root && root.StartsWith("POST /api/v1/consortia/", StringComparison.Ordinal)
                                && root.Contains("/memberships/", StringComparison.Ordinal) && root.EndsWith("/{action}", StringComparison.Ordinal)
                                && t.GetProperty("services").EnumerateArray().Any(s => s.GetString() == "talent-pipeline"))
                    .Select(t => t.GetProperty("traceId").GetString())
                    .FirstOrDefault();
                return traceId is not null;
            }, "a trace of the approval reaches talent-pipeline", TimeSpan.FromSeconds(30));
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message} Traces seen:{Environment.NewLine}{seen}", e);
        }

        var page = await platform.OpenAsync($"#trace/{traceId}");
        var waterfall = page.GetByTestId("waterfall");
        await Assertions.Expect(waterfall.Locator(".row").First).ToHaveAttributeAsync("data-service", "membership");
        await Assertions.Expect(waterfall.Locator(".row").First).ToContainTextAsync("POST /api/v1/consortia/");
        await Assertions.Expect(waterfall.Locator(".row[data-service=membership]", new() { HasText = "outbox deliver" }).First).ToBeVisibleAsync();
        await Assertions.Expect(waterfall.Locator(".row[data-service=membership]", new() { HasText = "producer" }).First).ToBeVisibleAsync();
        await Assertions.Expect(waterfall.Locator(".row[data-service=talent-pipeline]", new() { HasText = "consumer" }).First).ToBeVisibleAsync();
        await DashboardPlatform.ScreenshotAsync(page, "trace-across-services");
    }

    [Fact]
    public async Task A_poison_message_shows_in_its_error_queue_and_leaves_it_when_the_operator_replays_it()
    {
        var queue = $"dashboard-placements-{Guid.NewGuid():N}"[..32];
        var consumer = new PoisonableConsumer();
        var bus = StartBus(platform.MessagingUri, queue, consumer);
        await bus.StartAsync(Cancel);
        try
        {
            var traineeRef = $"T-{Guid.NewGuid():N}"[..10];
            await bus.Publish(new PlacementProbe { TraineeRef = traineeRef }, Cancel);

            var page = await platform.OpenAsync("#messages");
            var errorQueue = page.GetByTestId("error-queues").Locator("tr", new() { HasText = queue + "_error" });
            // The management API refreshes its counts every few seconds.
            await Assertions.Expect(errorQueue.Locator("td").Nth(2)).ToHaveTextAsync("1", new() { Timeout = 30_000 });
            await Assertions.Expect(page.GetByTestId("queues")).ToContainTextAsync(queue);
            await Assertions.Expect(page.GetByTestId("outboxes")).ToContainTextAsync("membership");
            await DashboardPlatform.ScreenshotAsync(page, "message-flow");

            await errorQueue.GetByRole(AriaRole.Button, new() { Name = "Open" }).ClickAsync();
            var message = page.GetByTestId("error-messages").Locator(".message");
            await Assertions.Expect(message).ToHaveCountAsync(1);
            await Assertions.Expect(message).ToContainTextAsync("System.InvalidOperationException");
            await Assertions.Expect(message).ToContainTextAsync($"Trainee {traineeRef} has no program yet.");
            await message.Locator("summary", new() { HasText = "Body" }).ClickAsync();
            await Assertions.Expect(message).ToContainTextAsync(traineeRef);
            await DashboardPlatform.ScreenshotAsync(page, "error-message");

            // The operator fixed the cause; replaying asks for confirmation and for the operator key.
            consumer.Healed = true;
            var dialogs = new List<string>();
            page.Dialog += async (_, dialog) =>
            {
                dialogs.Add(dialog.Type);
                await dialog.AcceptAsync(dialog.Type == "prompt" ? DashboardPlatform.OperatorKey : null);
            };
            await message.GetByRole(AriaRole.Button, new() { Name = "Replay" }).ClickAsync();
            await Assertions.Expect(page.GetByTestId("notice")).ToContainTextAsync("Replayed");
            Assert.Equal(["confirm", "prompt"], dialogs);

            Assert.Equal(traineeRef, await consumer.Consumed.Task.WaitAsync(TimeSpan.FromSeconds(15), Cancel));
            await Assertions.Expect(page.GetByTestId("error-messages")).ToContainTextAsync("The queue is empty.");
            await Assertions.Expect(page.GetByTestId("audit").Locator("tr", new() { HasText = queue })).ToContainTextAsync("Replayed");
            await Assertions.Expect(errorQueue.Locator("td").Nth(2)).ToHaveTextAsync("0", new() { Timeout = 30_000 });
        }
        finally
        {
            await bus.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task Replay_and_discard_need_the_operator_key_and_an_error_queue()
    {
        using var http = new HttpClient { BaseAddress = new Uri(platform.Dashboard.Url) };
        var body = new { virtualHost = platform.MessagingUri.AbsolutePath.Trim('/'), queue = "membership_error", messageId = Guid.NewGuid().ToString() };
        using (var anonymous = await http.PostAsJsonAsync("/api/messaging/errors/replay", body, Cancel))
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        http.DefaultRequestHeaders.Add("X-Api-Key", "not-the-operator-key");
        using (var wrong = await http.PostAsJsonAsync("/api/messaging/errors/discard", body, Cancel))
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);

        http.DefaultRequestHeaders.Remove("X-Api-Key");
        http.DefaultRequestHeaders.Add("X-Api-Key", DashboardPlatform.OperatorKey);
        using (var notErrorQueue = await http.PostAsJsonAsync("/api/messaging/errors/discard", body with { queue = "membership" }, Cancel))
        {
            Assert.Equal(HttpStatusCode.BadRequest, notErrorQueue.StatusCode);
            Assert.Contains("_error", await notErrorQueue.Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);
        }

        // A real poison message in a real error queue: another id is not found (and stays not found), that one is discarded.
        var queue = $"dashboard-audit-{Guid.NewGuid():N}"[..28];
        var bus = StartBus(platform.MessagingUri, queue, new PoisonableConsumer());
        await bus.StartAsync(Cancel);
        try
        {
            await bus.Publish(new PlacementProbe { TraineeRef = "T-discard" }, Cancel);
            var virtualHost = Uri.UnescapeDataString(platform.MessagingUri.AbsolutePath.TrimStart('/'));
            var listing = $"/api/messaging/errors?vhost={Uri.EscapeDataString(virtualHost)}&queue={queue}_error";
            JsonElement messages = default;
            await ServiceUnderTest<object>.EventuallyAsync(async () =>
            {
                using var response = await http.GetAsync(listing, Cancel);
                if (response.StatusCode != HttpStatusCode.OK) return false;
                messages = await response.Content.ReadFromJsonAsync<JsonElement>(Cancel);
                return messages.GetArrayLength() == 1;
            }, "the poison message is in its error queue");
            var messageId = messages[0].GetProperty("messageId").GetString();

            using (var missing = await http.PostAsJsonAsync("/api/messaging/errors/discard", new { virtualHost, queue = queue + "_error", messageId = "nope" }, Cancel))
                Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
            using (var discarded = await http.PostAsJsonAsync("/api/messaging/errors/discard", new { virtualHost, queue = queue + "_error", messageId }, Cancel))
                Assert.Equal(HttpStatusCode.OK, discarded.StatusCode);
            Assert.Equal(0, (await http.GetFromJsonAsync<JsonElement>(listing, Cancel)).GetArrayLength());
            using (var noQueue = await http.GetAsync($"/api/messaging/errors?vhost={Uri.EscapeDataString(virtualHost)}&queue=nothing-here_error", Cancel))
                Assert.Equal(HttpStatusCode.NotFound, noQueue.StatusCode);

            var audit = await http.GetFromJsonAsync<JsonElement>("/api/messaging/audit", Cancel);
            Assert.Contains(audit.EnumerateArray(), a => a.GetProperty("queue").GetString() == queue + "_error" && a.GetProperty("outcome").GetString() == "NotFound");
            Assert.Contains(audit.EnumerateArray(), a => a.GetProperty("messageId").GetString() == messageId && a.GetProperty("outcome").GetString() == "Discarded");
        }
        finally
        {
            await bus.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task Consortium_view_fails_soft_card_by_card_when_a_service_cannot_answer()
    {
        // talent-pipeline configured where nothing listens, events not configured at all: their cards say so, the rest works.
        await using var dashboard = platform.StartDashboard(new Dictionary<string, string?>
        {
            ["services:membership:http:0"] = platform.Membership.Url,
            ["services:talent-pipeline:http:0"] = $"http://127.0.0.1:{Hosting.FreePort.Next()}",
        });
        var page = await platform.OpenAsync("#consortium", dashboard.Url);
        var cards = page.GetByTestId("kpi-card");
        await Assertions.Expect(cards).ToHaveCountAsync(8);
        await Assertions.Expect(cards.Filter(new() { HasText = "Programs by kind" })).ToContainTextAsync("Unavailable: talent-pipeline is unavailable");
        await Assertions.Expect(cards.Filter(new() { HasText = "Upcoming events" })).ToContainTextAsync("Unavailable: events is not configured");
        await DashboardPlatform.ScreenshotAsync(page, "consortium-fail-soft");
    }

    [Fact]
    public async Task Consortium_view_shows_members_programs_the_placement_funnel_data_quality_and_upcoming_events_from_the_services()
    {
        using var membership = DashboardPlatform.Operator(platform.Membership.Url);
        using var pipeline = DashboardPlatform.Operator(platform.TalentPipeline.Url);
        using var events = DashboardPlatform.Operator(platform.Events.Url);
        var unique = Guid.NewGuid().ToString("N")[..6];
        var consortium = await CreatedAsync(await membership.PostAsJsonAsync("/api/v1/consortia",
            new { name = $"Jinan Intelligent Manufacturing Consortium {unique}", kind = "industryEducationConsortium", region = "Shandong, Jinan", sectors = new[] { "intelligent manufacturing" } }, Cancel));
        var consortiumId = consortium.GetProperty("id").GetString()!;
        async Task<string> MemberAsync(string name, string kind, bool approve)
        {
            var organization = await CreatedAsync(await membership.PostAsJsonAsync("/api/v1/organizations", new { name = $"{name} {unique}", kind, region = "Shandong, Jinan" }, Cancel));
            var id = organization.GetProperty("id").GetString()!;
            var applied = await CreatedAsync(await membership.PostAsJsonAsync($"/api/v1/consortia/{consortiumId}/memberships", new { organizationId = id }, Cancel));
            if (approve)
            {
                using var approved = await membership.PostAsJsonAsync($"/api/v1/consortia/{consortiumId}/memberships/{applied.GetProperty("id").GetString()}/approve", new { reason = "council vote" }, Cancel);
                Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
            }
            return id;
        }
        var college = await MemberAsync("Shandong Technician College", "technicianCollege", approve: true);
        var enterprise = await MemberAsync("Jinan Heavy Equipment Co.", "enterprise", approve: true);
        await MemberAsync("Qilu Robotics Institute", "researchInstitute", approve: false);

        // talent-pipeline and events learn about the members from membership's events over RabbitMQ.
        JsonElement program = default;
        await ServiceUnderTest<object>.EventuallyAsync(async () =>
        {
            using var created = await pipeline.PostAsJsonAsync("/api/v1/programs", new
            {
                consortiumId,
                kind = "orderClass",
                title = "Intelligent welding order class",
                collegeIds = new[] { college },
                enterpriseIds = new[] { enterprise },
                occupation = "welder",
                seats = 40,
                startsOn = "2025-09-01",
                endsOn = "2026-07-01",
            }, Cancel);
            if (created.StatusCode != HttpStatusCode.Created) return false;
            program = await created.Content.ReadFromJsonAsync<JsonElement>(Cancel);
            return true;
        }, "talent-pipeline knows the new members", TimeSpan.FromSeconds(30));
        var programId = program.GetProperty("id").GetString();
        using (var launched = await pipeline.PostAsJsonAsync($"/api/v1/programs/{programId}/launch", new { reason = "agreement signed" }, Cancel))
            Assert.Equal(HttpStatusCode.OK, launched.StatusCode);

        // A college's batch: four enrolled, three started an internship, two employed.
        var occurred = DateTimeOffset.UtcNow.AddDays(-30);
        var batch = new List<object>();
        for (var trainee = 1; trainee <= 4; trainee++)
        {
            var stages = trainee switch { 1 or 2 => new[] { "enrolled", "internshipStarted", "employed" }, 3 => ["enrolled", "internshipStarted"], _ => ["enrolled"] };
            batch.AddRange(stages.Select((type, i) => (object)new
            {
                eventId = Guid.CreateVersion7(),
                collegeId = college,
                programId,
                traineeRef = $"S{unique}-{trainee}",
                type,
                occurredAt = occurred.AddDays(i * 7),
                enterpriseId = type == "employed" ? enterprise : null,
            }));
        }
        using (var submitted = await pipeline.PostAsJsonAsync("/api/v1/placement-events", new { events = batch }, Cancel))
            Assert.True(submitted.IsSuccessStatusCode, await submitted.Content.ReadAsStringAsync(Cancel));

        await ServiceUnderTest<object>.EventuallyAsync(async () =>
        {
            using var planned = await events.PostAsJsonAsync("/api/v1/events", new
            {
                kind = "jobFair",
                title = $"Spring job fair {unique}",
                consortiumId,
                organizerIds = new[] { college, enterprise },
                venue = "Jinan Olympic Sports Center",
                startsAt = DateTimeOffset.UtcNow.AddDays(20).ToString("O"),
                endsAt = DateTimeOffset.UtcNow.AddDays(20).AddHours(6).ToString("O"),
                capacity = 300,
            }, Cancel);
            return planned.StatusCode == HttpStatusCode.Created;
        }, "events knows the new members", TimeSpan.FromSeconds(30));

        var page = await platform.OpenAsync("#consortium");
        await page.Locator("select").First.SelectOptionAsync(consortiumId);
        var cards = page.GetByTestId("kpi-card");
        await Assertions.Expect(cards.Filter(new() { HasText = "Active members by kind" })).ToContainTextAsync("technicianCollege");
        await Assertions.Expect(cards.Filter(new() { HasText = "Memberships by status" })).ToContainTextAsync("applied");
        await Assertions.Expect(cards.Filter(new() { HasText = "Programs by kind" })).ToContainTextAsync("orderClass");
        await Assertions.Expect(cards.Filter(new() { HasText = "Programs by status" })).ToContainTextAsync("active");
        var funnel = cards.Filter(new() { HasText = "Placement funnel" });
        await Assertions.Expect(funnel.Locator("rect[data-label=enrolled]")).ToHaveAttributeAsync("data-value", "4", new() { Timeout = 20_000 });
        await Assertions.Expect(funnel.Locator("rect[data-label=internshipStarted]")).ToHaveAttributeAsync("data-value", "3");
        await Assertions.Expect(funnel.Locator("rect[data-label=employed]")).ToHaveAttributeAsync("data-value", "2");
        await Assertions.Expect(funnel).ToContainTextAsync("placementRate");
        await Assertions.Expect(funnel).ToContainTextAsync("50.0 %");
        await Assertions.Expect(cards.Filter(new() { HasText = "data-quality" })).ToContainTextAsync("Shandong Technician College");
        await Assertions.Expect(cards.Filter(new() { HasText = "Upcoming events" })).ToContainTextAsync($"Spring job fair {unique}");
        await DashboardPlatform.ScreenshotAsync(page, "consortium");
    }

    private static async Task<JsonElement> CreatedAsync(HttpResponseMessage response)
    {
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(Cancel);
            Assert.True(response.StatusCode == HttpStatusCode.Created, $"{(int)response.StatusCode}: {body}");
            return JsonDocument.Parse(body).RootElement.Clone();
        }
    }

    /// <summary>
    /// Two services as two OpenTelemetry SDKs with their own resources, exporting OTLP/HTTP protobuf to the dashboard:
    /// intake-api handles a request, writes its outbox and publishes; placement-worker consumes the message (the trace
    /// context travels with it, as through RabbitMQ). Returns the trace id and the route.
    /// </summary>
    private static async Task<(string TraceId, string Route)> ExportPlacementTraceAsync(string dashboard)
    {
        var route = $"/api/v1/placement-events/{Guid.NewGuid():N}"[..36];
        var api = $"Dashboard.Tests.Api.{Guid.NewGuid():N}";
        var worker = $"Dashboard.Tests.Worker.{Guid.NewGuid():N}";
        void Otlp(OtlpExporterOptions o, string signal)
        {
            o.Protocol = OtlpExportProtocol.HttpProtobuf;
            o.Endpoint = new Uri($"{dashboard}/v1/{signal}");
        }
        using var apiTracing = Sdk.CreateTracerProviderBuilder().ConfigureResource(r => r.AddService("intake-api")).AddSource(api).AddOtlpExporter(o => Otlp(o, "traces")).Build();
        using var workerTracing = Sdk.CreateTracerProviderBuilder().ConfigureResource(r => r.AddService("placement-worker")).AddSource(worker).AddOtlpExporter(o => Otlp(o, "traces")).Build();
        using var meter = new System.Diagnostics.Metrics.Meter(api);
        using var apiMetrics = Sdk.CreateMeterProviderBuilder().ConfigureResource(r => r.AddService("intake-api")).AddMeter(api).AddOtlpExporter(o => Otlp(o, "metrics")).Build();
        using var apiLogs = LoggerFactory.Create(logging => logging.AddOpenTelemetry(o =>
        {
            o.SetResourceBuilder(ResourceBuilder.CreateDefault().AddService("intake-api"));
            o.AddOtlpExporter(e => Otlp(e, "logs"));
        }));
        using var apiSource = new ActivitySource(api);
        using var workerSource = new ActivitySource(worker);
        var accepted = meter.CreateCounter<long>("placements.accepted");

        ActivityContext published;
        string traceId;
        using (var request = apiSource.StartActivity($"POST {route}", ActivityKind.Server, parentContext: default))
        {
            request!.SetTag("http.request.method", "POST").SetTag("http.route", route).SetTag("http.response.status_code", 202);
            traceId = request.TraceId.ToHexString();
            using (apiSource.StartActivity("outbox write", ActivityKind.Internal)) await Task.Delay(5);
            using (var publish = apiSource.StartActivity("placement-recorded publish", ActivityKind.Producer))
            {
                publish!.SetTag("messaging.destination.name", "placement-recorded");
                published = publish.Context;
            }
            apiLogs.CreateLogger("Intake").LogInformation("accepted placement {TraineeRef}", "T-42");
            accepted.Add(3);
        }
        using (var consume = workerSource.StartActivity("placement-recorded process", ActivityKind.Consumer, published))
        {
            consume!.SetTag("messaging.destination.name", "placement-recorded");
            await Task.Delay(10);
        }
        Assert.True(apiTracing.ForceFlush() && workerTracing.ForceFlush() && apiMetrics.ForceFlush());
        return (traceId, route);
    }

    private static IBusControl StartBus(Uri broker, string queue, PoisonableConsumer consumer)
    {
        var userInfo = broker.UserInfo.Split(':', 2);
        return Bus.Factory.CreateUsingRabbitMq(rabbit =>
        {
            rabbit.Host(broker.Host, (ushort)broker.Port, Uri.UnescapeDataString(broker.AbsolutePath.TrimStart('/')), host =>
            {
                host.Username(Uri.UnescapeDataString(userInfo[0]));
                host.Password(Uri.UnescapeDataString(userInfo[1]));
            });
            rabbit.ReceiveEndpoint(queue, endpoint => endpoint.Consumer(() => consumer));
        });
    }
}

/// <summary>A message a consumer cannot handle until an operator fixes the cause.</summary>
public sealed record PlacementProbe
{
    public required string TraineeRef { get; init; }
}

public sealed class PoisonableConsumer : IConsumer<PlacementProbe>
{
    public volatile bool Healed;

    public TaskCompletionSource<string> Consumed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Consume(ConsumeContext<PlacementProbe> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!Healed) throw new InvalidOperationException($"Trainee {context.Message.TraineeRef} has no program yet.");
        Consumed.TrySetResult(context.Message.TraineeRef);
        return Task.CompletedTask;
    }
}
