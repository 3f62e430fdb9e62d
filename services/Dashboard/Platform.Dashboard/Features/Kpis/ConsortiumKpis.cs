namespace Platform.Dashboard.Features.Kpis;

/// <summary>A KPI card: counts by label (bars), a funnel, or rows; or why it is unavailable.</summary>
public sealed record KpiCard
{
    public required string Title { get; init; }
    public required string Source { get; init; }
    public bool Available { get; init; } = true;
    public string? Problem { get; init; }
    public IReadOnlyDictionary<string, long>? Counts { get; init; }
    public IReadOnlyDictionary<string, double>? Rates { get; init; }
    public IReadOnlyList<IReadOnlyDictionary<string, string>>? Rows { get; init; }
}

public sealed record ConsortiumChoice(string Id, string Name);

public sealed record KpiReport(IReadOnlyList<ConsortiumChoice> Consortia, string? ConsortiumId, IReadOnlyList<KpiCard> Cards);

/// <summary>
/// Consortium KPIs read from the services' public APIs (docs/API.md) with the operator key. Every card fails soft:
/// a route that answers 404/5xx, or a service that is down, gives a card saying so, never an error page.
/// </summary>
public sealed class ConsortiumKpis(Watched watched, IHttpClientFactory http, OperatorKey operatorKey, TimeProvider time)
{
    private const string Membership = "membership";
    private const string TalentPipeline = "talent-pipeline";
    private const string Events = "events";

    /// <summary>The HttpClient with service discovery: <c>http://NAME</c> goes to <c>services:NAME:http:0</c>.</summary>
    public const string HttpClientName = "services";

    public async Task<KpiReport> ReportAsync(string? consortiumId, CancellationToken cancellationToken)
    {
        var consortia = await GetAsync(Membership, "/api/v1/consortia?limit=200", cancellationToken);
        var choices = consortia.Json is { } list ? Items(list).Select(c => new ConsortiumChoice(Str(c, "id") ?? "", Str(c, "name") ?? Str(c, "id") ?? "")).Where(c => c.Id.Length > 0).ToList() : [];
        consortiumId ??= choices.FirstOrDefault()?.Id;
        var scope = consortiumId is null ? "" : $"consortiumId={Uri.EscapeDataString(consortiumId)}";

        var members = consortiumId is null
            ? (Json: (JsonElement?)null, Problem: consortia.Problem ?? "no consortium yet")
            : await GetAsync(Membership, $"/api/v1/consortia/{Uri.EscapeDataString(consortiumId)}/memberships?limit=200", cancellationToken);
        var programs = GetAsync(TalentPipeline, $"/api/v1/programs?limit=200&{scope}", cancellationToken);
        var funnel = GetAsync(TalentPipeline, $"/api/v1/kpis/funnel?{scope}", cancellationToken);
        var events = GetAsync(Events, $"/api/v1/events?limit=200&{scope}", cancellationToken);
        var quality = DataQualityAsync(members, cancellationToken);

        var now = time.GetUtcNow();
        var active = members with { Json = members.Json is { } all ? Filtered(all, m => Str(m, "status") == "active") : null };
        List<KpiCard> cards =
        [
            Group("Active members by kind", Membership, active, "organizationKind"),
            Group("Active members by council role", Membership, active, "councilRole"),
            Group("Memberships by status", Membership, members, "status"),
            Group("Programs by kind", TalentPipeline, await programs, "kind"),
            Group("Programs by status", TalentPipeline, await programs, "status"),
            Funnel(await funnel),
            await quality,
            Upcoming(await events, now),
        ];
        return new KpiReport(choices, consortiumId, cards);
    }

    private async Task<(JsonElement? Json, string? Problem)> GetAsync(string service, string path, CancellationToken cancellationToken)
    {
        if (!watched.Services.ContainsKey(service)) return (null, $"{service} is not configured");
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"http://{service}{path}"));
            request.Headers.Add(OperatorKey.Header, operatorKey.Value);
            using var response = await http.CreateClient(HttpClientName).SendAsync(request, cancellationToken);
            if (!response.IsSuccessStatusCode) return (null, $"{service} answered {(int)response.StatusCode} for {path.Split('?')[0]}");
            return (await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken), null);
        }
        // InvalidOperationException: service discovery found no endpoint.
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException or InvalidOperationException)
        {
            return (null, $"{service} is unavailable: {e.Message}");
        }
    }

    private static readonly string[] CollegeKinds = ["technicianCollege", "vocationalCollege", "university"];

    /// <summary>Issues per member college: one <c>GET /api/v1/data-quality?collegeId=</c> per college (at most 20).</summary>
    private async Task<KpiCard> DataQualityAsync((JsonElement? Json, string? Problem) members, CancellationToken cancellationToken)
    {
        const string title = "Placement data-quality issues per college";
        if (members.Json is not { } json) return Unavailable(title, TalentPipeline, members.Problem);
        var colleges = Items(json).Where(m => Str(m, "status") == "active" && CollegeKinds.Contains(Str(m, "organizationKind")))
            .Select(m => (Id: Str(m, "organizationId") ?? "", Name: Str(m, "organizationName") ?? Str(m, "organizationId") ?? "")).Take(20).ToList();
        var answers = await Task.WhenAll(colleges.Select(async c => (c.Name, Answer: await GetAsync(TalentPipeline, $"/api/v1/data-quality?collegeId={Uri.EscapeDataString(c.Id)}", cancellationToken))));
        if (answers.FirstOrDefault(a => a.Answer.Json is null) is { Answer.Problem: { } problem }) return Unavailable(title, TalentPipeline, problem);
        var rows = answers.Select(a =>
        {
            var flags = a.Answer.Json!.Value.TryGetProperty("byFlag", out var byFlag) && byFlag.ValueKind == JsonValueKind.Object
                ? string.Join(", ", byFlag.EnumerateObject().Select(f => $"{f.Name} {f.Value}"))
                : "";
            return (IReadOnlyDictionary<string, string>)new Dictionary<string, string>
            {
                ["college"] = a.Name,
                ["issues"] = Str(a.Answer.Json!.Value, "issues") ?? "0",
                ["flags"] = flags,
            };
        }).OrderByDescending(r => int.TryParse(r["issues"], out var n) ? n : 0).ToList();
        return new KpiCard
        {
            Title = title,
            Source = TalentPipeline,
            Counts = rows.ToDictionary(r => r["college"], r => long.TryParse(r["issues"], out var n) ? n : 0, StringComparer.Ordinal),
            Rows = rows,
        };
    }

    private static KpiCard Upcoming((JsonElement? Json, string? Problem) answer, DateTimeOffset now)
    {
        const string title = "Upcoming events";
        if (answer.Json is not { } json) return Unavailable(title, Events, answer.Problem);
        var rows = Items(json)
            .Select(e => (Event: e, StartsAt: DateTimeOffset.TryParse(Str(e, "startsAt"), System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var at) ? at : (DateTimeOffset?)null))
            .Where(e => e.StartsAt >= now && Str(e.Event, "status") != "cancelled")
            .OrderBy(e => e.StartsAt)
            .Take(10)
            .Select(e => (IReadOnlyDictionary<string, string>)new Dictionary<string, string>
            {
                ["starts"] = e.StartsAt!.Value.ToString("yyyy-MM-dd HH:mm zzz", System.Globalization.CultureInfo.InvariantCulture),
                ["title"] = Str(e.Event, "title") ?? "",
                ["kind"] = Str(e.Event, "kind") ?? "",
                ["registered"] = $"{Str(e.Event, "registered") ?? "0"} / {Str(e.Event, "capacity") ?? "?"}",
                ["status"] = Str(e.Event, "status") ?? "",
            })
            .ToList();
        return new KpiCard { Title = title, Source = Events, Rows = rows };
    }

    private static JsonElement Filtered(JsonElement json, Func<JsonElement, bool> keep) =>
        JsonSerializer.SerializeToElement(Items(json).Where(keep).ToList());

    private static KpiCard Unavailable(string title, string source, string? problem) => new() { Title = title, Source = source, Available = false, Problem = problem ?? "unavailable" };

    private static KpiCard Group(string title, string source, (JsonElement? Json, string? Problem) answer, params string[] fields)
    {
        if (answer.Json is not { } json) return Unavailable(title, source, answer.Problem);
        var counts = Items(json)
            .Select(item => fields.Select(f => Str(item, f)).FirstOrDefault(v => v is not null) ?? "none")
            .GroupBy(v => v, StringComparer.Ordinal)
            .OrderByDescending(g => g.Count())
            .ToDictionary(g => g.Key, g => (long)g.Count(), StringComparer.Ordinal);
        return new KpiCard { Title = title, Source = source, Counts = counts };
    }

    private static KpiCard Funnel((JsonElement? Json, string? Problem) answer)
    {
        const string title = "Placement funnel";
        if (answer.Json is not { ValueKind: JsonValueKind.Object } json) return Unavailable(title, TalentPipeline, answer.Problem);
        // Stages as counts, the rest as rates: whatever numbers the funnel answers, nested one level at most.
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        var rates = new Dictionary<string, double>(StringComparer.Ordinal);
        void Read(JsonElement element)
        {
            foreach (var property in element.EnumerateObject())
            {
                if (property.Value.ValueKind == JsonValueKind.Object) Read(property.Value);
                else if (property.Value.ValueKind == JsonValueKind.Number)
                {
                    if (property.Value.TryGetInt64(out var count) && !property.Name.Contains("rate", StringComparison.OrdinalIgnoreCase) && !property.Name.Contains("retention", StringComparison.OrdinalIgnoreCase) && !property.Name.Contains("conversion", StringComparison.OrdinalIgnoreCase))
                        counts[property.Name] = count;
                    else rates[property.Name] = property.Value.GetDouble();
                }
            }
        }
        Read(json);
        return new KpiCard { Title = title, Source = TalentPipeline, Counts = counts, Rates = rates };
    }

    /// <summary>A page's <c>items</c>, or the array itself.</summary>
    private static IEnumerable<JsonElement> Items(JsonElement json) => json.ValueKind switch
    {
        JsonValueKind.Array => json.EnumerateArray(),
        JsonValueKind.Object when json.TryGetProperty("items", out var items) && items.ValueKind == JsonValueKind.Array => items.EnumerateArray(),
        _ => [],
    };

    private static string? Str(JsonElement item, string name) =>
        item.ValueKind == JsonValueKind.Object && item.TryGetProperty(name, out var value) && value.ValueKind is JsonValueKind.String or JsonValueKind.Number ? value.ToString() : null;
}
