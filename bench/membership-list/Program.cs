using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Platform.Bench;
using Platform.Hosting;
using Spectre.Console;
using static System.FormattableString;
using Platform.Membership.Domain;
using Platform.Membership.Persistence;
using DomainMembership = Platform.Membership.Domain.Membership;

// GET /api/v1/consortia/{id}/memberships (first page, 50 members with organization and council role) over a
// consortium of 10,000 member organizations, at 200 concurrent requests, next to GET /health/live (no database)
// measured in the same run against the same server. The service runs in this process on real Kestrel (as its
// Program.cs builds it) with its own PostgreSQL and RabbitMQ. See README.md.
var organizationsOption = BenchCommandLine.Number("--organizations", 10_000, "Active member organizations of the one consortium.");
var concurrencyOption = BenchCommandLine.Number("--concurrency", 200, "Concurrent requests.");
var requestsOption = BenchCommandLine.Number("--requests", 20_000, "Requests per measurement.");
var runsOption = BenchCommandLine.Number("--runs", 5, "Measured runs after a warm-up; the targets are interleaved in each run.");
var command = new RootCommand("""
    The member list (first page of 50, with organization and council role) over a consortium of many member organizations
    at high concurrency, next to /health/live measured in the same run against the same server.
    """) { organizationsOption, concurrencyOption, requestsOption, runsOption };
var parsed = BenchCommandLine.Read(command, args, out var commandLineExit);
if (parsed is null) return commandLineExit;
var organizations = parsed.GetValue(organizationsOption);
var concurrency = parsed.GetValue(concurrencyOption);
var requestsPerRun = parsed.GetValue(requestsOption);
var runs = parsed.GetValue(runsOption);
var folder = Directory.CreateTempSubdirectory("platform-bench-members-").FullName;
var serverOutput = new ServerOutput();
try
{
    BenchCommandLine.Phase("Starting PostgreSQL and RabbitMQ ...");
    await using var postgres = await PostgresServer.StartAsync(new PostgresOptions { DataDirectory = Path.Combine(folder, "postgres"), Output = serverOutput.Write });
    await using var rabbit = await RabbitMqServer.StartAsync(new RabbitMqOptions { DataDirectory = Path.Combine(folder, "rabbitmq"), NodeName = $"benchm{Environment.ProcessId}", Output = serverOutput.Write });
    await postgres.EnsureDatabaseAsync("membershipdb");

    const string operatorKey = "bench-operator-key-5c1d7e";
    // WebApplicationFactory looks for the service's source folder as content root; the built output is enough here.
    Environment.SetEnvironmentVariable("ASPNETCORE_TEST_CONTENTROOT_PLATFORM_MEMBERSHIP", AppContext.BaseDirectory);
    await using var service = new MembershipOnKestrel(new Dictionary<string, string>
    {
        ["ConnectionStrings:membershipdb"] = postgres.ConnectionString("membershipdb"),
        ["ConnectionStrings:messaging"] = rabbit.AmqpUri.ToString(),
        ["Platform:OperatorKey"] = operatorKey,
        // The limit protects partners from each other; here one key is the whole load.
        ["Platform:RateLimit:PermitsPerSecond"] = "10000000",
        ["Platform:RateLimit:Burst"] = "10000000",
        ["Logging:LogLevel:Default"] = "Warning",
    });
    service.UseKestrel(0);
    service.StartServer();
    var baseAddress = service.ClientOptions.BaseAddress;

    BenchCommandLine.Phase($"Seeding a consortium with {organizations:N0} active member organizations ...");
    var (consortiumId, memberOrganizationId) = await SeedAsync(service.Services, organizations);

    using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency, PooledConnectionLifetime = Timeout.InfiniteTimeSpan })
    {
        BaseAddress = baseAddress,
    };
    http.DefaultRequestHeaders.Add("X-Api-Key", operatorKey);
    var partnerKey = await IssuePartnerKeyAsync(http, memberOrganizationId);

    // A partner that polls revalidates with the ETag it has: 304 without the body while nothing changed.
    string etag;
    using (var first = await http.GetAsync($"/api/v1/consortia/{consortiumId}/memberships"))
        etag = first.Headers.ETag!.ToString();
    var targets = new (string Name, string Path, string Key, string? IfNoneMatch)[]
    {
        ("baseline /health/live", "/health/live", operatorKey, null),
        ("member list (operator)", $"/api/v1/consortia/{consortiumId}/memberships", operatorKey, null),
        ("member list (member's partner key)", $"/api/v1/consortia/{consortiumId}/memberships", partnerKey, null),
        ("member list ?status=active&kind=enterprise", $"/api/v1/consortia/{consortiumId}/memberships?status=active&kind=enterprise", operatorKey, null),
        ("member list revalidated (If-None-Match → 304)", $"/api/v1/consortia/{consortiumId}/memberships", operatorKey, etag),
    };
    Console.WriteLine($"{concurrency} concurrent requests, {requestsPerRun:N0} requests per measurement, {runs} runs (after a warm-up), targets interleaved per run");
    foreach (var target in targets) await LoadAsync(http, target.Path, target.Key, target.IfNoneMatch, concurrency, Math.Min(requestsPerRun, 4_000));

    var results = targets.ToDictionary(t => t.Name, _ => new List<LoadResult>());
    for (var run = 1; run <= runs; run++)
    {
        foreach (var target in targets)
        {
            var result = await LoadAsync(http, target.Path, target.Key, target.IfNoneMatch, concurrency, requestsPerRun);
            results[target.Name].Add(result);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"run {run}  {target.Name,-47} p50 {result.P50,7:0.0} ms  p99 {result.P99,7:0.0} ms  {result.Rate,8:N0} req/s  errors {result.Errors}"));
        }
    }

    Console.WriteLine();
    var baselineP99 = Median(results[targets[0].Name].Select(r => r.P99));
    var table = new Table { Title = new TableTitle($"Median of {runs} runs, {concurrency} concurrent requests, {organizations:N0} members") }
        .AddColumn("target").AddColumn("p50 ms", c => c.RightAligned()).AddColumn("p99 ms", c => c.RightAligned())
        .AddColumn("p99 per run", c => c.RightAligned()).AddColumn("req/s", c => c.RightAligned())
        .AddColumn("p99 ÷ baseline p99", c => c.RightAligned()).AddColumn("errors", c => c.RightAligned());
    foreach (var target in targets)
    {
        var list = results[target.Name];
        var p99 = Median(list.Select(r => r.P99));
        table.AddRow(Markup.Escape(target.Name), Invariant($"{Median(list.Select(r => r.P50)):0.0}"), Invariant($"{p99:0.0}"),
            string.Join("/", list.Select(r => r.P99.ToString("0", CultureInfo.InvariantCulture))), Invariant($"{Median(list.Select(r => r.Rate)):N0}"),
            Invariant($"{p99 / baselineP99:0.00}"), Invariant($"{list.Sum(r => r.Errors)}"));
    }
    AnsiConsole.Write(table);

    // Cost per request ~ 1 / throughput on a saturated machine: the 304 against the full page, same run.
    var listRate = Median(results[targets[1].Name].Select(r => r.Rate));
    var revalidatedRate = Median(results[targets[4].Name].Select(r => r.Rate));
    await BenchResults.WriteAsync("membership-list", new
    {
        bench = "membership-list",
        measuredAt = DateTimeOffset.UtcNow,
        machine = BenchResults.Machine(),
        organizations,
        concurrency,
        requestsPerMeasurement = requestsPerRun,
        runs,
        goal = "list p99 <= 3x /health/live p99; a 304 at most half the cost of a page",
        baselineP99 = baselineP99,
        listP99 = Median(results[targets[1].Name].Select(r => r.P99)),
        ratioToBaseline = Median(results[targets[1].Name].Select(r => r.P99)) / baselineP99,
        listRate,
        revalidatedRate,
        revalidationCostOfPage = listRate / revalidatedRate,
        targets = targets.Select(t => new
        {
            name = t.Name,
            p50 = Median(results[t.Name].Select(r => r.P50)),
            p99 = Median(results[t.Name].Select(r => r.P99)),
            p99Runs = results[t.Name].Select(r => r.P99).ToArray(),
            rate = Median(results[t.Name].Select(r => r.Rate)),
            ratioToBaseline = Median(results[t.Name].Select(r => r.P99)) / baselineP99,
            errors = results[t.Name].Sum(r => r.Errors),
        }).ToArray(),
    });
    return results.Values.SelectMany(r => r).Any(r => r.Errors > 0) ? 2 : 0;
}
catch (Exception exception)
{
    Console.Error.WriteLine(exception);
    Console.Error.WriteLine(serverOutput.Tail());
    return 1;
}
finally
{
    try
    {
        Directory.Delete(folder, recursive: true);
    }
    catch (IOException)
    {
    }
}

static double Median(IEnumerable<double> values)
{
    var sorted = values.Order().ToList();
    return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
}

// Straight into the service's tables through its own DbContext and domain: 10,000 registrations through the API
// would only measure the seeding. Half enterprises, half colleges; every member active; 29 with council roles.
static async Task<(Guid ConsortiumId, Guid MemberOrganizationId)> SeedAsync(IServiceProvider services, int count)
{
    var now = DateTimeOffset.UtcNow;
    var consortium = Consortium.Establish(Guid.CreateVersion7(), "Bench Industry-Education Consortium", ConsortiumKind.IndustryEducationConsortium,
        "Shandong, Jinan", ["intelligent manufacturing"], [], null, null, now);
    var first = Guid.Empty;
    for (var offset = 0; offset < count; offset += 2_000)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MembershipDbContext>();
        if (offset == 0) db.Consortia.Add(consortium);
        for (var i = offset; i < Math.Min(count, offset + 2_000); i++)
        {
            var organization = Organization.Register(Guid.CreateVersion7(), $"Bench member organization {i:00000} (illustrative)",
                i % 2 == 0 ? OrganizationKind.Enterprise : OrganizationKind.VocationalCollege, "Shandong, Jinan", null, isIllustrative: true, now);
            var membership = DomainMembership.Apply(Guid.CreateVersion7(), consortium.Id, organization.Id, Actor.Operator, now, null);
            membership.TryPerform(MembershipAction.Approve, Actor.Operator, now, null, out _);
            if (i < 29) membership.DesignateCouncilRole(i < 3 ? CouncilRole.Chair : i < 22 ? CouncilRole.ViceChair : i == 22 ? CouncilRole.SecretaryGeneral : CouncilRole.CouncilMember);
            db.Organizations.Add(organization);
            db.Memberships.Add(membership);
            if (i == 0) first = organization.Id;
        }
        await db.SaveChangesAsync();
    }
    await using (var scope = services.CreateAsyncScope())
    {
        var db = scope.ServiceProvider.GetRequiredService<MembershipDbContext>();
        await db.Database.ExecuteSqlRawAsync("ANALYZE");
    }
    return (consortium.Id, first);
}

// Through the API, so the key travels the way partner keys do (ApiClientIssued → RabbitMQ → key table).
static async Task<string> IssuePartnerKeyAsync(HttpClient http, Guid organizationId)
{
    using var issue = await http.PostAsJsonAsync($"/api/v1/organizations/{organizationId}/api-clients", new { name = "bench partner", scopes = new[] { "membership:read" } });
    issue.EnsureSuccessStatusCode();
    var key = (await issue.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("key").GetString()!;
    var deadline = DateTime.UtcNow.AddSeconds(30);
    while (true)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/me");
        request.Headers.Add("X-Api-Key", key);
        using var me = await http.SendAsync(request);
        if (me.StatusCode == HttpStatusCode.OK) return key;
        if (DateTime.UtcNow > deadline) throw new TimeoutException("The partner key was not honoured within 30 s.");
        await Task.Delay(100);
    }
}

static async Task<LoadResult> LoadAsync(HttpClient http, string path, string key, string? ifNoneMatch, int concurrency, int requests)
{
    var latencies = new double[requests];
    var next = -1;
    var errors = 0;
    var total = Stopwatch.StartNew();
    await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
    {
        while (true)
        {
            var index = Interlocked.Increment(ref next);
            if (index >= requests) return;
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.Remove("X-Api-Key");
            request.Headers.Add("X-Api-Key", key);
            if (ifNoneMatch is not null) request.Headers.TryAddWithoutValidation("If-None-Match", ifNoneMatch);
            var started = Stopwatch.GetTimestamp();
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead);
            latencies[index] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            if (response.StatusCode != (ifNoneMatch is null ? HttpStatusCode.OK : HttpStatusCode.NotModified)) Interlocked.Increment(ref errors);
        }
    }));
    total.Stop();
    Array.Sort(latencies);
    return new LoadResult(latencies[(int)(requests * 0.50)], latencies[Math.Min(requests - 1, (int)(requests * 0.99))], requests / total.Elapsed.TotalSeconds, errors);
}

internal sealed record LoadResult(double P50, double P99, double Rate, int Errors);

/// <summary>The membership service exactly as its Program.cs builds it (found through its assembly), on a real Kestrel port.</summary>
internal sealed class MembershipOnKestrel(IReadOnlyDictionary<string, string> settings) : WebApplicationFactory<MembershipDbContext>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production");
        foreach (var (key, value) in settings) builder.UseSetting(key, value);
    }
}
