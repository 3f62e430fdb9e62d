using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Platform.Hosting;

namespace Platform.Bench.Webhooks;

/// <summary>
/// A fast partner receiver: Kestrel on loopback, one path per endpoint (<c>/hook/{n}</c>), answers 200 at once and
/// notes when each delivery arrived, by <c>webhook-id</c> per endpoint (a second arrival is a duplicate) and by the
/// source event's id in <c>data</c> (for latency).
/// </summary>
internal sealed class Receiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<(int Endpoint, string WebhookId), byte> _seen = new();
    private readonly ConcurrentDictionary<string, long> _arrivals = new(StringComparer.Ordinal);
    private long _received;
    private long _duplicates;

    private Receiver(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }
    public long Received => Interlocked.Read(ref _received);
    public long Duplicates => Interlocked.Read(ref _duplicates);

    /// <summary>Stopwatch timestamp of the first arrival of the source event <paramref name="sourceId"/> (any endpoint).</summary>
    public bool TryGetArrival(string sourceId, out long timestamp) => _arrivals.TryGetValue(sourceId, out timestamp);

    public static async Task<Receiver> StartAsync()
    {
        var port = FreePort.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        var receiver = new Receiver(app, new Uri($"http://127.0.0.1:{port}"));
        app.MapPost("/hook/{endpoint:int}", async (int endpoint, HttpRequest request) =>
        {
            var now = Stopwatch.GetTimestamp();
            using var body = await JsonDocument.ParseAsync(request.Body);
            receiver.Note(endpoint, request.Headers["webhook-id"].ToString(), body.RootElement, now);
            return Results.Ok();
        });
        await app.StartAsync();
        return receiver;
    }

    private void Note(int endpoint, string webhookId, JsonElement body, long now)
    {
        if (!_seen.TryAdd((endpoint, webhookId), 0))
        {
            Interlocked.Increment(ref _duplicates);
            return;
        }
        Interlocked.Increment(ref _received);
        var data = body.GetProperty("data");
        if (data.TryGetProperty("eventId", out var id) && id.ValueKind == JsonValueKind.String) _arrivals.TryAdd(id.GetString()!, now);
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
