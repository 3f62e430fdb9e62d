namespace Platform.Dashboard.Features.Reports;

/// <summary>
/// Reads what the annual report needs from the services' public APIs with the operator key (as
/// <see cref="ConsortiumKpis"/> does): every list to its last page (at most <see cref="MaxPages"/> pages of 200).
/// A source that fails is named in <see cref="AnnualReportAnswers.Problems"/> and left out; only the consortium itself must answer.
/// </summary>
public sealed class AnnualReportSources(Watched watched, IHttpClientFactory http, OperatorKey operatorKey)
{
    private const string Membership = "membership";
    private const string TalentPipeline = "talent-pipeline";
    private const string Events = "events";
    public const int MaxPages = 10;
    private const int MaxColleges = 50;

    /// <summary>
    /// The answers for <paramref name="consortiumId"/>; <c>NotFound</c> when membership does not know the consortium,
    /// <c>Problem</c> when membership could not be asked at all.
    /// </summary>
    public async Task<(AnnualReportAnswers? Answers, bool NotFound, string? Problem)> ReadAsync(Guid consortiumId, int year, string language, CancellationToken cancellationToken)
    {
        var id = consortiumId.ToString("D");
        var consortium = await GetAsync(Membership, $"/api/v1/consortia/{id}", language, cancellationToken);
        if (consortium.NotFound) return (null, true, null);
        if (consortium.Json is not { } consortiumJson) return (null, false, consortium.Problem ?? "membership is unavailable");

        var problems = new List<string>();
        var memberships = ListAsync(Membership, $"/api/v1/consortia/{id}/memberships", language, cancellationToken);
        var sessions = ListAsync(Membership, $"/api/v1/consortia/{id}/council-sessions", language, cancellationToken);
        var charters = ListAsync(Membership, $"/api/v1/consortia/{id}/charters", language, cancellationToken);
        var events = ListAsync(Events, $"/api/v1/events?consortiumId={id}", language, cancellationToken);
        var agreements = ListAsync(Events, $"/api/v1/agreements?consortiumId={id}", language, cancellationToken);
        var feed = ListAsync(Events, $"/api/v1/feed?consortiumId={id}", language, cancellationToken);
        var programs = ListAsync(TalentPipeline, $"/api/v1/programs?consortiumId={id}", language, cancellationToken);
        var funnel = GetAsync(TalentPipeline, $"/api/v1/kpis/funnel?consortiumId={id}&from={year:D4}-01-01&to={year:D4}-12-31", language, cancellationToken);

        IReadOnlyList<JsonElement>? Kept((IReadOnlyList<JsonElement>? Items, string? Problem) answer)
        {
            if (answer.Problem is { } problem) problems.Add(problem);
            return answer.Items;
        }
        var members = Kept(await memberships);
        List<(string, JsonElement)>? quality = null;
        if (members is not null)
        {
            var colleges = members.Where(m => AnnualReportFigures.Str(m, "status") == "active" && AnnualReportFigures.CollegeKinds.Contains(AnnualReportFigures.Str(m, "organizationKind")))
                .Select(m => AnnualReportFigures.Str(m, "organizationId")).OfType<string>().Distinct(StringComparer.Ordinal).Take(MaxColleges).ToList();
            var answers = await Task.WhenAll(colleges.Select(async c => (College: c, Answer: await GetAsync(TalentPipeline, $"/api/v1/data-quality?collegeId={c}", language, cancellationToken))));
            if (answers.FirstOrDefault(a => a.Answer.Json is null) is { Answer.Problem: { } problem }) problems.Add(problem);
            else quality = answers.Select(a => (a.College, a.Answer.Json!.Value)).ToList();
        }
        var funnelAnswer = await funnel;
        if (funnelAnswer.Problem is { } funnelProblem) problems.Add(funnelProblem);

        return (new AnnualReportAnswers
        {
            Consortium = consortiumJson,
            Memberships = members,
            CouncilSessions = Kept(await sessions),
            Charters = Kept(await charters),
            Events = await WithOutcomesAsync(Kept(await events), problems, language, cancellationToken),
            Agreements = Kept(await agreements),
            Feed = Kept(await feed),
            Programs = Kept(await programs),
            Funnel = funnelAnswer.Json,
            DataQuality = quality,
            Problems = problems,
        }, false, null);
    }

    /// <summary>
    /// Held events as <c>getEvent</c> answers them: only it carries an event's outcomes (agreements, unveilings,
    /// competition results), the list does not. At most <see cref="MaxEventDetails"/>, a few at a time.
    /// </summary>
    private async Task<IReadOnlyList<JsonElement>?> WithOutcomesAsync(IReadOnlyList<JsonElement>? events, List<string> problems, string language, CancellationToken cancellationToken)
    {
        if (events is null) return null;
        using var few = new SemaphoreSlim(4);
        var detailed = await Task.WhenAll(events.Select(DetailAsync));
        async Task<(JsonElement Event, string? Problem)> DetailAsync(JsonElement e, int i)
        {
            if (AnnualReportFigures.Str(e, "status") != "held" || i >= MaxEventDetails || AnnualReportFigures.Str(e, "id") is not { } id) return (e, null);
            await few.WaitAsync(cancellationToken);
            try
            {
                var answer = await GetAsync(Events, $"/api/v1/events/{Uri.EscapeDataString(id)}", language, cancellationToken);
                return answer.Json is { } json ? (json, null) : (e, answer.Problem);
            }
            finally
            {
                few.Release();
            }
        }
        if (detailed.FirstOrDefault(d => d.Problem is not null).Problem is { } problem) problems.Add(problem);
        return [.. detailed.Select(d => d.Event)];
    }

    private const int MaxEventDetails = 400;

    private async Task<(IReadOnlyList<JsonElement>? Items, string? Problem)> ListAsync(string service, string path, string language, CancellationToken cancellationToken)
    {
        var items = new List<JsonElement>();
        string? cursor = null;
        for (var page = 0; page < MaxPages; page++)
        {
            var separator = path.Contains('?', StringComparison.Ordinal) ? '&' : '?';
            var answer = await GetAsync(service, $"{path}{separator}limit=200{(cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor))}", language, cancellationToken);
            if (answer.Json is not { } json) return (null, answer.Problem);
            if (json.TryGetProperty("items", out var list) && list.ValueKind == JsonValueKind.Array) items.AddRange(list.EnumerateArray());
            cursor = AnnualReportFigures.Str(json, "nextCursor");
            if (cursor is null) break;
        }
        return (items, null);
    }

    private async Task<(JsonElement? Json, string? Problem, bool NotFound)> GetAsync(string service, string path, string language, CancellationToken cancellationToken)
    {
        if (!watched.Services.ContainsKey(service)) return (null, $"{service} is not configured", false);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"http://{service}{path}"));
            request.Headers.Add(OperatorKey.Header, operatorKey.Value);
            // The reader's language: the feed's sentences come in it where the events service speaks it.
            request.Headers.AcceptLanguage.ParseAdd(language);
            using var response = await http.CreateClient(ConsortiumKpis.HttpClientName).SendAsync(request, cancellationToken);
            if (response.StatusCode == System.Net.HttpStatusCode.NotFound) return (null, $"{service} answered 404 for {path.Split('?')[0]}", true);
            if (!response.IsSuccessStatusCode) return (null, $"{service} answered {(int)response.StatusCode} for {path.Split('?')[0]}", false);
            return (await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken), null, false);
        }
        // InvalidOperationException: service discovery found no endpoint.
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException or InvalidOperationException)
        {
            return (null, $"{service} is unavailable: {e.Message}", false);
        }
    }
}
