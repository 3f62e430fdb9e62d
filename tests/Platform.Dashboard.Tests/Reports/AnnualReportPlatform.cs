using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Platform.Testing;

namespace Platform.Dashboard.Tests.Reports;

/// <summary>
/// The real services and the dashboard (<see cref="DashboardPlatform"/>) with one consortium's year put in through the
/// services' APIs: members of several kinds, a council and a charter, events held with an agreement, an unveiling and
/// competition results, programs, and placement events in <see cref="Year"/> and outside it. Shared by the report's tests.
/// </summary>
public sealed class AnnualReportPlatform(ThrowawayPostgres postgres, ThrowawayRabbitMq rabbit) : IAsyncLifetime
{
    /// <summary>A past year (the services refuse placement events in the future).</summary>
    public const int Year = 2025;

    public DashboardPlatform Platform { get; } = new(postgres, rabbit);
    public string Unique { get; } = Guid.NewGuid().ToString("N")[..6];
    public string ConsortiumId { get; private set; } = "";
    public string ConsortiumName => $"Jinan Annual Report Consortium {Unique}";
    public Dictionary<string, string> Organizations { get; } = [];
    public Dictionary<string, string> Events { get; } = [];

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        await Platform.InitializeAsync();
        using var membership = DashboardPlatform.Operator(Platform.Membership.Url);
        using var pipeline = DashboardPlatform.Operator(Platform.TalentPipeline.Url);
        using var events = DashboardPlatform.Operator(Platform.Events.Url);

        var consortium = await CreatedAsync(await membership.PostAsJsonAsync("/api/v1/consortia", new
        {
            name = ConsortiumName, kind = "industryEducationConsortium", region = "Shandong, Jinan", sectors = new[] { "intelligent manufacturing" },
            establishedOn = "2025-11-14", timeZone = "Asia/Shanghai",
        }, Cancel));
        ConsortiumId = consortium.GetProperty("id").GetString()!;
        async Task MemberAsync(string key, string name, string kind, bool approve)
        {
            var organization = await CreatedAsync(await membership.PostAsJsonAsync("/api/v1/organizations", new { name = $"{name} {Unique}", kind, region = "Shandong, Jinan" }, Cancel));
            Organizations[key] = organization.GetProperty("id").GetString()!;
            var applied = await CreatedAsync(await membership.PostAsJsonAsync($"/api/v1/consortia/{ConsortiumId}/memberships", new { organizationId = Organizations[key] }, Cancel));
            if (approve) await OkAsync(await membership.PostAsJsonAsync($"/api/v1/consortia/{ConsortiumId}/memberships/{applied.GetProperty("id").GetString()}/approve", new { reason = "council vote" }, Cancel));
        }
        await MemberAsync("labor", "Shandong Labor Vocational and Technical College", "vocationalCollege", approve: true);
        await MemberAsync("technician", "Jinan Technician College", "technicianCollege", approve: true);
        await MemberAsync("beichen", "Shandong Beichen", "enterprise", approve: true);
        await MemberAsync("guoshun", "Guoshun Group", "enterprise", approve: true);
        await MemberAsync("changqing", "Changqing District", "governmentAgency", approve: true);
        await MemberAsync("institute", "Qilu Robotics Institute", "researchInstitute", approve: false);

        await CreatedAsync(await membership.PostAsJsonAsync($"/api/v1/consortia/{ConsortiumId}/council-sessions", new { number = 1, startsOn = "2025-11-14", endsOn = "2030-11-13" }, Cancel));
        await OkAsync(await membership.PutAsJsonAsync($"/api/v1/consortia/{ConsortiumId}/council-sessions/1/roles", new[]
        {
            new { organizationId = Organizations["labor"], role = "chair" },
            new { organizationId = Organizations["beichen"], role = "viceChair" },
            new { organizationId = Organizations["changqing"], role = "councilMember" },
        }, Cancel));
        await CreatedAsync(await membership.PostAsJsonAsync($"/api/v1/consortia/{ConsortiumId}/charters", new { approvedOn = "2025-11-14", text = "The charter.", approvedBySession = 1 }, Cancel));

        // talent-pipeline and events learn about the members from membership's events over RabbitMQ.
        string welding = "", apprentices = "";
        await ServiceUnderTest<object>.EventuallyAsync(async () =>
        {
            using var created = await pipeline.PostAsJsonAsync("/api/v1/programs", new
            {
                consortiumId = ConsortiumId, kind = "orderClass", title = $"Intelligent welding order class {Unique}", collegeIds = new[] { Organizations["labor"] },
                enterpriseIds = new[] { Organizations["beichen"] }, occupation = "welder", seats = 40, startsOn = "2025-09-01", endsOn = "2027-07-01",
            }, Cancel);
            if (created.StatusCode != HttpStatusCode.Created) return false;
            welding = (await created.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("id").GetString()!;
            return true;
        }, "talent-pipeline knows the new members", TimeSpan.FromSeconds(30));
        var second = await CreatedAsync(await pipeline.PostAsJsonAsync("/api/v1/programs", new
        {
            consortiumId = ConsortiumId, kind = "apprenticeship", title = $"New apprenticeship {Unique}", collegeIds = new[] { Organizations["technician"] },
            enterpriseIds = new[] { Organizations["guoshun"] }, occupation = "logistics", seats = 20, startsOn = "2024-09-01", endsOn = "2026-07-01",
        }, Cancel));
        apprentices = second.GetProperty("id").GetString()!;
        await OkAsync(await pipeline.PostAsJsonAsync($"/api/v1/programs/{welding}/launch", new { reason = "agreement signed" }, Cancel));
        await OkAsync(await pipeline.PostAsJsonAsync($"/api/v1/programs/{apprentices}/launch", new { reason = "agreement signed" }, Cancel));

        // The year's trainees (A) and others before and after it (B); B3 is employed before enrolled (a data-quality flag).
        var batch = new List<object>();
        void Placement(string program, string college, string trainee, string type, string at, string? enterprise = null) => batch.Add(new
        {
            eventId = Guid.CreateVersion7(), collegeId = Organizations[college], programId = program, traineeRef = $"{trainee}-{Unique}", type,
            occurredAt = at, enterpriseId = enterprise is null ? null : Organizations[enterprise],
        });
        foreach (var trainee in new[] { "A1", "A2", "A3" }) Placement(welding, "labor", trainee, "enrolled", "2025-09-05T09:00:00+08:00");
        Placement(welding, "labor", "A1", "internshipStarted", "2025-10-10T09:00:00+08:00");
        Placement(welding, "labor", "A2", "internshipStarted", "2025-10-10T09:00:00+08:00");
        Placement(welding, "labor", "A1", "employed", "2025-12-10T09:00:00+08:00", "beichen");
        Placement(apprentices, "technician", "B1", "enrolled", "2024-09-05T09:00:00+08:00");
        Placement(apprentices, "technician", "B2", "enrolled", "2024-09-05T09:00:00+08:00");
        Placement(apprentices, "technician", "B1", "employed", "2026-01-15T09:00:00+08:00", "guoshun");
        Placement(apprentices, "technician", "B3", "employed", "2025-03-15T09:00:00+08:00", "guoshun");
        Placement(apprentices, "technician", "B3", "enrolled", "2025-04-15T09:00:00+08:00");
        using (var submitted = await pipeline.PostAsJsonAsync("/api/v1/placement-events", new { events = batch }, Cancel))
        {
            var body = await submitted.Content.ReadFromJsonAsync<JsonElement>(Cancel);
            Assert.True(submitted.IsSuccessStatusCode && body.GetProperty("rejected").GetInt32() == 0, body.ToString());
        }

        // Events: a meeting this year with an agreement and an unveiling, a competition at 01:00 on 1 January in Jinan
        // (still 31 December in UTC: this year's in Asia/Shanghai), and a meeting with an agreement on 31 December before.
        async Task<string> HeldAsync(string key, string kind, string title, string startsAt, string endsAt)
        {
            string id = "";
            await ServiceUnderTest<object>.EventuallyAsync(async () =>
            {
                using var planned = await events.PostAsJsonAsync("/api/v1/events", new
                {
                    kind, title = $"{title} {Unique}", consortiumId = ConsortiumId, organizerIds = new[] { Organizations["labor"] },
                    venue = "Shandong Labor Vocational and Technical College", startsAt, endsAt, capacity = 200,
                }, Cancel);
                if (planned.StatusCode != HttpStatusCode.Created) return false;
                id = (await planned.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("id").GetString()!;
                return true;
            }, "events knows the new members", TimeSpan.FromSeconds(30));
            await OkAsync(await events.PostAsync($"/api/v1/events/{id}/schedule", null, Cancel));
            await OkAsync(await events.PostAsync($"/api/v1/events/{id}/hold", null, Cancel));
            Events[key] = id;
            return id;
        }
        var construction = await HeldAsync("construction", "signingCeremony", "Construction meeting", "2025-11-14T09:00:00+08:00", "2025-11-14T12:00:00+08:00");
        await CreatedAsync(await events.PostAsJsonAsync($"/api/v1/events/{construction}/outcomes/agreements", new
        {
            parties = new[] { Organizations["labor"], Organizations["beichen"] }, kind = "orderClass", title = $"Intelligent welding order class agreement {Unique}",
            occupation = "welder", signedOn = "2025-11-14",
        }, Cancel));
        await CreatedAsync(await events.PostAsJsonAsync($"/api/v1/events/{construction}/outcomes/unveilings", new
        {
            name = $"Intelligent manufacturing training base {Unique}", hostOrganizationId = Organizations["labor"], kind = "trainingBase", unveiledOn = "2025-11-14",
        }, Cancel));
        var competition = await HeldAsync("competition", "skillsCompetition", "E-commerce skills competition", "2025-01-01T01:00:00+08:00", "2025-01-01T05:00:00+08:00");
        await CreatedAsync(await events.PostAsJsonAsync($"/api/v1/events/{competition}/outcomes/competition-results", new
        {
            entrants = new[] { new { traineeRef = $"A1-{Unique}", collegeId = Organizations["labor"], rank = 1, award = "First prize" } },
        }, Cancel));
        var before = await HeldAsync("before", "foundingMeeting", "Preparatory meeting", "2024-12-31T20:00:00+08:00", "2024-12-31T22:00:00+08:00");
        await CreatedAsync(await events.PostAsJsonAsync($"/api/v1/events/{before}/outcomes/agreements", new
        {
            parties = new[] { Organizations["labor"], Organizations["changqing"] }, kind = "strategicCooperation", title = $"Strategic cooperation {Unique}", signedOn = "2024-12-31",
        }, Cancel));
    }

    private static async Task<JsonElement> CreatedAsync(HttpResponseMessage response)
    {
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(Cancel);
            Assert.True(response.StatusCode == HttpStatusCode.Created, $"{response.RequestMessage?.RequestUri}: {(int)response.StatusCode}: {body}");
            return JsonDocument.Parse(body).RootElement.Clone();
        }
    }

    private static async Task OkAsync(HttpResponseMessage response)
    {
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(Cancel);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{response.RequestMessage?.RequestUri}: {(int)response.StatusCode}: {body}");
        }
    }

    public ValueTask DisposeAsync() => Platform.DisposeAsync();
}
