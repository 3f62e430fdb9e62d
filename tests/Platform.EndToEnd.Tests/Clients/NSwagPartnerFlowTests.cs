using Aspire.Hosting.Testing;
using Platform.Clients.NSwag.TalentPipeline;
using static Platform.EndToEnd.Tests.Clients.PartnerFlow;
using EventsApi = Platform.Clients.NSwag.Events;
using MembershipApi = Platform.Clients.NSwag.Membership;

namespace Platform.EndToEnd.Tests.Clients;

/// <summary>A partner's whole flow through NSwag 14.7 clients generated from docs/openapi/*.json (System.Text.Json).</summary>
public sealed class NSwagPartnerFlowTests(RunningAppHost platform)
{
    [Fact]
    public async Task A_partner_runs_the_whole_flow_through_NSwag_clients_and_reads_errors_as_typed_problems()
    {
        // The operator: two organizations, a consortium, both memberships approved, a key for the college.
        using var operatorHttp = platform.Operator("membership");
        var membership = new MembershipApi.MembershipClient(operatorHttp);
        var college = await membership.RegisterOrganizationAsync(new MembershipApi.RegisterOrganizationRequest
        { Name = Unique("Jining Technician College"), Kind = MembershipApi.OrganizationKind.TechnicianCollege, Region = "Shandong/Jining" }, cancellationToken: Cancel);
        var enterprise = await membership.RegisterOrganizationAsync(new MembershipApi.RegisterOrganizationRequest
        { Name = Unique("Shandong Heavy Machinery"), Kind = MembershipApi.OrganizationKind.Enterprise, Region = "Shandong/Jining" }, cancellationToken: Cancel);
        var consortium = await membership.EstablishConsortiumAsync(new MembershipApi.EstablishConsortiumRequest
        { Name = Unique("Jining Equipment Manufacturing Group"), Kind = MembershipApi.ConsortiumKind.VocationalEducationGroup, Region = "Shandong/Jining" }, cancellationToken: Cancel);
        foreach (var organization in new[] { college, enterprise })
        {
            var applied = await membership.ApplyForMembershipAsync(consortium.Id, new MembershipApi.ApplyForMembershipRequest { OrganizationId = organization.Id }, cancellationToken: Cancel);
            var approved = await membership.ApproveMembershipAsync(consortium.Id, applied.Id, cancellationToken: Cancel);
            Assert.Equal(MembershipApi.MembershipStatus.Active, approved.Status);
        }
        var key = await membership.IssueApiClientAsync(college.Id, new MembershipApi.IssueApiClientRequest { Name = "College SIS (NSwag)", Scopes = [.. CollegeScopes.Select(NSwagScope)] }, cancellationToken: Cancel);
        Assert.False(string.IsNullOrEmpty(key.Key), "the key is shown once, when issued");

        // The college, with its own key.
        using var partnerMembershipHttp = Partner("membership", key.Key!);
        var me = await new MembershipApi.MembershipClient(partnerMembershipHttp).GetCallerAsync(Cancel);
        Assert.Equal(college.Id, me.OrganizationId);
        Assert.Equal(CollegeScopes.Order(), me.Scopes.Order());

        using var pipelineHttp = Partner("talent-pipeline", key.Key!);
        var pipeline = new TalentPipelineClient(pipelineHttp);
        var program = await EventuallyAsync("the college's key and both memberships reaching talent-pipeline", async () => await pipeline.CreateProgramAsync(new CreateProgramRequest
        {
            ConsortiumId = consortium.Id, Kind = ProgramKind.OrderClass, Title = "CNC machining order class", Occupation = "CNC machinist", Seats = 30,
            CollegeIds = [college.Id], EnterpriseIds = [enterprise.Id],
        }, cancellationToken: Cancel));
        var launched = await pipeline.LaunchProgramAsync(program.Id, cancellationToken: Cancel);
        Assert.Equal(ProgramStatus.Active, launched.Status);

        var run = $"ns{Guid.NewGuid():N}"[..12];
        var report = await pipeline.RecordPlacementEventsAsync(new PlacementBatchRequest
        {
            Events = [.. Placements(run).Select(p => new PlacementEventRequest
            {
                EventId = p.EventId, CollegeId = college.Id, ProgramId = program.Id, TraineeRef = p.TraineeRef, OccurredAt = p.OccurredAt,
                Type = Enum.Parse<PlacementType>(p.Stage, ignoreCase: true), EnterpriseId = p.Stage == "employed" ? enterprise.Id : null,
            })],
        }, cancellationToken: Cancel);
        Assert.True(report.Accepted == 20, $"accepted {report.Accepted}, rejected: {string.Join("; ", report.Results.Where(r => r.Status != PlacementOutcome.Accepted).SelectMany(r => r.Reasons ?? []).Select(r => $"{r.Field}: {r.Message}"))}");

        var funnel = await pipeline.GetFunnelAsync(programId: program.Id, collegeId: college.Id, cancellationToken: Cancel);
        Assert.Equal([Trainees, Trainees, Trainees, Trainees], new[] { funnel.Counts.Enrolled, funnel.Counts.InternshipStarted, funnel.Counts.InternshipCompleted, funnel.Counts.Employed });
        Assert.Equal(1.0, funnel.PlacementRate);
        var trainee = await pipeline.GetTraineeAsync(college.Id, $"{run}-t1", Cancel);
        Assert.Equal(PlacementType.Employed, trainee.Stage);
        Assert.Equal(Stages.Length, trainee.History.Count);

        // The consortium's feed tells of the launch and counts the 20 placements.
        using var eventsHttp = Partner("events", key.Key!);
        var events = new EventsApi.EventsClient(eventsHttp);
        // Links to a program point at talent-pipeline's own address, not the events service's.
        var link = $"/api/v1/programs/{program.Id}";
        await EventuallyAsync("the launch and the placements in the events feed", async () =>
        {
            var feed = await events.GetFeedAsync(consortium.Id, limit: 200, cancellationToken: Cancel);
            var ofProgram = feed.Items.Where(e => e.Link?.EndsWith(link, StringComparison.Ordinal) == true).ToList();
            var placements = ofProgram.Where(e => e.Kind == EventsApi.FeedEntryKind.PlacementMilestones).Sum(e => e.Tally is { } t
                ? t.Enrolled + t.InternshipStarted + t.InternshipCompleted + t.OfferMade + t.OfferAccepted + t.Employed + t.Retained6Months + t.Retained12Months + t.Withdrawn + t.Other
                : 0);
            return ofProgram.Any(e => e.Kind == EventsApi.FeedEntryKind.ProgramLaunched) && placements == 20 ? feed : null;
        });

        // Errors read as typed problems.
        var notFound = await Assert.ThrowsAsync<ApiException<Problem>>(() => pipeline.GetProgramAsync(Guid.NewGuid(), Cancel));
        Assert.Equal(404, notFound.StatusCode);
        Assert.False(string.IsNullOrWhiteSpace(notFound.Result.Detail), "a 404 problem has a detail");
        var conflict = await Assert.ThrowsAsync<ApiException<ConflictProblem>>(() => pipeline.LaunchProgramAsync(program.Id, cancellationToken: Cancel));
        Assert.Equal(409, conflict.StatusCode);
        Assert.Equal("active", conflict.Result.CurrentState?.Status);
        Assert.Contains("launch", conflict.Result.Detail, StringComparison.OrdinalIgnoreCase);
        var invalid = await Assert.ThrowsAsync<ApiException<ValidationProblem>>(() => pipeline.CreateProgramAsync(new CreateProgramRequest
        {
            ConsortiumId = consortium.Id, Kind = ProgramKind.OrderClass, Title = "Zero seats", Seats = 0, CollegeIds = [college.Id], EnterpriseIds = [enterprise.Id],
        }, cancellationToken: Cancel));
        Assert.Equal(400, invalid.StatusCode);
        Assert.True(invalid.Result.Errors.ContainsKey("seats"), $"errors name the field: {string.Join(", ", invalid.Result.Errors.Keys)}");
    }

    private HttpClient Partner(string service, string key)
    {
        var http = platform.App.CreateHttpClient(service);
        http.DefaultRequestHeaders.Add("X-Api-Key", key);
        return http;
    }

    // NSwag names the scope strings' enum members in PascalCase and keeps the wire string in JsonStringEnumMemberName.
    private static MembershipApi.ApiScope NSwagScope(string scope) =>
        Enum.GetValues<MembershipApi.ApiScope>().Single(s => typeof(MembershipApi.ApiScope).GetField(s.ToString())!
            .GetCustomAttributes(typeof(System.Text.Json.Serialization.JsonStringEnumMemberNameAttribute), false)
            .OfType<System.Text.Json.Serialization.JsonStringEnumMemberNameAttribute>().Single().Name == scope);
}
