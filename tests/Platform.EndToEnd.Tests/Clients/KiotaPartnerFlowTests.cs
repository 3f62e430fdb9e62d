using Aspire.Hosting.Testing;
using Microsoft.Kiota.Abstractions.Authentication;
using Microsoft.Kiota.Abstractions.Serialization;
using Microsoft.Kiota.Http.HttpClientLibrary;
using Platform.Clients.Kiota.TalentPipeline;
using Platform.Clients.Kiota.TalentPipeline.Models;
using static Platform.EndToEnd.Tests.Clients.PartnerFlow;
using EventsApi = Platform.Clients.Kiota.Events;
using MembershipApi = Platform.Clients.Kiota.Membership;

namespace Platform.EndToEnd.Tests.Clients;

/// <summary>A partner's whole flow through Kiota 1.38 clients generated from docs/openapi/*.json.</summary>
public sealed class KiotaPartnerFlowTests(RunningAppHost platform)
{
    [Fact]
    public async Task A_partner_runs_the_whole_flow_through_Kiota_clients_and_reads_errors_as_typed_problems()
    {
        // The operator: two organizations, a consortium, both memberships approved, a key for the college.
        var membership = new MembershipApi.MembershipClient(Adapter("membership", platform.OperatorKey));
        var organizations = membership.Api.V1.Organizations;
        var college = await organizations.PostAsync(new MembershipApi.Models.RegisterOrganizationRequest
        { Name = Unique("Weifang Vocational College"), Kind = MembershipApi.Models.OrganizationKind.VocationalCollege, Region = "Shandong/Weifang" }, cancellationToken: Cancel);
        var enterprise = await organizations.PostAsync(new MembershipApi.Models.RegisterOrganizationRequest
        { Name = Unique("Weifang Power Systems"), Kind = MembershipApi.Models.OrganizationKind.Enterprise, Region = "Shandong/Weifang" }, cancellationToken: Cancel);
        var consortium = await membership.Api.V1.Consortia.PostAsync(new MembershipApi.Models.EstablishConsortiumRequest
        { Name = Unique("Weifang Power Industry-Education Consortium"), Kind = MembershipApi.Models.ConsortiumKind.IndustryEducationConsortium, Region = "Shandong/Weifang" }, cancellationToken: Cancel);
        var collegeId = college!.Id!.Value;
        var enterpriseId = enterprise!.Id!.Value;
        var consortiumId = consortium!.Id!.Value;
        var memberships = membership.Api.V1.Consortia[consortiumId].Memberships;
        foreach (var organizationId in new[] { collegeId, enterpriseId })
        {
            var applied = await memberships.PostAsync(new MembershipApi.Models.ApplyForMembershipRequest { OrganizationId = organizationId }, cancellationToken: Cancel);
            var approved = await memberships[applied!.Id!.Value].Approve.PostAsync(new MembershipApi.Models.ApproveMembershipRequest(), cancellationToken: Cancel);
            Assert.Equal(MembershipApi.Models.MembershipStatus.Active, approved!.Status);
        }
        var key = (await membership.Api.V1.Organizations[collegeId].ApiClients.PostAsync(new MembershipApi.Models.IssueApiClientRequest
        { Name = "College SIS (Kiota)", Scopes = [.. CollegeScopes.Select(KiotaScope)] }, cancellationToken: Cancel))!.Key!;

        // The college, with its own key.
        var me = await new MembershipApi.MembershipClient(Adapter("membership", key)).Api.V1.Me.GetAsync(cancellationToken: Cancel);
        Assert.Equal(collegeId, me!.OrganizationId);
        Assert.Equal(CollegeScopes.Order(), me.Scopes!.Order());

        var pipeline = new TalentPipelineClient(Adapter("talent-pipeline", key)).Api.V1;
        var program = await EventuallyAsync("the college's key and both memberships reaching talent-pipeline", () => pipeline.Programs.PostAsync(new CreateProgramRequest
        {
            ConsortiumId = consortiumId, Kind = ProgramKind.Apprenticeship, Title = "Diesel engine apprenticeship", Occupation = "Engine fitter", Seats = 20,
            CollegeIds = [collegeId], EnterpriseIds = [enterpriseId],
        }, cancellationToken: Cancel));
        var programId = program.Id!.Value;
        var launched = await pipeline.Programs[programId].Launch.PostAsync(cancellationToken: Cancel);
        Assert.Equal(ProgramStatus.Active, launched!.Status);

        var run = $"ki{Guid.NewGuid():N}"[..12];
        var report = await pipeline.PlacementEvents.PostAsync(new() { PlacementBatchRequest = new PlacementBatchRequest
        {
            Events = [.. Placements(run).Select(p => new PlacementEventRequest
            {
                EventId = p.EventId, CollegeId = collegeId, ProgramId = programId, TraineeRef = p.TraineeRef, OccurredAt = p.OccurredAt,
                Type = Enum.Parse<PlacementType>(p.Stage, ignoreCase: true), EnterpriseId = p.Stage == "employed" ? enterpriseId : null,
            })],
        } }, cancellationToken: Cancel);
        Assert.True(report!.Accepted == 20, $"accepted {report.Accepted}, rejected: {string.Join("; ", report.Results!.Where(r => r.Status != PlacementOutcome.Accepted).SelectMany(r => r.Reasons ?? []).Select(r => $"{r.Field}: {r.Message}"))}");

        var funnel = await pipeline.Kpis.Funnel.GetAsync(q => { q.QueryParameters.ProgramId = programId; q.QueryParameters.CollegeId = collegeId; }, Cancel);
        var counts = funnel!.Counts!;
        Assert.Equal([Trainees, Trainees, Trainees, Trainees], new[] { counts.Enrolled, counts.InternshipStarted, counts.InternshipCompleted, counts.Employed });
        Assert.Equal(1.0, funnel.PlacementRate);
        var trainee = await pipeline.Trainees[collegeId][$"{run}-t1"].GetAsync(cancellationToken: Cancel);
        Assert.Equal(PlacementType.Employed, trainee!.Stage);
        Assert.Equal(Stages.Length, trainee.History!.Count);

        // The consortium's feed tells of the launch and counts the 20 placements.
        var feed = new EventsApi.EventsClient(Adapter("events", key)).Api.V1.Feed;
        // Links to a program point at talent-pipeline's own address, not the events service's.
        var link = $"/api/v1/programs/{programId}";
        await EventuallyAsync("the launch and the placements in the events feed", async () =>
        {
            var page = await feed.GetAsync(q => { q.QueryParameters.ConsortiumId = consortiumId; q.QueryParameters.Limit = 200; }, Cancel);
            var ofProgram = page!.Items!.Where(e => e.Link?.EndsWith(link, StringComparison.Ordinal) == true).ToList();
            var placements = ofProgram.Where(e => e.Kind == EventsApi.Models.FeedEntryKind.PlacementMilestones).Sum(e => e.Tally is { } t
                ? new[] { t.Enrolled, t.InternshipStarted, t.InternshipCompleted, t.OfferMade, t.OfferAccepted, t.Employed, t.Retained6Months, t.Retained12Months, t.Withdrawn, t.Other }.Sum(n => n ?? 0)
                : 0);
            return ofProgram.Any(e => e.Kind == EventsApi.Models.FeedEntryKind.ProgramLaunched) && placements == 20 ? page : null;
        });

        // Errors read as typed problems, and the exception's message is the problem's detail.
        var notFound = await Assert.ThrowsAsync<Problem>(() => pipeline.Programs[Guid.NewGuid()].GetAsync(cancellationToken: Cancel));
        Assert.Equal(404, notFound.ResponseStatusCode);
        Assert.False(string.IsNullOrWhiteSpace(notFound.Detail), "a 404 problem has a detail");
        Assert.Equal(notFound.Detail, notFound.Message);
        var conflict = await Assert.ThrowsAsync<ConflictProblem>(() => pipeline.Programs[programId].Launch.PostAsync(cancellationToken: Cancel));
        Assert.Equal(409, conflict.ResponseStatusCode);
        Assert.Equal("active", conflict.CurrentState?.Status);
        Assert.Equal(conflict.Detail, conflict.Message);
        var invalid = await Assert.ThrowsAsync<ValidationProblem>(() => pipeline.Programs.PostAsync(new CreateProgramRequest
        {
            ConsortiumId = consortiumId, Kind = ProgramKind.Apprenticeship, CollegeIds = [collegeId], EnterpriseIds = [enterpriseId],
        }, cancellationToken: Cancel));
        Assert.Equal(400, invalid.ResponseStatusCode);
        var errors = invalid.Errors!.AdditionalData;
        Assert.True(errors.ContainsKey("title"), $"errors name the missing field: {string.Join(", ", errors.Keys)}");
        Assert.NotEmpty(Messages(errors["title"]));
    }

    /// <summary>A Kiota client as a partner builds one: its own HttpClient with the key, the service's address as base URL.</summary>
    private HttpClientRequestAdapter Adapter(string service, string key)
    {
        var http = platform.App.CreateHttpClient(service);
        http.DefaultRequestHeaders.Add("X-Api-Key", key);
        return new HttpClientRequestAdapter(new AnonymousAuthenticationProvider(), httpClient: http) { BaseUrl = http.BaseAddress!.ToString().TrimEnd('/') };
    }

    private static MembershipApi.Models.ApiScope? KiotaScope(string scope) =>
        Enum.GetValues<MembershipApi.Models.ApiScope>().Single(s => typeof(MembershipApi.Models.ApiScope).GetField(s.ToString())!
            .GetCustomAttributes(typeof(System.Runtime.Serialization.EnumMemberAttribute), false).OfType<System.Runtime.Serialization.EnumMemberAttribute>().Single().Value == scope);

    private static IEnumerable<string?> Messages(object value) =>
        value is UntypedArray array ? array.GetValue().OfType<UntypedString>().Select(s => s.GetValue()) : [];
}
