extern alias events;
extern alias pipeline;
using System.Net;
using System.Text.Json;
using Platform.DemoData.Loading;
using Platform.Testing;

namespace Platform.DemoData.Tests;

/// <summary>
/// Membership, events and talent-pipeline (their Program.cs, real PostgreSQL and RabbitMQ) on one virtual host, as
/// under the AppHost, so membership's messages reach the others and the events' outcomes reach talent-pipeline.
/// The stories are loaded twice, once at start: the tests read what the first load made and what the second did.
/// </summary>
public sealed class StoriesPlatform(ThrowawayPostgres postgres, ThrowawayRabbitMq rabbit) : IAsyncLifetime
{
    private ServiceUnderTest<Program>? _membership;
    private ServiceUnderTest<events::Program>? _events;
    private ServiceUnderTest<pipeline::Program>? _pipeline;

    public LoadSummary FirstLoad { get; private set; } = null!;
    public LoadSummary SecondLoad { get; private set; } = null!;
    public string SecondOutput { get; private set; } = "";

    public HttpClient Membership { get; private set; } = null!;
    public HttpClient Events { get; private set; } = null!;
    public HttpClient TalentPipeline { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        var broker = await rabbit.CreateVirtualHostAsync("demodata-stories");
        var databases = await Task.WhenAll(postgres.CreateDatabaseAsync("membershipdb"), postgres.CreateDatabaseAsync("eventsdb"),
            postgres.CreateDatabaseAsync("talentpipelinedb"));
        _membership = ServiceUnderTest<Program>.Start("membershipdb", databases[0], broker);
        _events = ServiceUnderTest<events::Program>.Start("eventsdb", databases[1], broker);
        _pipeline = ServiceUnderTest<pipeline::Program>.Start("talentpipelinedb", databases[2], broker);
        Membership = _membership.ClientWithKey();
        Events = _events.ClientWithKey();
        TalentPipeline = _pipeline.ClientWithKey();
        (FirstLoad, _) = await LoadAsync();
        (SecondLoad, SecondOutput) = await LoadAsync();
    }

    private async Task<(LoadSummary, string)> LoadAsync()
    {
        using var output = new StringWriter();
        var services = new DemoServices(Membership) { Events = Events, TalentPipeline = TalentPipeline };
        var summary = await DemoLoader.LoadAsync(services, output, cancellationToken: TestContext.Current.CancellationToken);
        return (summary, output.ToString());
    }

    /// <summary>GET as the operator, waiting out the per-key rate limit the loader may have used up.</summary>
    public static async Task<JsonElement> GetAsync(HttpClient client, string path)
    {
        for (var attempt = 1; ; attempt++)
        {
            using var response = await client.GetAsync(new Uri(path, UriKind.Relative), TestContext.Current.CancellationToken);
            if (response.StatusCode == HttpStatusCode.TooManyRequests && attempt < 30)
            {
                await Task.Delay(response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1), TestContext.Current.CancellationToken);
                continue;
            }
            var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path}: {(int)response.StatusCode} {body}");
            return JsonDocument.Parse(body).RootElement.Clone();
        }
    }

    /// <summary>Every item of a list, following the cursors.</summary>
    public static async Task<IReadOnlyList<JsonElement>> ListAsync(HttpClient client, string path)
    {
        var items = new List<JsonElement>();
        var separator = path.Contains('?', StringComparison.Ordinal) ? '&' : '?';
        string? cursor = null;
        do
        {
            var page = await GetAsync(client, $"{path}{separator}limit=200" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor)));
            items.AddRange(page.GetProperty("items").EnumerateArray());
            cursor = page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);
        return items;
    }

    public async ValueTask DisposeAsync()
    {
        Membership?.Dispose();
        Events?.Dispose();
        TalentPipeline?.Dispose();
        if (_pipeline is not null) await _pipeline.DisposeAsync();
        if (_events is not null) await _events.DisposeAsync();
        if (_membership is not null) await _membership.DisposeAsync();
    }
}
