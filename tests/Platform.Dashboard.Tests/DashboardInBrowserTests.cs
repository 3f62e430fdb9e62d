using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using MassTransit;
using Microsoft.Playwright;
using Platform.Testing;

namespace Platform.Dashboard.Tests;

/// <summary>Each view of the dashboard in headless Chromium, against real services and a real broker; its links to the Aspire dashboard.</summary>
[Collection(DashboardPlatform.Collection)]
public sealed class DashboardInBrowserTests(DashboardPlatform platform)
{
    private const string Aspire = DashboardPlatform.AspireDashboardUrl;
    private const string TestTraces = "Platform.Dashboard.Tests";

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    /// <summary>The row of one resource, by its exact name.</summary>
    private static ILocator Row(IPage page, string name) =>
        page.GetByTestId("resources").Locator("tbody tr").Filter(new() { Has = page.Locator("td[data-col=name]", new() { HasTextRegex = new Regex($"^{Regex.Escape(name)}$") }) });

    private static ILocator Cell(ILocator row, string column) => row.Locator($"td[data-col={column}]");

    [Fact]
    public async Task Resources_show_live_and_ready_from_the_health_endpoints_with_why_response_time_since_when_and_links_to_the_aspire_dashboard()
    {
        // membership (real), a worker that is live but not ready yet, and a service that is not running at all.
        await using var worker = await HealthStub.StartAsync();
        await using var dashboard = platform.StartDashboard(new Dictionary<string, string?>
        {
            ["services:membership:http:0"] = platform.Membership.Url,
            ["services:placement-worker:http:0"] = worker.Url,
            ["services:certificates:http:0"] = DashboardPlatform.NothingListens(),
        });
        var page = await platform.OpenAsync("#resources", dashboard.Url);

        var membership = Row(page, "membership");
        await Assertions.Expect(Cell(membership, "state")).ToHaveTextAsync("ready", new() { Timeout = 30_000 });
        await Assertions.Expect(Cell(membership, "live")).ToHaveTextAsync("live");
        await Assertions.Expect(Cell(membership, "reason")).ToHaveTextAsync("healthy: every check is healthy");
        await Assertions.Expect(Cell(membership, "response")).ToHaveTextAsync(new Regex(@"^\d+(\.\d)? (ms|s)$"));
        await Assertions.Expect(Cell(membership, "url")).ToHaveTextAsync(platform.Membership.Url);
        await Assertions.Expect(membership.Locator("a[data-link=console-logs]")).ToHaveAttributeAsync("href", $"{Aspire}/consolelogs/resource/membership");
        await Assertions.Expect(membership.Locator("a[data-link=structured-logs]")).ToHaveAttributeAsync("href", $"{Aspire}/structuredlogs/resource/membership");

        var notReady = Row(page, "placement-worker");
        await Assertions.Expect(Cell(notReady, "state")).ToHaveTextAsync("not ready");
        await Assertions.Expect(Cell(notReady, "live")).ToHaveTextAsync("live");
        await Assertions.Expect(Cell(notReady, "ready")).ToHaveTextAsync("not ready");
        await Assertions.Expect(Cell(notReady, "reason")).ToHaveTextAsync("unhealthy: database unhealthy (connection refused)");
        // Not ready since the dashboard's first look: at least that long.
        await Assertions.Expect(Cell(notReady, "since")).ToHaveTextAsync(new Regex("^≥ \\d+ s$"));

        var down = Row(page, "certificates");
        await Assertions.Expect(Cell(down, "state")).ToHaveTextAsync("unreachable");
        await Assertions.Expect(Cell(down, "live")).ToHaveTextAsync("not live");
        await Assertions.Expect(Cell(down, "reason")).ToContainTextAsync("no answer from /health/ready");
        await Assertions.Expect(Cell(down, "response")).ToHaveTextAsync("");

        // The broker: its management API answers and reports no alarm; console output only (it writes no OpenTelemetry logs).
        var broker = Row(page, "messaging");
        await Assertions.Expect(Cell(broker, "kind")).ToHaveTextAsync("rabbitmq");
        await Assertions.Expect(Cell(broker, "state")).ToHaveTextAsync("ready");
        await Assertions.Expect(Cell(broker, "reason")).ToContainTextAsync("no alarm");
        await Assertions.Expect(broker.Locator("a[data-link=console-logs]")).ToHaveAttributeAsync("href", $"{Aspire}/consolelogs/resource/messaging");
        await Assertions.Expect(broker.Locator("a[data-link=structured-logs]")).ToHaveCountAsync(0);

        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Telemetry (Aspire dashboard)" })).ToHaveAttributeAsync("href", Aspire);
        await membership.ClickAsync();
        await Assertions.Expect(page.GetByTestId("checks")).ToContainTextAsync("outbox");
        await DashboardPlatform.ScreenshotAsync(page, "resources");

        // The worker gets ready: the view follows without a reload, and counts from the change.
        worker.Ready = true;
        await Assertions.Expect(Cell(notReady, "state")).ToHaveTextAsync("ready", new() { Timeout = 15_000 });
        await Assertions.Expect(Cell(notReady, "reason")).ToHaveTextAsync("healthy: every check is healthy");
        await Assertions.Expect(Cell(notReady, "since")).ToHaveTextAsync(new Regex("^\\d+ s$"));
        using var http = DashboardPlatform.Operator(dashboard.Url);
        var report = await http.GetFromJsonAsync<JsonElement>("/api/resources", Cancel);
        var ready = report.GetProperty("resources").EnumerateArray().Single(r => r.GetProperty("name").GetString() == "placement-worker");
        Assert.False(ready.GetProperty("sinceFirstCheck").GetBoolean());
        Assert.True(ready.GetProperty("since").GetDateTimeOffset() > report.GetProperty("checkedAt").GetDateTimeOffset().AddSeconds(-20));
    }

    [Fact]
    public async Task Without_an_aspire_dashboard_url_nothing_links_to_one()
    {
        await using var dashboard = platform.StartDashboard(new Dictionary<string, string?> { ["services:membership:http:0"] = platform.Membership.Url }, aspireDashboard: null);
        using var http = DashboardPlatform.Operator(dashboard.Url);
        var links = await http.GetFromJsonAsync<JsonElement>("/api/links", Cancel);
        Assert.Equal(JsonValueKind.Null, links.GetProperty("aspireDashboard").ValueKind);

        var page = await platform.OpenAsync("#resources", dashboard.Url);
        await Assertions.Expect(Cell(Row(page, "membership"), "state")).ToHaveTextAsync("ready", new() { Timeout = 30_000 });
        await Assertions.Expect(page.GetByRole(AriaRole.Columnheader, new() { Name = "Aspire dashboard" })).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("a[data-link]")).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByText("Telemetry (Aspire dashboard)")).ToHaveCountAsync(0);
        // The views that moved to the Aspire dashboard are gone from this one.
        await Assertions.Expect(page.Locator("#nav a")).ToHaveTextAsync(["Resources", "Message flow", "Consortium", "Webhooks"]);

        await using var withSlash = platform.StartDashboard(new Dictionary<string, string?>(), aspireDashboard: Aspire + "/");
        using var linked = DashboardPlatform.Operator(withSlash.Url);
        Assert.Equal(Aspire, (await linked.GetFromJsonAsync<JsonElement>("/api/links", Cancel)).GetProperty("aspireDashboard").GetString());
    }

    [Fact]
    public async Task A_poison_message_shows_in_its_error_queue_and_leaves_it_when_the_operator_replays_it()
    {
        var queue = $"dashboard-placements-{Guid.NewGuid():N}"[..32];
        var consumer = new PoisonableConsumer();
        var bus = StartBus(platform.MessagingUri, queue, consumer);
        await bus.StartAsync(Cancel);
        // Traced as under ServiceDefaults' OpenTelemetry: MassTransit carries the trace context in the message's headers.
        using var tracing = new ActivityListener
        {
            ShouldListenTo = source => source.Name is "MassTransit" or TestTraces,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(tracing);
        using var traces = new ActivitySource(TestTraces);
        try
        {
            var traineeRef = $"T-{Guid.NewGuid():N}"[..10];
            string traceId;
            using (var request = traces.StartActivity("POST /api/v1/placement-events", ActivityKind.Server))
            {
                traceId = request!.TraceId.ToHexString();
                await bus.Publish(new PlacementProbe { TraineeRef = traineeRef }, Cancel);
            }

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
            // The failed consume is part of the publisher's trace: one click opens it in the Aspire dashboard.
            await Assertions.Expect(message.GetByTestId("trace-link")).ToHaveAttributeAsync("href", $"{Aspire}/traces/detail/{traceId}");
            await Assertions.Expect(message.GetByTestId("trace-link")).ToHaveTextAsync(traceId);
            await DashboardPlatform.ScreenshotAsync(page, "error-message");

            // Without an Aspire dashboard the trace id shows as text, not as a link to nowhere.
            await using (var plain = platform.StartDashboard(new Dictionary<string, string?>(), aspireDashboard: null))
            {
                var plainPage = await platform.OpenAsync("#messages", plain.Url);
                await plainPage.GetByTestId("error-queues").Locator("tr", new() { HasText = queue + "_error" }).GetByRole(AriaRole.Button, new() { Name = "Open" }).ClickAsync();
                var plainMessage = plainPage.GetByTestId("error-messages").Locator(".message");
                await Assertions.Expect(plainMessage).ToContainTextAsync(traceId);
                await Assertions.Expect(plainMessage.Locator("a")).ToHaveCountAsync(0);
                await plainPage.Context.CloseAsync();
            }

            // The operator fixed the cause; replaying asks for confirmation only (the operator logged in already).
            consumer.Healed = true;
            var dialogs = new List<string>();
            page.Dialog += async (_, dialog) =>
            {
                dialogs.Add(dialog.Type);
                await dialog.AcceptAsync();
            };
            await message.GetByRole(AriaRole.Button, new() { Name = "Replay" }).ClickAsync();
            await Assertions.Expect(page.GetByTestId("notice")).ToContainTextAsync("Replayed");
            Assert.Equal(["confirm"], dialogs);

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
    public async Task Webhooks_view_lists_every_endpoint_opens_its_delivery_log_redelivers_a_failed_delivery_and_says_so_when_the_service_is_down()
    {
        await using var webhooks = await WebhooksStub.StartAsync();
        await using var dashboard = platform.StartDashboard(new Dictionary<string, string?>
        {
            ["services:webhooks:http:0"] = webhooks.Url,
            ["services:membership:http:0"] = webhooks.Url,
        });
        var page = await platform.OpenAsync("#webhooks", dashboard.Url);
        var endpoints = page.GetByTestId("webhook-endpoints").Locator("tbody tr");
        await Assertions.Expect(endpoints).ToHaveCountAsync(2);
        await Assertions.Expect(endpoints.Nth(0).Locator("td[data-col=organization]")).ToHaveTextAsync(WebhooksStub.OrganizationName);
        await Assertions.Expect(endpoints.Nth(0).Locator("td[data-col=eventTypes]")).ToHaveTextAsync("program.launched, placement.flagged");
        await Assertions.Expect(endpoints.Nth(1).Locator("td[data-col=status]")).ToHaveTextAsync("disabled");
        await Assertions.Expect(endpoints.Nth(1).Locator("td[data-col=disabledReason]")).ToHaveTextAsync("Disabled after failing every delivery for 5 days.");

        await endpoints.Nth(0).ClickAsync();
        var log = page.GetByTestId("webhook-delivery-log").Locator("tbody tr");
        await Assertions.Expect(log).ToHaveCountAsync(3);
        var failed = log.Filter(new() { HasText = "placement.flagged" });
        await Assertions.Expect(failed.Locator("td[data-col=attemptCount]")).ToHaveTextAsync("8");
        await Assertions.Expect(failed.Locator("td[data-col=lastStatusCode]")).ToHaveTextAsync("500");
        await Assertions.Expect(failed.Locator("td[data-col=lastError]")).ToHaveTextAsync("500 Internal Server Error");
        // Only a failed delivery offers "Redeliver"; the pending one shows when it is tried next.
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Redeliver" })).ToHaveCountAsync(1);
        await Assertions.Expect(log.Filter(new() { HasText = "pending" }).Locator("td[data-col=nextAttemptAt]")).Not.ToBeEmptyAsync();

        await failed.GetByRole(AriaRole.Button, new() { Name = "Details" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("webhook-attempts")).ToContainTextAsync("upstream says no");

        var dialogs = new List<string>();
        page.Dialog += async (_, dialog) =>
        {
            dialogs.Add(dialog.Type);
            await dialog.AcceptAsync();
        };
        await failed.GetByRole(AriaRole.Button, new() { Name = "Redeliver" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("notice")).ToContainTextAsync("Redelivery queued: msg_failed");
        Assert.Equal(["confirm"], dialogs);
        Assert.Equal([WebhooksStub.FailedDeliveryId], webhooks.Redelivered);
        await DashboardPlatform.ScreenshotAsync(page, "webhooks");

        // The webhooks service goes away: the page says so instead of failing.
        await webhooks.DisposeAsync();
        await Assertions.Expect(page.GetByTestId("webhooks-unavailable")).ToContainTextAsync("The webhooks service is unavailable: webhooks is unavailable", new() { Timeout = 30_000 });
        await Assertions.Expect(page.Locator("#live")).ToHaveTextAsync("● live");
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
