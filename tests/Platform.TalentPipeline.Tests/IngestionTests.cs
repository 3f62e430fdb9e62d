using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Platform.Membership.Contracts;
using Platform.TalentPipeline.Contracts;
using Platform.TalentPipeline.Domain;
using static Platform.TalentPipeline.Tests.PipelineService;

namespace Platform.TalentPipeline.Tests;

public sealed class IngestionTests(PipelineService pipeline) : IClassFixture<PipelineService>
{
    [Fact]
    public async Task A_batch_answers_each_event_and_one_bad_event_never_rejects_the_others()
    {
        var s = await pipeline.ScenarioAsync();
        using var college = pipeline.Service.ClientWithKey(s.CollegeKey);
        await using var recorded = await pipeline.Service.WatchAsync<PlacementRecorded>();
        await using var employed = await pipeline.Service.WatchAsync<TraineeEmployed>();

        var report = await PostBatchAsync(college,
            Event(s, "e1", "T-001", "enrolled", "2025-09-01T08:00:00+08:00"),
            Event(s, "e2", "110101199003074514", "enrolled", "2025-09-01T08:00:00+08:00"),
            new { eventId = "e3", collegeId = s.CollegeId, programId = s.ProgramId, traineeRef = "T-002", type = "graduated", occurredAt = "2025-09-01T08:00:00+08:00" },
            new { eventId = "e4", collegeId = s.CollegeId, programId = s.ProgramId, traineeRef = "T-003", type = "enrolled", occurredAt = "2025-09-01T08:00:00+08:00", name = "Zhang San" },
            Event(s, "e5", "T-001", "employed", "2026-07-10T09:00:00+08:00", s.EnterpriseId),
            Event(s, "e6", "T-004", "enrolled", "2025-09-01"));

        Assert.Equal(["accepted", "rejected", "rejected", "rejected", "accepted", "rejected"], Statuses(report));
        var results = report.GetProperty("results");
        Assert.Contains("national ID", results[1].GetProperty("reasons")[0].GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal("events[1].traineeRef", results[1].GetProperty("reasons")[0].GetProperty("field").GetString());
        Assert.Equal("events[2].type", results[2].GetProperty("reasons")[0].GetProperty("field").GetString());
        Assert.Equal("events[3].name", results[3].GetProperty("reasons")[0].GetProperty("field").GetString());
        Assert.Equal("events[5].occurredAt", results[5].GetProperty("reasons")[0].GetProperty("field").GetString());
        Assert.Equal(2, report.GetProperty("accepted").GetInt32());
        Assert.Equal(4, report.GetProperty("rejected").GetInt32());

        var published = await recorded.TakeAsync(2, e => e.CollegeId == s.CollegeId);
        Assert.Equal(["e1", "e5"], published.Select(e => e.EventId).Order());
        Assert.All(published, e => Assert.Equal("Intelligent welding order class", e.ProgramTitle));
        Assert.Equal("employed", published.Single(e => e.EventId == "e5").Stage);
        var hired = await employed.NextAsync(e => e.CollegeId == s.CollegeId);
        Assert.Equal(("T-001", s.EnterpriseId), (hired.TraineeRef, hired.EnterpriseId!.Value));

        var trainee = await GetAsync(college, $"/api/v1/trainees/{s.CollegeId}/T-001");
        Assert.Equal("employed", trainee.GetProperty("stage").GetString());
        Assert.Equal(2, trainee.GetProperty("history").GetArrayLength());
    }

    [Fact]
    public async Task A_resend_is_a_duplicate_and_the_same_eventId_with_other_content_is_a_conflict_changing_nothing()
    {
        var s = await pipeline.ScenarioAsync();
        using var college = pipeline.Service.ClientWithKey(s.CollegeKey);
        // Watching from the start: d1's announcement may reach the broker after the first answer, so count every one.
        await using var recorded = await pipeline.Service.WatchAsync<PlacementRecorded>();
        Assert.Equal(["accepted"], Statuses(await PostBatchAsync(college, Event(s, "d1", "T-1", "enrolled", "2025-09-01T08:00:00+08:00"))));

        var again = await PostBatchAsync(college,
            Event(s, "d1", "T-1", "enrolled", "2025-09-01T00:00:00Z"),          // same instant, other notation: a resend
            Event(s, "d1", "T-1", "withdrawn", "2025-09-02T08:00:00+08:00"),    // same id, other content
            Event(s, "d2", "T-1", "internshipStarted", "2026-03-01T08:00:00+08:00"),
            Event(s, "d2", "T-1", "internshipStarted", "2026-03-01T08:00:00+08:00"));
        Assert.Equal(["duplicate", "rejected", "accepted", "duplicate"], Statuses(again));
        Assert.Contains("Conflict", again.GetProperty("results")[1].GetProperty("reasons")[0].GetProperty("message").GetString(), StringComparison.Ordinal);

        var trainee = await GetAsync(college, $"/api/v1/trainees/{s.CollegeId}/T-1");
        Assert.Equal("internshipStarted", trainee.GetProperty("stage").GetString());
        Assert.Equal(["d1", "d2"], trainee.GetProperty("history").EnumerateArray().Select(e => e.GetProperty("eventId").GetString()));
        var funnel = await GetAsync(college, $"/api/v1/kpis/funnel?collegeId={s.CollegeId}");
        Assert.Equal(1, funnel.GetProperty("counts").GetProperty("enrolled").GetInt32());
        Assert.Equal(0, funnel.GetProperty("counts").GetProperty("withdrawn").GetInt32());
        // Each accepted event was announced once; the resend, the conflict and the repeated d2 were not.
        Assert.Equal(["d1", "d2"], (await recorded.DrainAfterAsync(TimeSpan.FromSeconds(2))).Where(e => e.CollegeId == s.CollegeId).Select(e => e.EventId).Order());
    }

    [Fact]
    public async Task A_late_earlier_event_fills_in_history_without_moving_the_stage_backwards_and_clears_its_flag()
    {
        var s = await pipeline.ScenarioAsync();
        using var college = pipeline.Service.ClientWithKey(s.CollegeKey);

        var first = await PostBatchAsync(college, Event(s, "o2", "T-9", "employed", "2026-07-01T09:00:00+08:00", s.EnterpriseId));
        Assert.Equal("employedBeforeEnrolled", first.GetProperty("results")[0].GetProperty("flag").GetString());
        var quality = await GetAsync(college, $"/api/v1/data-quality?collegeId={s.CollegeId}");
        Assert.Equal(1, quality.GetProperty("issues").GetInt32());

        await PostBatchAsync(college, Event(s, "o1", "T-9", "enrolled", "2025-09-01T08:00:00+08:00"),
            Event(s, "o0", "T-9", "internshipStarted", "2026-03-01T08:00:00+08:00", s.EnterpriseId));
        var trainee = await GetAsync(college, $"/api/v1/trainees/{s.CollegeId}/T-9");
        Assert.Equal("employed", trainee.GetProperty("stage").GetString());
        Assert.Equal(["enrolled", "internshipStarted", "employed"], trainee.GetProperty("history").EnumerateArray().Select(e => e.GetProperty("type").GetString()));
        Assert.All(trainee.GetProperty("history").EnumerateArray(), e => Assert.Equal(JsonValueKind.Null, e.GetProperty("flag").ValueKind));
        quality = await GetAsync(college, $"/api/v1/data-quality?collegeId={s.CollegeId}");
        Assert.Equal(0, quality.GetProperty("issues").GetInt32());

        var funnel = await GetAsync(college, $"/api/v1/kpis/funnel?collegeId={s.CollegeId}");
        Assert.Equal(1.0, funnel.GetProperty("internshipToEmploymentConversion").GetDouble());
        Assert.Equal(1.0, funnel.GetProperty("placementRate").GetDouble());
    }

    [Fact]
    public async Task Impossible_sequences_are_accepted_into_history_flagged_and_counted_per_college()
    {
        var s = await pipeline.ScenarioAsync();
        using var college = pipeline.Service.ClientWithKey(s.CollegeKey);
        var report = await PostBatchAsync(college,
            Event(s, "i1", "T-A", "enrolled", "2025-09-01T08:00:00+08:00"),
            Event(s, "i2", "T-A", "retained6Months", "2026-01-01T08:00:00+08:00"),     // retention before employment
            Event(s, "i3", "T-B", "enrolled", "2025-09-01T08:00:00+08:00"),
            Event(s, "i4", "T-B", "withdrawn", "2025-10-01T08:00:00+08:00"),
            Event(s, "i5", "T-B", "internshipStarted", "2026-03-01T08:00:00+08:00"));  // after withdrawn
        Assert.Equal(["accepted", "accepted", "accepted", "accepted", "accepted"], Statuses(report));
        Assert.Equal("retentionBeforeEmployment", report.GetProperty("results")[1].GetProperty("flag").GetString());
        Assert.Equal("afterWithdrawn", report.GetProperty("results")[4].GetProperty("flag").GetString());

        var quality = await GetAsync(college, $"/api/v1/data-quality?collegeId={s.CollegeId}");
        Assert.Equal(2, quality.GetProperty("issues").GetInt32());
        Assert.Equal(1, quality.GetProperty("byFlag").GetProperty("afterWithdrawn").GetInt32());
        Assert.Equal(1, quality.GetProperty("byFlag").GetProperty("retentionBeforeEmployment").GetInt32());
        // Withdrawn is where T-B's history ends: a later event does not move it on.
        Assert.Equal("withdrawn", (await GetAsync(college, $"/api/v1/trainees/{s.CollegeId}/T-B")).GetProperty("stage").GetString());
    }

    [Fact]
    public async Task A_college_key_pushes_only_for_itself_and_only_into_its_programs()
    {
        var s = await pipeline.ScenarioAsync();
        var otherCollege = await pipeline.AddMemberAsync(s.ConsortiumId, "Jining Technician College", "technicianCollege");
        var otherProgram = await pipeline.LaunchProgramAsync(s.ConsortiumId, otherCollege, s.EnterpriseId, "Green collar skills training");
        using var college = pipeline.Service.ClientWithKey(s.CollegeKey);

        var report = await PostBatchAsync(college,
            new { eventId = "w1", collegeId = otherCollege, programId = otherProgram, traineeRef = "T-1", type = "enrolled", occurredAt = "2025-09-01T08:00:00+08:00" },
            new { eventId = "w2", collegeId = s.CollegeId, programId = otherProgram, traineeRef = "T-1", type = "enrolled", occurredAt = "2025-09-01T08:00:00+08:00" },
            new { eventId = "w3", collegeId = s.CollegeId, programId = Guid.CreateVersion7(), traineeRef = "T-1", type = "enrolled", occurredAt = "2025-09-01T08:00:00+08:00" },
            Event(s, "w4", "T-1", "enrolled", "2025-09-01T08:00:00+08:00"));
        Assert.Equal(["rejected", "rejected", "rejected", "accepted"], Statuses(report));
        var results = report.GetProperty("results");
        Assert.Equal("events[0].collegeId", results[0].GetProperty("reasons")[0].GetProperty("field").GetString());
        Assert.Equal("events[1].programId", results[1].GetProperty("reasons")[0].GetProperty("field").GetString());
        // The other college's program and the unknown program are refused alike: no hint that one exists.
        Assert.Equal(results[1].GetProperty("reasons")[0].GetProperty("message").GetString(), results[2].GetProperty("reasons")[0].GetProperty("message").GetString());
    }

    [Fact]
    public async Task A_suspended_college_has_its_programs_paused_and_its_events_refused_until_reinstated()
    {
        var s = await pipeline.ScenarioAsync();
        using var college = pipeline.Service.ClientWithKey(s.CollegeKey);
        using var operatorClient = pipeline.Operator();
        await using var changes = await pipeline.Service.WatchAsync<ProgramStatusChanged>();

        await pipeline.Service.PublishAsync(new MembershipSuspended
        {
            MembershipId = Guid.CreateVersion7(), ConsortiumId = s.ConsortiumId, OrganizationId = s.CollegeId,
            OrganizationName = "Shandong Labor Vocational and Technical College", Reason = "dues unpaid", OccurredAt = DateTimeOffset.UtcNow,
        });
        var paused = await changes.NextAsync(c => c.ProgramId == s.ProgramId);
        Assert.Equal(("active", "paused"), (paused.From, paused.To));
        Assert.Contains("suspended", paused.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("dues unpaid", paused.Reason, StringComparison.Ordinal);   // membership's reason is private
        Assert.Equal(new[] { s.CollegeId, s.EnterpriseId }.Order(), paused.PartyIds.Order());    // whom the webhooks service tells
        Assert.Equal("paused", (await GetAsync(operatorClient, $"/api/v1/programs/{s.ProgramId}")).GetProperty("status").GetString());

        var refused = await PostBatchAsync(college, Event(s, "s1", "T-1", "enrolled", "2025-09-01T08:00:00+08:00"));
        Assert.Equal(["rejected"], Statuses(refused));
        Assert.Contains("suspended", refused.GetProperty("results")[0].GetProperty("reasons")[0].GetProperty("message").GetString(), StringComparison.Ordinal);

        await pipeline.Service.PublishAsync(new MembershipReinstated
        {
            MembershipId = Guid.CreateVersion7(), ConsortiumId = s.ConsortiumId, OrganizationId = s.CollegeId,
            OrganizationName = "Shandong Labor Vocational and Technical College", OrganizationKind = "vocationalCollege", OccurredAt = DateTimeOffset.UtcNow,
        });
        var resumed = await changes.NextAsync(c => c.ProgramId == s.ProgramId && c.To == "active");
        Assert.Equal("paused", resumed.From);
        Assert.Equal(["accepted"], Statuses(await PostBatchAsync(college, Event(s, "s1", "T-1", "enrolled", "2025-09-01T08:00:00+08:00"))));
    }

    [Fact]
    public async Task A_CSV_upload_is_answered_per_row_with_line_numbers_and_a_malformed_file_imports_nothing()
    {
        var s = await pipeline.ScenarioAsync();
        using var college = pipeline.Service.ClientWithKey(s.CollegeKey);
        var csv = $"""
            eventId,collegeId,programId,traineeRef,type,occurredAt,enterpriseId
            c1,{s.CollegeId},{s.ProgramId},T-1,enrolled,2025-09-01T08:00:00+08:00,
            c2,{s.CollegeId},{s.ProgramId},370102200001011234,enrolled,2025-09-01T08:00:00+08:00,

            c3,{s.CollegeId},{s.ProgramId},"T-2, evening class",enrolled,2025-09-01T08:00:00+08:00,
            c4,{s.CollegeId},{s.ProgramId},T-1,hired,2026-07-01T08:00:00+08:00,{s.EnterpriseId}
            c1,{s.CollegeId},{s.ProgramId},T-1,enrolled,2025-09-01T08:00:00+08:00,
            """;
        using var response = await college.PostAsync(new Uri("/api/v1/placement-events/csv", UriKind.Relative), new StringContent(csv, Encoding.UTF8, "text/csv"), TestContext.Current.CancellationToken);
        var report = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["accepted", "rejected", "accepted", "rejected", "duplicate"], Statuses(report));
        Assert.Equal([2, 3, 5, 6, 7], report.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("line").GetInt32()));
        Assert.Equal("traineeRef", report.GetProperty("results")[1].GetProperty("reasons")[0].GetProperty("field").GetString());
        Assert.Equal("type", report.GetProperty("results")[3].GetProperty("reasons")[0].GetProperty("field").GetString());

        foreach (var (bad, expected) in new[]
                 {
                     ($"eventId,collegeId,programId,traineeRef,type,occurredAt\nm1,{s.CollegeId},{s.ProgramId},T-3,enrolled,2025-09-01T08:00:00Z\nm2,{s.CollegeId},{s.ProgramId},\"T-4,enrolled,2025-09-01T08:00:00Z\n", "Line 3"),
                     ($"eventId,collegeId,programId,traineeRef,type,occurredAt\nm1,{s.CollegeId},{s.ProgramId},T-3,enrolled,2025-09-01T08:00:00Z\nm2,{s.CollegeId},T-4,enrolled\n", "Line 3"),
                     ($"eventId,collegeId,programId,traineeRef,name,type,occurredAt\nm1,{s.CollegeId},{s.ProgramId},T-3,Li Si,enrolled,2025-09-01T08:00:00Z\n", "name"),
                 })
        {
            using var malformed = await college.PostAsync(new Uri("/api/v1/placement-events/csv", UriKind.Relative), new StringContent(bad, Encoding.UTF8, "text/csv"), TestContext.Current.CancellationToken);
            var problem = await malformed.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
            Assert.Contains(expected, problem.GetProperty("errors").GetProperty("body")[0].GetString(), StringComparison.Ordinal);
        }
        using var missing = await college.GetAsync(new Uri($"/api/v1/trainees/{s.CollegeId}/T-3", UriKind.Relative), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task Concurrent_batches_for_the_same_trainees_end_at_the_same_stages_as_sequential_ones()
    {
        var sequential = await pipeline.ScenarioAsync();
        var concurrent = await pipeline.ScenarioAsync();
        var plan = RandomHistories.Make(seed: 7, trainees: 30);

        using (var client = pipeline.Service.ClientWithKey(sequential.CollegeKey))
        {
            foreach (var chunk in plan.OrderBy(e => e.OccurredAt).Chunk(50))
                await PostBatchAsync(client, [.. chunk.Select(e => e.ToRequest(sequential))]);
        }
        using (var client = pipeline.Service.ClientWithKey(concurrent.CollegeKey))
        {
            var shuffled = plan.OrderBy(e => HashCode.Combine(e.EventId, 11)).ToList();
            await Task.WhenAll(shuffled.Chunk((shuffled.Count + 3) / 4).Select(chunk => PostBatchAsync(client, [.. chunk.Select(e => e.ToRequest(concurrent))])));
        }

        using var operatorClient = pipeline.Operator();
        foreach (var traineeRef in plan.Select(e => e.TraineeRef).Distinct())
        {
            var a = await GetAsync(operatorClient, $"/api/v1/trainees/{sequential.CollegeId}/{traineeRef}");
            var b = await GetAsync(operatorClient, $"/api/v1/trainees/{concurrent.CollegeId}/{traineeRef}");
            Assert.Equal(a.GetProperty("stage").GetString(), b.GetProperty("stage").GetString());
            Assert.Equal(a.GetProperty("history").EnumerateArray().Select(e => e.GetProperty("flag").ToString()),
                b.GetProperty("history").EnumerateArray().Select(e => e.GetProperty("flag").ToString()));
        }
        var funnelA = await GetAsync(operatorClient, $"/api/v1/kpis/funnel?collegeId={sequential.CollegeId}");
        var funnelB = await GetAsync(operatorClient, $"/api/v1/kpis/funnel?collegeId={concurrent.CollegeId}");
        Assert.Equal(funnelA.GetProperty("counts").ToString(), funnelB.GetProperty("counts").ToString());
    }

    [Fact]
    public async Task Funnel_KPIs_reconcile_exactly_with_a_replay_of_all_accepted_events()
    {
        var s = await pipeline.ScenarioAsync();
        var plan = RandomHistories.Make(seed: 42, trainees: 80);
        using var client = pipeline.Service.ClientWithKey(s.CollegeKey);
        // Arrival order differs from occurrence order, and a fifth of the events is sent twice.
        var sends = plan.Concat(plan.Where((_, i) => i % 5 == 0)).OrderBy(e => HashCode.Combine(e.EventId, 3)).ToList();
        var accepted = new List<PlannedEvent>();
        foreach (var chunk in sends.Chunk(100))
        {
            var report = await PostBatchAsync(client, [.. chunk.Select(e => e.ToRequest(s))]);
            accepted.AddRange(chunk.Where((_, i) => report.GetProperty("results")[i].GetProperty("status").GetString() == "accepted"));
        }
        Assert.Equal(plan.Count, accepted.Count);

        var replay = accepted.GroupBy(e => e.TraineeRef)
            .SelectMany(g => TraineeHistory.MilestonesOf([.. g.Select(e => e.ToEntry(s))]))
            .ToList();
        var funnel = await GetAsync(client, $"/api/v1/kpis/funnel?collegeId={s.CollegeId}");
        foreach (var stage in Enum.GetValues<FunnelStage>())
        {
            var name = JsonNamingPolicy.CamelCase.ConvertName(stage.ToString());
            Assert.True(replay.Count(m => m.Stage == stage) == funnel.GetProperty("counts").GetProperty(name).GetInt32(), $"stage {name}");
        }
        foreach (var month in funnel.GetProperty("byMonth").EnumerateArray())
        {
            var when = DateOnly.Parse(month.GetProperty("month").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal(replay.Count(m => m.Month == when && m.Stage == FunnelStage.Employed), month.GetProperty("counts").GetProperty("employed").GetInt32());
        }
        Assert.Equal(replay.Select(m => m.Month).Distinct().Count(), funnel.GetProperty("byMonth").GetArrayLength());
    }
}

/// <summary>A planned placement event of the random histories.</summary>
public sealed record PlannedEvent(string EventId, string TraineeRef, PlacementType Type, DateTimeOffset OccurredAt, bool WithEnterprise)
{
    public object ToRequest(Scenario s) => Event(s, EventId, TraineeRef, JsonNamingPolicy.CamelCase.ConvertName(Type.ToString()),
        OccurredAt.ToString("yyyy-MM-dd'T'HH:mm:ssK", System.Globalization.CultureInfo.InvariantCulture), WithEnterprise ? s.EnterpriseId : null);

    public HistoryEntry ToEntry(Scenario s) => new(EventId, Type, OccurredAt, s.ProgramId, s.ConsortiumId, WithEnterprise ? s.EnterpriseId : null);
}

/// <summary>Deterministic random trainee histories: mostly plausible funnels, some withdrawals, some impossible sequences.</summary>
public static class RandomHistories
{
    public static List<PlannedEvent> Make(int seed, int trainees)
    {
        var random = new Random(seed);
        var events = new List<PlannedEvent>();
        var start = new DateTimeOffset(2024, 9, 1, 0, 0, 0, TimeSpan.FromHours(8));
        for (var t = 0; t < trainees; t++)
        {
            var traineeRef = $"TR-{t:D4}";
            var at = start.AddDays(random.Next(0, 60));
            var reach = random.Next(1, 9);
            var n = 0;
            foreach (var type in Enum.GetValues<PlacementType>().Where(p => p != PlacementType.Withdrawn).Take(reach))
            {
                if (type == PlacementType.Enrolled && random.Next(10) == 0) continue; // some never report enrollment
                at = at.AddDays(random.Next(15, 90));
                events.Add(new PlannedEvent($"{traineeRef}-{n++}", traineeRef, type, at, type >= PlacementType.InternshipStarted));
            }
            if (random.Next(6) == 0) events.Add(new PlannedEvent($"{traineeRef}-{n++}", traineeRef, PlacementType.Withdrawn, start.AddDays(random.Next(30, 400)), false));
        }
        return events;
    }
}
