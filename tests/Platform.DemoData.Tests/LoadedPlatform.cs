using System.Net;
using System.Text.Json;
using Platform.DemoData.Loading;
using Platform.Testing;

namespace Platform.DemoData.Tests;

/// <summary>
/// The membership service (its Program.cs on real PostgreSQL and RabbitMQ) with the stories loaded once through
/// its HTTP API, shared by the tests of a class. Loading is idempotent, so a test that loads again sees the
/// same platform whatever ran before it.
/// </summary>
public class LoadedPlatform(ThrowawayPostgres postgres, ThrowawayRabbitMq rabbit) : IAsyncLifetime
{
    private ServiceUnderTest<Program>? _service;

    public ServiceUnderTest<Program> Service => _service ?? throw new InvalidOperationException("The platform has not started.");
    public HttpClient Operator { get; private set; } = null!;

    /// <summary>What the first load did and printed.</summary>
    public LoadSummary FirstLoad { get; private set; } = null!;
    public string FirstOutput { get; private set; } = "";

    public async ValueTask InitializeAsync()
    {
        _service = await ServiceUnderTest<Program>.StartAsync(postgres, rabbit, "membershipdb");
        Operator = _service.ClientWithKey();
        await BeforeFirstLoadAsync();
        (FirstLoad, FirstOutput) = await LoadAsync();
    }

    /// <summary>What an operator did on the platform before the demo data was first loaded.</summary>
    protected virtual Task BeforeFirstLoadAsync() => Task.CompletedTask;

    /// <summary>Runs the loader against the service with the operator key, as the command line does.</summary>
    public async Task<(LoadSummary Summary, string Output)> LoadAsync()
    {
        using var client = Service.ClientWithKey();
        using var output = new StringWriter();
        var summary = await DemoLoader.LoadAsync(new DemoServices(client), output, cancellationToken: TestContext.Current.CancellationToken);
        return (summary, output.ToString());
    }

    /// <summary>GET as the operator, waiting out the per-key rate limit the loader may have used up.</summary>
    public async Task<JsonElement> GetAsync(string path)
    {
        for (var attempt = 1; ; attempt++)
        {
            using var response = await Operator.GetAsync(new Uri(path, UriKind.Relative), TestContext.Current.CancellationToken);
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
    public async Task<IReadOnlyList<JsonElement>> ListAsync(string path)
    {
        var items = new List<JsonElement>();
        var separator = path.Contains('?', StringComparison.Ordinal) ? '&' : '?';
        string? cursor = null;
        do
        {
            var page = await GetAsync($"{path}{separator}limit=200" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor)));
            items.AddRange(page.GetProperty("items").EnumerateArray());
            cursor = page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);
        return items;
    }

    public async ValueTask DisposeAsync()
    {
        Operator?.Dispose();
        if (_service is not null) await _service.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}
