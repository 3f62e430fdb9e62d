using Aspire.Hosting.Testing;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Platform.EndToEnd.Tests;

/// <summary>The platform as ./run.sh starts it: what crosses services, seen as a partner and an operator see it.</summary>
public sealed class CrossServiceTests(RunningAppHost platform)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Every_service_answers_ready_and_endpoints_json_says_where_everything_is()
    {
        var endpoints = await platform.EndpointsAsync();
        foreach (var service in new[] { "membership", "talent-pipeline", "events", "webhooks", "dashboard" })
        {
            using var http = platform.App.CreateHttpClient(service);
            using var ready = await http.GetAsync(new Uri("/health/ready", UriKind.Relative), Cancel);
            Assert.True(ready.StatusCode == HttpStatusCode.OK, $"{service} /health/ready answered {(int)ready.StatusCode}");
            Assert.Equal(http.BaseAddress!.Port, new Uri(endpoints.GetProperty("services").GetProperty(service).GetString()!).Port);
        }

        // The operator dashboard links to the Aspire dashboard for telemetry; only the operator may ask it.
        using (var anonymous = platform.App.CreateHttpClient("dashboard"))
        using (var refused = await anonymous.GetAsync(new Uri("/api/links", UriKind.Relative), Cancel))
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        using var dashboard = platform.Operator("dashboard");
        var links = await dashboard.GetFromJsonAsync<JsonElement>(new Uri("/api/links", UriKind.Relative), Cancel);
        Assert.Equal(endpoints.GetProperty("aspireDashboard").GetProperty("url").GetString(), links.GetProperty("aspireDashboard").GetString());
    }

    [Fact]
    public async Task A_membership_approval_reaches_events_and_talent_pipeline_as_one_trace_in_the_Aspire_dashboard()
    {
        using var membership = platform.Operator("membership");
        var organization = await PostAsync(membership, "/api/v1/organizations",
            new { name = $"Jining Technician College (e2e {Guid.NewGuid():N})", kind = "technicianCollege", region = "Shandong/Jining" });
        var consortium = await PostAsync(membership, "/api/v1/consortia",
            new { name = $"Jining Technician Education Group (e2e {Guid.NewGuid():N})", kind = "vocationalEducationGroup", region = "Shandong/Jining" });
        var consortiumId = consortium.GetProperty("id").GetString();
        var organizationId = organization.GetProperty("id").GetString();
        var application = await PostAsync(membership, $"/api/v1/consortia/{consortiumId}/memberships", new { organizationId });

        // The partner's own trace context: the approval, the outbox, the broker and both consumers must continue it.
        var traceId = ActivityTraceId.CreateRandom();
        using (var approve = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/consortia/{consortiumId}/memberships/{application.GetProperty("id").GetString()}/approve"))
        {
            approve.Headers.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom()}-01");
            approve.Content = JsonContent.Create(new { });
            using var approved = await membership.SendAsync(approve, Cancel);
            Assert.True(approved.IsSuccessStatusCode, $"approve answered {(int)approved.StatusCode}: {await approved.Content.ReadAsStringAsync(Cancel)}");
        }

        // The events service learns of it over RabbitMQ: its member directory shows the member as active.
        using var events = platform.Operator("events");
        var active = await EventuallyAsync(async () =>
        {
            // 404 until the events service has heard of the consortium.
            using var response = await events.GetAsync(new Uri($"/api/v1/members?consortiumId={consortiumId}", UriKind.Relative), Cancel);
            if (response.StatusCode == HttpStatusCode.NotFound) return false;
            var members = await response.Content.ReadFromJsonAsync<JsonElement>(Cancel);
            return members.GetProperty("items").EnumerateArray().Any(m => m.GetProperty("organizationId").GetString() == organizationId && m.GetProperty("status").GetString() == "active");
        });
        Assert.True(active, "the events service's member directory did not show the approved member as active within 30 s");

        // One trace in the Aspire dashboard: the HTTP request in membership and the consumers in talent-pipeline and events.
        var endpoints = await platform.EndpointsAsync();
        var aspire = endpoints.GetProperty("aspireDashboard");
        using var telemetry = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = new Uri(aspire.GetProperty("url").GetString()!) };
        telemetry.DefaultRequestHeaders.Add("x-api-key", aspire.GetProperty("telemetryApiKey").GetString());
        Dictionary<string, List<string>> spans = [];
        var whole = await EventuallyAsync(async () =>
        {
            using var response = await telemetry.GetAsync($"/api/telemetry/traces/{traceId}", Cancel);
            if (response.StatusCode == HttpStatusCode.NotFound) return false;
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            spans = SpansByService(await response.Content.ReadFromJsonAsync<JsonElement>(Cancel));
            // The request's own span ends (and is exported) after its database spans: wait for it, not just for membership.
            return spans.TryGetValue("membership", out var membership) && membership.Any(IsTheApproval)
                && spans.ContainsKey("talent-pipeline") && spans.ContainsKey("events");
        }, seconds: 60);
        Assert.True(whole, $"trace {traceId} in the Aspire dashboard has spans of {string.Join(", ", spans.Select(s => $"{s.Key}: [{string.Join("; ", s.Value)}]"))}; expected membership, talent-pipeline and events");
        Assert.Contains(spans["membership"], IsTheApproval);

        // Without the key the telemetry API answers 401: traces carry partners' data.
        using var anonymous = new HttpClient(new SocketsHttpHandler { UseProxy = false });
        using var refused = await anonymous.GetAsync(new Uri(telemetry.BaseAddress, $"/api/telemetry/traces/{traceId}"), Cancel);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    private static bool IsTheApproval(string spanName) => spanName.StartsWith("POST /api/v1/consortia/", StringComparison.Ordinal);

    /// <summary>Span names per <c>service.name</c> of an OTLP/JSON answer of the Aspire dashboard's telemetry API.</summary>
    private static Dictionary<string, List<string>> SpansByService(JsonElement answer)
    {
        var byService = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var resourceSpans in answer.GetProperty("data").GetProperty("resourceSpans").EnumerateArray())
        {
            var service = resourceSpans.GetProperty("resource").GetProperty("attributes").EnumerateArray()
                .First(a => a.GetProperty("key").GetString() == "service.name").GetProperty("value").GetProperty("stringValue").GetString()!;
            var names = byService.TryGetValue(service, out var list) ? list : byService[service] = [];
            foreach (var scope in resourceSpans.GetProperty("scopeSpans").EnumerateArray())
                names.AddRange(scope.GetProperty("spans").EnumerateArray().Select(s => s.GetProperty("name").GetString()!));
        }
        return byService;
    }

    [Fact]
    public async Task A_college_recording_itself_chair_at_its_own_meeting_is_refused_by_membership_and_the_refusal_shows_on_the_meeting()
    {
        using var membership = platform.Operator("membership");
        var college = await PostAsync(membership, "/api/v1/organizations",
            new { name = $"Ambitious college (e2e {Guid.NewGuid():N})", kind = "vocationalCollege", region = "Shandong/Jining" });
        var consortium = await PostAsync(membership, "/api/v1/consortia",
            new { name = $"Jining consortium (e2e {Guid.NewGuid():N})", kind = "vocationalEducationGroup", region = "Shandong/Jining" });
        var consortiumId = consortium.GetProperty("id").GetString();
        var collegeId = college.GetProperty("id").GetString();
        var application = await PostAsync(membership, $"/api/v1/consortia/{consortiumId}/memberships", new { organizationId = collegeId });
        using (var approved = await membership.PostAsJsonAsync($"/api/v1/consortia/{consortiumId}/memberships/{application.GetProperty("id").GetString()}/approve", new { }, Cancel))
            Assert.True(approved.IsSuccessStatusCode, $"approve answered {(int)approved.StatusCode}");
        await PostAsync(membership, $"/api/v1/consortia/{consortiumId}/council-sessions", new { number = 1, startsOn = "2025-01-01", endsOn = "2029-12-31" });
        var key = (await PostAsync(membership, $"/api/v1/organizations/{collegeId}/api-clients", new { name = "college SIS", scopes = new[] { "events:read", "events:write" } }))
            .GetProperty("key").GetString()!;

        using var partner = platform.App.CreateHttpClient("events");
        partner.DefaultRequestHeaders.Add("X-Api-Key", key);
        // The key and the membership reach the events service over RabbitMQ; then the college plans its own "council meeting".
        string? meetingId = null;
        Assert.True(await EventuallyAsync(async () =>
        {
            using var planned = await partner.PostAsJsonAsync("/api/v1/events", new
            {
                kind = "councilMeeting", title = "Council meeting of the college's choosing", consortiumId, organizerIds = new[] { collegeId },
                venue = "College auditorium", startsAt = "2025-03-01T09:00:00", endsAt = "2025-03-01T11:00:00", capacity = 30,
            }, Cancel);
            if (planned.StatusCode != HttpStatusCode.Created) return false;
            meetingId = (await planned.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("id").GetString();
            return true;
        }), "the partner key and the membership did not reach the events service within 30 s");
        foreach (var action in new[] { "schedule", "hold" })
        {
            using var moved = await partner.PostAsync(new Uri($"/api/v1/events/{meetingId}/{action}", UriKind.Relative), null, Cancel);
            Assert.Equal(HttpStatusCode.OK, moved.StatusCode);
        }
        await PostAsync(partner, $"/api/v1/events/{meetingId}/outcomes/council-designations",
            new { sessionNumber = 1, designations = new[] { new { organizationId = collegeId, role = "chair" } } });

        JsonElement designation = default;
        Assert.True(await EventuallyAsync(async () =>
        {
            var meeting = await partner.GetFromJsonAsync<JsonElement>($"/api/v1/events/{meetingId}", Cancel);
            designation = meeting.GetProperty("outcomes").GetProperty("councilDesignations")[0];
            return designation.GetProperty("state").GetString() != "pending";
        }), "membership's answer did not reach the meeting within 30 s");
        Assert.Equal("rejected", designation.GetProperty("state").GetString());
        Assert.Contains("operator", designation.GetProperty("reasons").GetProperty("recordedBy")[0].GetString(), StringComparison.Ordinal);
        var session = await membership.GetFromJsonAsync<JsonElement>($"/api/v1/consortia/{consortiumId}/council-sessions/1", Cancel);
        Assert.Equal(0, session.GetProperty("designations").GetArrayLength());
    }

    private static async Task<JsonElement> PostAsync(HttpClient http, string path, object body)
    {
        using var response = await http.PostAsJsonAsync(path, body, Cancel);
        var text = await response.Content.ReadAsStringAsync(Cancel);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"POST {path} answered {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private static async Task<bool> EventuallyAsync(Func<Task<bool>> condition, int seconds = 30)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(seconds))
        {
            if (await condition()) return true;
            await Task.Delay(250, Cancel);
        }
        return false;
    }
}
